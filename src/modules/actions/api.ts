import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { auditContext } from '../../platform/http/context.ts';
import { pagedAnswer } from '../../platform/http/page-counts.ts';
import { Id } from '../../platform/http/schemas/atoms.ts';
import { ActionDoneBody, ActionListSchema, ActionStatusQuery, PROBLEMS } from './schemas.ts';
import type { ActionsService, ActionView } from './service.ts';

/** An action as the API returns it (the same shape wherever a meeting lists its actions). */
export function actionJson(a: ActionView) {
  return {
    id: a.id,
    source: a.source,
    personIds: a.personIds,
    ownerAgencyId: a.ownerAgencyId,
    ownerAgencyName: a.ownerAgencyName,
    ownerUserId: a.ownerUserId,
    description: a.description,
    dueBy: a.dueBy.toISOString(),
    status: a.status,
    overdue: a.overdue,
    doneAt: a.doneAt?.toISOString() ?? null,
    doneBy: a.doneBy,
    doneNote: a.doneNote,
  };
}

export function actionsApi(actions: ActionsService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/v1/actions',
      {
        schema: {
          tags: ['Actions'],
          summary:
            "The calling agency's own multi-agency actions (from strategy discussions, MARAC and panels)",
          querystring: ActionStatusQuery,
          response: { 200: ActionListSchema, ...PROBLEMS },
        },
      },
      async (request) => {
        return pagedAnswer(
          'actions',
          await actions.forAgency(auditContext(request), request.query),
          actionJson,
        );
      },
    );
    // The generic completion; a meeting's own route (a strategy discussion's) does the same for its actions.
    app.post(
      '/api/v1/actions/:id/done',
      {
        schema: {
          tags: ['Actions'],
          summary: 'Mark one of your agency’s actions done, with a note',
          params: Id,
          body: ActionDoneBody,
          response: { 200: Type.Object({ id: Type.String(), status: Type.Literal('done') }), ...PROBLEMS },
        },
      },
      async (request) => {
        await actions.markDone(auditContext(request), request.params.id, request.body);
        return { id: request.params.id, status: 'done' as const };
      },
    );
  };
}
