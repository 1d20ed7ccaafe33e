import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/**
 * A fixed-window request counter in the database, so a limit holds however many app instances
 * share it (decision 10). One row per key for the current window: a flood updates the row, it
 * never appends rows. Expired rows are swept by maintenance.
 */
export interface RequestCount {
  current: number;
  /** Milliseconds until the window ends. */
  ttl: number;
}

export async function countRequest(db: Db, key: string, windowMs: number, now: Date): Promise<RequestCount> {
  const expiresAt = new Date(now.getTime() + windowMs);
  const expired = sql<boolean>`rate_limit_counter.expires_at <= ${now}`;
  const row = await db
    .insertInto('rate_limit_counter')
    .values({ key, hits: 1, expires_at: expiresAt })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql`case when ${expired} then 1 else rate_limit_counter.hits + 1 end`,
        expires_at: sql`case when ${expired} then ${expiresAt} else rate_limit_counter.expires_at end`,
      }),
    )
    .returning(['hits', 'expires_at'])
    .executeTakeFirstOrThrow();
  return { current: row.hits, ttl: Math.max(0, row.expires_at.getTime() - now.getTime()) };
}

export async function sweepExpiredRequestCounts(db: Db, now: Date): Promise<number> {
  const result = await db.deleteFrom('rate_limit_counter').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
