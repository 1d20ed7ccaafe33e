import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hashApiKey } from '../auth/api-keys.ts';
import { failedApiAuthentications } from '../auth/failed-api-authentication.ts';
import type { Deps } from '../deps.ts';
import { sendProblem } from './problem.ts';
import { countRequest } from './request-counter.ts';

/**
 * Rate limits on the partner API (decision 10), counted in the database so they hold across
 * instances (one row per key or address per window). An address is limited on the requests it makes without a valid key, checked before
 * the key is even looked up, so an address past its limit costs nothing, not even a write. A key
 * is limited on all its requests. Call before registerAuthentication: the address check must run
 * first, the key check runs once the key is known (preParsing, before any body is read).
 */
function isPartnerApi(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/v1');
}

function bearerKey(request: FastifyRequest): string {
  return /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
}

function tooManyRequests(reply: FastifyReply, limit: number, retryAfterSeconds: number, detail: string) {
  reply.header('retry-after', retryAfterSeconds);
  reply.header('x-ratelimit-limit', limit);
  reply.header('x-ratelimit-remaining', 0);
  reply.header('x-ratelimit-reset', retryAfterSeconds);
  return sendProblem(reply, 429, detail, { retryAfterSeconds });
}

export function registerApiRateLimit(app: FastifyInstance, deps: Deps): void {
  const { perKey, perAddress } = deps.config.partnership.api;

  app.addHook('onRequest', async (request, reply) => {
    if (!isPartnerApi(request)) return;
    const { failures, windowEndsAt } = await failedApiAuthentications(deps, request);
    if (failures < perAddress.failedRequests || !windowEndsAt) return;
    const retryAfter = Math.max(1, Math.ceil((windowEndsAt.getTime() - deps.now().getTime()) / 1000));
    request.log.warn({ ip: request.ip, failures }, 'API address over its failed-request limit');
    return tooManyRequests(
      reply,
      perAddress.failedRequests,
      retryAfter,
      `This address has made ${failures} API requests without a valid key in the last ` +
        `${perAddress.windowSeconds} seconds; the limit is ${perAddress.failedRequests}. Try again in ${retryAfter} seconds.`,
    );
  });

  app.addHook('preParsing', async (request, reply, payload) => {
    if (!isPartnerApi(request) || !request.principal) return payload;
    // The key's own hash: only keys that authenticated get here, so the rows are bounded by keys.
    const count = await countRequest(
      deps.db,
      `api-key ${hashApiKey(bearerKey(request))}`,
      perKey.windowSeconds * 1000,
      deps.now(),
    );
    const resetSeconds = Math.max(1, Math.ceil(count.ttl / 1000));
    if (count.current <= perKey.requests) {
      reply.header('x-ratelimit-limit', perKey.requests);
      reply.header('x-ratelimit-remaining', perKey.requests - count.current);
      reply.header('x-ratelimit-reset', resetSeconds);
      return payload;
    }
    request.log.warn({ agency: request.principal.agencyCode }, 'API key over its rate limit');
    tooManyRequests(
      reply,
      perKey.requests,
      resetSeconds,
      `This API key has made more than ${perKey.requests} requests in ${perKey.windowSeconds} seconds. ` +
        `Try again in ${resetSeconds} seconds.`,
    );
    return payload;
  });
}
