import type { FastifyReply, FastifyRequest } from 'fastify';
import { recordFailedApiAuthentication } from '../auth/failed-api-authentication.ts';
import type { Deps } from '../deps.ts';
import type { Principal } from '../principal.ts';

/** Who an agency API key belongs to (the directory's lookup), or null for an unknown or revoked key. */
export type ApiKeyLookup = (key: string) => Promise<Principal | null>;

/**
 * The agency system user behind a request's `Authorization: Bearer <key>`. A missing, unknown or
 * revoked key is counted, not audited row by row (a flood of bad keys must not grow the log,
 * decision 10), and the reply is told to ask for a bearer key; the caller sends its own refusal,
 * in its own format, saying whether a key was sent at all.
 */
export async function bearerKeyPrincipal(
  deps: Deps,
  lookup: ApiKeyLookup,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<{ principal: Principal } | { principal: null; keySent: boolean }> {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  const principal = match ? await lookup(match[1]!) : null;
  if (principal) return { principal };
  await recordFailedApiAuthentication(
    deps,
    request,
    match ? 'unknown or revoked API key' : 'no bearer API key',
  );
  reply.header('WWW-Authenticate', 'Bearer');
  return { principal: null, keySent: match !== null };
}
