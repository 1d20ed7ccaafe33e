import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { auditContext, authorise } from '../../../platform/http/context.ts';
import { PageQuery } from '../../../platform/http/schemas/atoms.ts';
import { PAGE_SIZE, type PageContext, pagesOf, VOCABULARY } from '../pages-common.ts';
import { frontDoorConfig } from '../settings.ts';

/** What a referring agency sees: its contacts and what was decided (F11, F16), and how contacts are routed. */
export function referrerPages({ deps, service }: PageContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/front-door/my-contacts', { schema: { querystring: PageQuery } }, async (request, reply) => {
      authorise(request, 'contact:create');
      const result = await service.submittedByMyAgency(auditContext(request), request.query.page, PAGE_SIZE);
      return reply.page('front-door/views/my-contacts.njk', {
        title: 'Your agency’s contacts and what was decided',
        result,
        page: request.query.page,
        pages: pagesOf(result.total),
        vocabulary: VOCABULARY,
      });
    });

    app.get('/front-door/routing', async (request, reply) => {
      authorise(request, 'contact:create');
      const config = frontDoorConfig(deps);
      return reply.page('front-door/views/routing.njk', {
        title: 'How contacts are routed and timed',
        settings: config.settings,
        vocabulary: VOCABULARY,
      });
    });
  };
}
