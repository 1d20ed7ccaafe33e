import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Case data must not linger in a browser's or proxy's cache on a shared computer (finding 11 of
 * issue 9). The honest simple rule: every response is `no-store` except the few that can never
 * carry case data. Decided on the route that answered, not the raw URL, so no path trick can
 * make a case page look like an asset; a request no route answered gets `no-store` too.
 */
const CACHEABLE_ROUTES = ['/healthz', '/api/openapi.json'];
const CACHEABLE_ROUTE_PREFIXES = ['/assets/', '/api/docs'];

export function isCacheableRoute(routeUrl: string | undefined): boolean {
  if (!routeUrl) return false;
  return CACHEABLE_ROUTES.includes(routeUrl) || CACHEABLE_ROUTE_PREFIXES.some((p) => routeUrl.startsWith(p));
}

function routeOf(request: FastifyRequest): string | undefined {
  return request.is404 ? undefined : request.routeOptions.url;
}

export function registerCacheControl(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (!isCacheableRoute(routeOf(request))) reply.header('cache-control', 'no-store');
    return payload;
  });
}
