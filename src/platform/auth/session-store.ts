import type { SessionStore } from '@fastify/session';
import type { Session } from 'fastify';
import type { Db } from '../../db/database.ts';

/**
 * Sessions live in the database so any app instance can serve any request.
 * Rows carry their own expiry; a job sweeps the expired ones.
 */
export class DatabaseSessionStore implements SessionStore {
  readonly #db: Db;
  readonly #fallbackLifetimeMs: number;

  constructor(db: Db, fallbackLifetimeMs: number) {
    this.#db = db;
    this.#fallbackLifetimeMs = fallbackLifetimeMs;
  }

  set(sid: string, session: Session, callback: (error?: unknown) => void): void {
    const cookie = session.cookie as { expires?: Date | string | null } | undefined;
    const userId = typeof session.userId === 'string' ? session.userId : null;
    const expires = cookie?.expires
      ? new Date(cookie.expires)
      : new Date(Date.now() + this.#fallbackLifetimeMs);
    this.#db
      .insertInto('http_session')
      .values({ sid, user_id: userId, data: JSON.stringify(session), expires_at: expires })
      .onConflict((oc) =>
        oc.column('sid').doUpdateSet({ user_id: userId, data: JSON.stringify(session), expires_at: expires }),
      )
      .execute()
      .then(() => callback(), callback);
  }

  get(sid: string, callback: (error: unknown, session?: never) => void): void {
    this.#db
      .selectFrom('http_session')
      .select(['data', 'expires_at'])
      .where('sid', '=', sid)
      .executeTakeFirst()
      .then((row) => {
        if (!row || row.expires_at.getTime() <= Date.now()) return callback(null, null as never);
        callback(null, row.data as never);
      }, callback);
  }

  destroy(sid: string, callback: (error?: unknown) => void): void {
    this.#db
      .deleteFrom('http_session')
      .where('sid', '=', sid)
      .execute()
      .then(() => callback(), callback);
  }
}

export async function sweepExpiredSessions(db: Db, now: Date = new Date()): Promise<number> {
  const result = await db.deleteFrom('http_session').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
