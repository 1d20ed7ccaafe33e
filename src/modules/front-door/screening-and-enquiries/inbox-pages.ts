import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { auditContext, authorise } from '../../../platform/http/context.ts';
import { FormBody, text } from '../../../platform/http/form-fields.ts';
import { formPage } from '../../../platform/http/form-page.ts';
import { saveThenRedirect } from '../../../platform/http/form-save.ts';
import { InboxQuery } from '../inbox-query.ts';
import { Id, PAGE_SIZE, type PageContext, pagesOf, takeFlash, VOCABULARY } from '../pages-common.ts';

/** An agency’s inbox of enquiries and its answer to each (F16, F18). */
export function inboxPages({ service }: PageContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/front-door/enquiries',
      {
        schema: {
          querystring: InboxQuery,
        },
      },
      async (request, reply) => {
        authorise(request, 'enquiry:respond');
        const result = await service.inbox(
          auditContext(request),
          request.query.status,
          request.query.page,
          PAGE_SIZE,
        );
        return reply.page('front-door/views/inbox.njk', {
          title: 'Enquiries to your agency',
          result,
          status: request.query.status,
          page: request.query.page,
          pages: pagesOf(result.total),
          flash: takeFlash(request),
        });
      },
    );

    const enquiryPage = formPage(app, {
      path: '/front-door/enquiries/:id',
      view: 'front-door/views/enquiry.njk',
      load: async (request, id) => {
        const enquiry = await service.enquiryForResponder(auditContext(request), id);
        return { title: `Enquiry for ${enquiry.reference}`, enquiry, vocabulary: VOCABULARY };
      },
    });

    app.post(
      '/front-door/enquiries/:id',
      { schema: { params: Id, body: FormBody } },
      async (request, reply) => {
        const response = text(request.body, 'response');
        return saveThenRedirect(request, reply, {
          save: () =>
            service.respond(auditContext(request), request.params.id, { ...(response ? { response } : {}) }),
          invalid: (errors) => enquiryPage.refused(request, reply, request.params.id, errors, { response }),
          flash: 'Response sent to the front door',
          next: '/front-door/enquiries',
        });
      },
    );
  };
}
