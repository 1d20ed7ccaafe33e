import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { transaction } from '../../db/database.ts';
import { recordAudit } from '../audit.ts';
import type { Deps } from '../deps.ts';
import { SYSTEM_PRINCIPAL } from '../principal.ts';

/**
 * An API request without a valid key must not cost a row each (finding 9 of issue 9): a flood of
 * bad keys would grow the audit log without bound and queue every request on the audit chain's
 * lock. Failures are counted per address, reason and window in one row; the first in a window is
 * audited at once and the count when the window closes, so the log still says it happened, how
 * often and from where. The same count is the per-address limit (decision 10).
 */
const UNKNOWN_CLIENT = { ...SYSTEM_PRINCIPAL, name: 'unknown API client', channel: 'api' as const };
const MAX_PATH = 200;

export function clientAddress(request: FastifyRequest): string {
  return normalizeIP(request.ip);
}

function windowAround(now: Date, seconds: number): { start: Date; end: Date } {
  const ms = seconds * 1000;
  const start = Math.floor(now.getTime() / ms) * ms;
  return { start: new Date(start), end: new Date(start + ms) };
}

export async function recordFailedApiAuthentication(
  deps: Deps,
  request: FastifyRequest,
  reason: string,
): Promise<void> {
  const address = clientAddress(request);
  const path = request.url.split('?')[0]!.slice(0, MAX_PATH);
  const window = windowAround(deps.now(), deps.config.partnership.api.perAddress.windowSeconds);
  await transaction(deps.db, async (trx) => {
    const row = await trx
      .insertInto('api_auth_failure')
      .values({
        address,
        reason,
        window_started_at: window.start,
        window_ends_at: window.end,
        failures: 1,
        first_request_id: request.id,
        last_path: path,
      })
      .onConflict((oc) =>
        oc
          .columns(['address', 'reason', 'window_started_at'])
          .doUpdateSet({ failures: sql`api_auth_failure.failures + 1`, last_path: path }),
      )
      .returning('failures')
      .executeTakeFirstOrThrow();
    if (row.failures !== 1) return;
    await recordAudit(
      trx,
      { principal: UNKNOWN_CLIENT, requestId: request.id },
      {
        action: 'api.authenticate',
        outcome: 'denied',
        reason,
        details: {
          method: request.method,
          path,
          address,
          windowEndsAt: window.end.toISOString(),
          further: 'further failures from this address in this window are counted and audited when it closes',
        },
      },
    );
  });
}

/** Failed requests from the caller's address in the current window, and when that window ends. */
export async function failedApiAuthentications(
  deps: Deps,
  request: FastifyRequest,
): Promise<{ failures: number; windowEndsAt: Date | null }> {
  const now = deps.now();
  const row = await deps.db
    .selectFrom('api_auth_failure')
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<number>('failures'), sql<number>`0`).as('failures'),
      eb.fn.max('window_ends_at').as('window_ends_at'),
    ])
    .where('address', '=', clientAddress(request))
    .where('window_started_at', '<=', now)
    .where('window_ends_at', '>', now)
    .executeTakeFirst();
  return { failures: Number(row?.failures ?? 0), windowEndsAt: row?.window_ends_at ?? null };
}

/** Audits the count of every closed window that saw more than its first failure, and clears them. */
export async function auditClosedFailureWindows(deps: Deps): Promise<number> {
  return transaction(deps.db, async (trx) => {
    const closed = await trx
      .deleteFrom('api_auth_failure')
      .where('window_ends_at', '<=', deps.now())
      .returningAll()
      .execute();
    for (const row of closed) {
      if (row.failures < 2) continue;
      await recordAudit(
        trx,
        { principal: UNKNOWN_CLIENT },
        {
          action: 'api.authenticate.repeated',
          outcome: 'denied',
          reason: row.reason,
          details: {
            address: row.address,
            failures: row.failures,
            windowStartedAt: row.window_started_at.toISOString(),
            windowEndsAt: row.window_ends_at.toISOString(),
            lastPath: row.last_path,
          },
        },
      );
    }
    return closed.length;
  });
}
