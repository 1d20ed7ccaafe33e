import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Deps } from '../../platform/deps.ts';
import { principalOf } from '../../platform/http/context.ts';
import { homePanelsFor } from '../../platform/http/home-panels.ts';
import { ROLES } from '../../platform/roles.ts';

export function homeRoutes(_deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/', async (request, reply) => {
      const principal = principalOf(request);
      const panels = await homePanelsFor(principal, request);
      return reply.page('home/views/home.njk', {
        title: 'Your work',
        panels,
        roleNames: principal.roles.map((role) => ROLES[role]),
      });
    });
  };
}
