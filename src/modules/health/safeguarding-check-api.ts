import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { auditContext } from '../../platform/http/context.ts';
import { problems } from '../../platform/http/schemas/atoms.ts';
import type { SafeguardingCheckService } from './safeguarding-checks.ts';
import { SafeguardingCheckAnswerBody, SafeguardingCheckBody, SafeguardingCheckSchema } from './schemas.ts';

export function safeguardingCheckApi(checks: SafeguardingCheckService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/v1/safeguarding-checks',
      {
        schema: {
          tags: ['Safeguarding checks'],
          summary: 'Probation asks police for a child-safeguarding check before court',
          description:
            'The answer is due a set number of working days before the court date (partnership setting health.safeguardingCheckWorkingDaysBeforeCourt, default 5), counted on the partnership’s working calendar; a check still open after that day is escalated and reported.',
          body: SafeguardingCheckBody,
          response: {
            201: Type.Object({ id: Type.String(), dueBy: Type.String() }),
            ...problems(400, 401, 403, 404, 409),
          },
        },
      },
      async (request, reply) => {
        const { personId, courtDate, question } = request.body;
        const created = await checks.request(auditContext(request), {
          personId,
          courtDate,
          ...(question ? { question } : {}),
        });
        return reply.code(201).send(created);
      },
    );

    app.get(
      '/api/v1/safeguarding-checks',
      {
        schema: {
          tags: ['Safeguarding checks'],
          summary: 'The checks the caller’s agency asked for or must answer, soonest due first',
          response: {
            200: Type.Object({ checks: Type.Array(SafeguardingCheckSchema) }),
            ...problems(401, 403),
          },
        },
      },
      async (request) => ({ checks: await checks.forAgency(auditContext(request)) }),
    );

    app.post(
      '/api/v1/safeguarding-checks/:id/answer',
      {
        schema: {
          tags: ['Safeguarding checks'],
          summary: 'Police answer a check',
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          body: SafeguardingCheckAnswerBody,
          response: { 200: Type.Object({ id: Type.String() }), ...problems(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        await checks.answer(auditContext(request), request.params.id, request.body.answer);
        return { id: request.params.id };
      },
    );
  };
}
