import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ping } from '../../db/database.ts';
import type { Deps } from '../../platform/deps.ts';
import { principalOf } from '../../platform/http/context.ts';
import type { DirectoryService } from '../directory/service.ts';

const Me = Type.Object({
  name: Type.String(),
  agency: Type.Object({ id: Type.String(), code: Type.String(), name: Type.String(), kind: Type.String() }),
  areas: Type.Array(Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() })),
  roles: Type.Array(Type.String()),
});

export function systemRoutes(deps: Deps, directory: DirectoryService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/healthz',
      {
        schema: {
          response: {
            200: Type.Object({
              status: Type.Literal('ok'),
              database: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
            }),
          },
        },
      },
      async (_request, reply) => {
        await ping(deps.db);
        reply.header('cache-control', 'no-store');
        return { status: 'ok' as const, database: deps.database.kind };
      },
    );

    app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

    app.get(
      '/api/v1/me',
      {
        schema: {
          tags: ['System'],
          summary: 'Who the caller is: the agency, areas and roles behind the API key',
          response: { 200: Me, 401: { $ref: 'Problem#' } },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const areas = principal.areaIds.length > 0 ? await directory.areasByIds(principal.areaIds) : [];
        return {
          name: principal.name,
          agency: {
            id: principal.agencyId ?? '',
            code: principal.agencyCode ?? '',
            name: principal.agencyName ?? '',
            kind: principal.agencyKind ?? '',
          },
          areas,
          roles: principal.roles,
        };
      },
    );
  };
}
