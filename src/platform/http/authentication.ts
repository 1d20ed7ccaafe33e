import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DirectoryService } from '../../modules/directory/service.ts';
import { recordAudit } from '../audit.ts';
import { recordFailedApiAuthentication } from '../auth/failed-api-authentication.ts';
import type { Deps } from '../deps.ts';
import { SYSTEM_PRINCIPAL } from '../principal.ts';
import { sendProblem } from './problem.ts';

const PUBLIC_PREFIXES = [
  '/assets/',
  '/api/docs',
  '/sign-in',
  '/healthz',
  // Readiness says nothing about case data; /metrics checks its own bearer token (decision 0012).
  '/readyz',
  '/metrics',
  '/api/openapi.json',
  '/favicon.ico',
  // FHIR authenticates its own API key and answers with OperationOutcome (modules/health/fhir).
  '/fhir/',
];

export function isApiRequest(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}

function isPublic(url: string): boolean {
  return PUBLIC_PREFIXES.some((prefix) => url === prefix || url.startsWith(prefix));
}

/** Refreshing lastSeenAt at most once a minute keeps session writes off most requests. */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * Who is calling: partner systems by bearer key on /api/v1, people by session cookie on pages.
 * The API never accepts a cookie, so it needs no CSRF defence; pages always check the CSRF token.
 */
export function registerAuthentication(app: FastifyInstance, deps: Deps, directory: DirectoryService): void {
  const idleMs = deps.config.sessionIdleMinutes * 60_000;

  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/api/v1')) {
      const header = request.headers.authorization ?? '';
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const principal = match ? await directory.principalForApiKey(match[1]!) : null;
      if (!principal) {
        // Counted, not appended row by row: a flood of bad keys must not grow the log (decision 10).
        await recordFailedApiAuthentication(
          deps,
          request,
          match ? 'unknown or revoked API key' : 'no bearer API key',
        );
        reply.header('WWW-Authenticate', 'Bearer');
        return sendProblem(
          reply,
          401,
          match
            ? 'The API key is not valid or has been revoked.'
            : 'Send an API key as "Authorization: Bearer <key>".',
        );
      }
      request.principal = principal;
      return;
    }

    const session = request.session;
    if (session?.userId) {
      const now = deps.now().getTime();
      const lastSeen = session.lastSeenAt ?? 0;
      if (now - lastSeen > idleMs) {
        const principal = await directory.principalForUser(session.userId);
        await recordAudit(
          deps.db,
          {
            principal: principal ?? {
              ...SYSTEM_PRINCIPAL,
              userId: session.userId,
              name: 'unknown',
              channel: 'web',
            },
            requestId: request.id,
          },
          {
            action: 'session.expired',
            outcome: 'denied',
            reason: `no activity for ${deps.config.sessionIdleMinutes} minutes`,
          },
        );
        await session.regenerate();
        // regenerate() replaces request.session, so the flash goes on the new one.
        request.session.flash = 'expired';
      } else {
        request.principal = await directory.principalForUser(session.userId);
        if (!request.principal) {
          await session.regenerate();
        } else if (now - lastSeen > TOUCH_INTERVAL_MS) {
          session.lastSeenAt = now;
        }
      }
    }
    if (!request.principal && !isPublic(request.url) && !isApiRequest(request)) {
      const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
      return reply.redirect(`/sign-in${next}`, 303);
    }
  });

  app.addHook('preValidation', (request, reply, done) => {
    if (isApiRequest(request) || ['GET', 'HEAD', 'OPTIONS'].includes(request.method)) return done();
    app.csrfProtection(request, reply, done);
  });
}
