import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { auditContext } from '../../platform/http/context.ts';
import { problems } from '../../platform/http/schemas/atoms.ts';
import { EndFlagBody, FlagParams, PersonParams, RaiseFlagBody } from './schemas.ts';
import type { FlagsService } from './service.ts';

export function flagsApi(flags: FlagsService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/v1/people/:id/flags',
      {
        schema: {
          tags: ['Flags'],
          summary: 'The owning service raises a flag on a person',
          description:
            'The caller’s agency owns the flag; only agencies of the kinds that own a type may raise it (children’s social care for a child-protection plan). The flag shows as a banner on the person record to every agency with a relationship, to health systems by NHS number, and is written to the chronology. An open flag of the same type the agency already holds is returned with 200 and not repeated.',
          params: PersonParams,
          body: RaiseFlagBody,
          response: {
            200: Type.Object({ id: Type.String() }),
            201: Type.Object({ id: Type.String() }),
            ...problems(400, 401, 403, 404),
          },
        },
      },
      async (request, reply) => {
        const { type, start, review, contact } = request.body;
        const result = await flags.raiseForPerson(auditContext(request), request.params.id, {
          type,
          start,
          contact,
          ...(review ? { review } : {}),
        });
        return reply.code(result.created ? 201 : 200).send({ id: result.id });
      },
    );

    app.post(
      '/api/v1/people/:id/flags/:flagId/end',
      {
        schema: {
          tags: ['Flags'],
          summary: 'The owning agency ends its flag',
          description: 'Only the agency that owns the flag may end it; the end is written to the chronology.',
          params: FlagParams,
          body: EndFlagBody,
          response: {
            200: Type.Object({ id: Type.String(), end: Type.String() }),
            ...problems(400, 401, 403, 404, 409),
          },
        },
      },
      async (request) => {
        await flags.endForPerson(
          auditContext(request),
          request.params.id,
          request.params.flagId,
          request.body,
        );
        return { id: request.params.flagId, end: request.body.end };
      },
    );
  };
}
