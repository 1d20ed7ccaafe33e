import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { FieldError } from '../../platform/errors.ts';
import { auditContext } from '../../platform/http/context.ts';
import { takeFlash } from '../../platform/http/flash.ts';
import { saveThenRedirect } from '../../platform/http/form-save.ts';
import { addHomePanel, readPanel } from '../../platform/http/home-panels.ts';
import { addNavigationItem } from '../../platform/http/navigation.ts';
import { pagesOf } from '../../platform/http/page-counts.ts';
import { Id } from '../../platform/http/schemas/atoms.ts';
import { formErrors, plural } from '../../platform/views.ts';
import { ActionStatusQuery, type ActionStatusQueryInput } from './schemas.ts';
import type { ActionsService } from './service.ts';

const TABS = [
  { status: 'open', text: 'Open' },
  { status: 'overdue', text: 'Overdue' },
  { status: 'done', text: 'Done' },
] as const;

/** The agency's own actions page: see them, and mark each done with a note (works without JavaScript). */
export function actionsRoutes(actions: ActionsService): FastifyPluginAsyncTypebox {
  addNavigationItem({ href: '/actions', text: 'Actions', action: 'action:view' });
  addHomePanel(
    readPanel({
      id: 'multi-agency-actions',
      title: 'Your agency’s actions',
      action: 'action:view',
      order: 45,
      read: (principal) => actions.countsFor(principal),
      summary: ({ open, overdue }) =>
        open === 0
          ? 'Actions agreed for your agency at strategy discussions and MARAC appear here.'
          : `${plural(open, 'open action')}${overdue ? `, ${overdue} overdue` : ''}.`,
      links: [{ href: '/actions', text: 'See your agency’s actions' }],
    }),
  );

  async function showList(
    request: FastifyRequest,
    reply: FastifyReply,
    query: ActionStatusQueryInput,
    failed: { actionId: string; note: string; errors: FieldError[] } | null,
  ) {
    const result = await actions.forAgency(auditContext(request), query);
    const flash = takeFlash(request);
    const errors = failed
      ? failed.errors.map((e) => ({ ...e, field: e.field === 'note' ? `note-${failed.actionId}` : e.field }))
      : [];
    return reply.code(failed ? 400 : 200).page('actions/views/actions.njk', {
      title: 'Your agency’s actions',
      result,
      status: query.status,
      tabs: TABS.map((t) => ({ ...t, current: t.status === query.status })),
      pages: pagesOf(result.total, result.pageSize),
      errors: formErrors(errors),
      failed,
      flash,
    });
  }

  return async (app) => {
    app.get('/actions', { schema: { querystring: ActionStatusQuery } }, (request, reply) =>
      showList(request, reply, request.query, null),
    );

    app.post(
      '/actions/:id/done',
      {
        schema: {
          params: Id,
          body: Type.Object({ note: Type.Optional(Type.String({ maxLength: 4000 })) }),
          querystring: ActionStatusQuery,
        },
      },
      async (request, reply) => {
        const note = request.body.note ?? '';
        return saveThenRedirect(request, reply, {
          save: () => actions.markDone(auditContext(request), request.params.id, { note }),
          invalid: (errors) =>
            showList(request, reply, request.query, { actionId: request.params.id, note, errors }),
          flash: 'The action was marked done.',
          next: `/actions?status=${request.query.status}`,
        });
      },
    );
  };
}
