import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Deps } from '../../../platform/deps.ts';
import { auditContext } from '../../../platform/http/context.ts';
import { FormBody, list, text } from '../../../platform/http/form-fields.ts';
import type { ContactRecord } from '../contact-record.ts';
import { Id } from '../pages-common.ts';
import type { FrontDoorService } from '../service.ts';

/** The contact record, taking a contact, screening it and asking partner agencies. */
export function contactPages(
  _deps: Deps,
  service: FrontDoorService,
  record: ContactRecord,
): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/front-door/contacts/:id', { schema: { params: Id } }, async (request, reply) =>
      record.contactPage(request, reply, request.params.id),
    );

    app.post(
      '/front-door/contacts/:id/assign',
      { schema: { params: Id, body: FormBody } },
      async (request, reply) => {
        await service.assignToMe(auditContext(request), request.params.id);
        request.session.flash = 'Assigned to you';
        const back = text(request.body, 'back');
        return reply.redirect(
          back === 'queue' ? '/front-door' : `/front-door/contacts/${request.params.id}`,
          303,
        );
      },
    );

    app.post(
      '/front-door/contacts/:id/screen',
      { schema: { params: Id, body: FormBody } },
      async (request, reply) => {
        const form = request.body;
        const values = { rag: text(form, 'rag'), rationale: text(form, 'rationale') };
        return record.step(
          request,
          reply,
          request.params.id,
          'screen',
          values,
          () => service.screen(auditContext(request), request.params.id, values),
          'Screening recorded',
        );
      },
    );

    app.post(
      '/front-door/contacts/:id/enquiries',
      { schema: { params: Id, body: FormBody } },
      async (request, reply) => {
        const form = request.body;
        const values = { agencyIds: list(form, 'agencyIds'), question: text(form, 'question') };
        return record.step(
          request,
          reply,
          request.params.id,
          'enquiries',
          values,
          () => service.sendEnquiries(auditContext(request), request.params.id, values),
          'Enquiries sent',
        );
      },
    );
  };
}
