import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ValidationError } from '../../../platform/errors.ts';
import { auditContext, authorise } from '../../../platform/http/context.ts';
import { FormBody, filledIn, list, text } from '../../../platform/http/form-fields.ts';
import { formErrors } from '../../../platform/views.ts';

import { Id, type PageContext, takeFlash, VOCABULARY } from '../pages-common.ts';

/** Early help step-up and step-down (F12). */
export function earlyHelpPages({ service, record }: PageContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    record.stepRoute(app, 'step-down', {
      read: (form) =>
        filledIn(form, '', ['leadPractitioner', 'leadAgencyId', 'plan', 'reason', 'handover'] as const),
      run: (context, id, values) => service.earlyHelp.stepDown(context, id, values),
      flash: 'Stepped down to early help',
    });

    app.get('/front-door/early-help', async (request, reply) => {
      const overview = await service.earlyHelp.overview(auditContext(request));
      return reply.page('front-door/views/early-help.njk', {
        title: 'Early help: step-up and step-down',
        overview,
        flash: takeFlash(request),
      });
    });

    app.get('/front-door/early-help/:id/step-up', { schema: { params: Id } }, async (request, reply) => {
      authorise(request, 'early-help:manage');
      return reply.page('front-door/views/step-up.njk', {
        title: 'Step up to the front door',
        id: request.params.id,
        values: { concerns: [] },
        vocabulary: VOCABULARY,
      });
    });

    app.post(
      '/front-door/early-help/:id/step-up',
      { schema: { params: Id, body: FormBody } },
      async (request, reply) => {
        const form = request.body;
        const values = {
          reason: text(form, 'reason'),
          handover: text(form, 'handover'),
          concerns: list(form, 'concerns'),
        };
        try {
          const result = await service.earlyHelp.stepUp(auditContext(request), request.params.id, values);
          request.session.flash = `Stepped up: ${result.reference} is in the front-door queue`;
          return reply.redirect(`/front-door/contacts/${result.contactId}`, 303);
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          return reply.code(400).page('front-door/views/step-up.njk', {
            title: 'Step up to the front door',
            id: request.params.id,
            values,
            vocabulary: VOCABULARY,
            errors: formErrors(error.errors),
          });
        }
      },
    );
  };
}
