import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { auditContext } from '../../../platform/http/context.ts';
import { FormBody, list, text } from '../../../platform/http/form-fields.ts';
import { CONTACT_SECTIONS } from '../contact-record.ts';
import { Id, type PageContext } from '../pages-common.ts';

/** The contact record, taking a contact, screening it and asking partner agencies. */
export function contactPages({ service, record }: PageContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/front-door/contacts/:id', { schema: { params: Id } }, async (request, reply) =>
      record.contactPage(request, reply, request.params.id),
    );
    // Each section of the record is its own page (issue 12); the summary is the record's address.
    app.get(
      '/front-door/contacts/:id/:section',
      {
        schema: {
          params: Type.Object({
            id: Id.properties.id,
            section: Type.Union(CONTACT_SECTIONS.filter((s) => s !== 'summary').map((s) => Type.Literal(s))),
          }),
        },
      },
      async (request, reply) =>
        record.contactPage(request, reply, request.params.id, {}, request.params.section),
    );

    app.post(
      '/front-door/contacts/:id/assign',
      { schema: { params: Id, body: FormBody } },
      async (request, reply) => {
        await service.assignToMe(auditContext(request), request.params.id);
        request.session.flash = 'Assigned to you';
        const back = text(request.body, 'back');
        // Back to the queue as it was: its filter, sort and page (issue 12). Only query-string
        // characters are kept, and the path is fixed, so this cannot redirect elsewhere.
        const query = (text(request.body, 'query') ?? '').replace(/[^A-Za-z0-9=&%._-]/g, '');
        return reply.redirect(
          back === 'queue'
            ? `/front-door${query ? `?${query}` : ''}`
            : `/front-door/contacts/${request.params.id}`,
          303,
        );
      },
    );

    record.stepRoute(app, 'screen', {
      read: (form) => ({ rag: text(form, 'rag'), rationale: text(form, 'rationale') }),
      run: (context, id, values) => service.screen(context, id, values),
      flash: 'Screening recorded',
    });
    record.stepRoute(app, 'enquiries', {
      read: (form) => ({ agencyIds: list(form, 'agencyIds'), question: text(form, 'question') }),
      run: (context, id, values) => service.sendEnquiries(context, id, values),
      flash: 'Enquiries sent',
    });
  };
}
