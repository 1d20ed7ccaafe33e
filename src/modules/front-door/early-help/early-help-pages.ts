import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { auditContext, authorise } from '../../../platform/http/context.ts';
import { FormBody, filledIn, list, text } from '../../../platform/http/form-fields.ts';
import { redirectWithFlash, saveForm } from '../../../platform/http/form-save.ts';
import { PageNumber, Uuid } from '../../../platform/http/schemas/atoms.ts';
import { formErrors } from '../../../platform/views.ts';
import { EARLY_HELP_LEAD_AGENCY_KINDS } from '../../directory/service.ts';

import { Id, PAGE_SIZE, type PageContext, pagesOf, takeFlash, VOCABULARY } from '../pages-common.ts';

const INBOX_SHOWS = ['to-pick-up', 'mine', 'all'] as const;

/** Early help step-up and step-down (F12). */
export function earlyHelpPages({ service, record }: PageContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    record.stepRoute(app, 'step-down', {
      read: (form) => filledIn(form, '', ['lead', 'plan', 'reason', 'handover'] as const),
      run: (context, id, values) => service.earlyHelp.stepDown(context, id, values),
      flash: 'Stepped down to early help',
    });

    // The early-help inbox (issue 12): children stepped down to early help, waiting to be picked up.
    app.get(
      '/front-door/early-help/inbox',
      {
        schema: {
          querystring: Type.Object({
            show: Type.Union(
              INBOX_SHOWS.map((s) => Type.Literal(s)),
              { default: 'to-pick-up' },
            ),
            lead: Type.Optional(Type.Union([Uuid(), Type.Literal('')])),
            page: PageNumber(),
          }),
        },
      },
      async (request, reply) => {
        const principal = authorise(request, 'early-help:manage');
        const q = request.query;
        const result = await service.earlyHelp.inbox(auditContext(request), {
          show: q.show,
          ...(q.lead ? { leadAgencyId: q.lead } : {}),
          page: q.page,
          pageSize: PAGE_SIZE,
        });
        const agencies = (await Promise.all(principal.areaIds.map((a) => service.agenciesFor(a)))).flat();
        const leadAgencies = [
          ...new Map(
            agencies
              .filter((a) => (EARLY_HELP_LEAD_AGENCY_KINDS as readonly string[]).includes(a.kind))
              .map((a) => [a.id, { id: a.id, name: a.name }]),
          ).values(),
        ];
        const filters = new URLSearchParams({ show: q.show });
        if (q.lead) filters.set('lead', q.lead);
        return reply.page('front-door/views/early-help-inbox.njk', {
          title: 'Early help inbox',
          result,
          query: { ...q, lead: q.lead ?? '' },
          leadAgencies,
          userId: principal.userId,
          filterString: filters.toString(),
          pages: pagesOf(result.total),
          flash: takeFlash(request),
        });
      },
    );

    app.post(
      '/front-door/early-help/:id/assign',
      { schema: { params: Id, body: FormBody } },
      async (request, reply) => {
        const picked = await service.earlyHelp.assignToMe(auditContext(request), request.params.id);
        request.session.flash = `You have picked up early help for ${picked.name}`;
        // Back to the inbox as it was; only query-string characters are kept, on a fixed path.
        const query = (text(request.body, 'query') ?? '').replace(/[^A-Za-z0-9=&%._-]/g, '');
        return reply.redirect(`/front-door/early-help/inbox${query ? `?${query}` : ''}`, 303);
      },
    );

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
        return saveForm({
          save: () => service.earlyHelp.stepUp(auditContext(request), request.params.id, values),
          invalid: (errors) =>
            reply.code(400).page('front-door/views/step-up.njk', {
              title: 'Step up to the front door',
              id: request.params.id,
              values,
              vocabulary: VOCABULARY,
              errors: formErrors(errors),
            }),
          done: (result) =>
            redirectWithFlash(
              request,
              reply,
              `Stepped up: ${result.reference} is in the front-door queue`,
              `/front-door/contacts/${result.contactId}`,
            ),
        });
      },
    );
  };
}
