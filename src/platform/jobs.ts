import { sql } from 'kysely';
import { fromKysely, fromPglite, PgBoss } from 'pg-boss';
import type { Database, Trx } from '../db/database.ts';

/**
 * Background work (SLA clocks, reminders, the notifications outbox) on pg-boss, in the same
 * database as the case data. Jobs are enqueued through the caller's transaction, so a job exists
 * if and only if the change that caused it committed.
 */
export interface Jobs {
  readonly boss: PgBoss;
  /** Declares a queue; call once per queue at startup. */
  define(queue: string): Promise<void>;
  enqueue(
    trx: Trx,
    queue: string,
    data: object,
    options?: { startAfter?: Date; singletonKey?: string },
  ): Promise<string | null>;
  work<T extends object>(queue: string, handler: (data: T, jobId: string) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

export interface JobsOptions {
  /** Run maintenance and the scheduler in this process (one instance per deployment is enough, more is safe). */
  supervise?: boolean;
  pollingIntervalSeconds?: number;
}

/**
 * How long stop() lets running handlers finish before pg-boss fails their jobs (they run again
 * later), and then how long it waits for a handler pg-boss gave up on: pg-boss returns from its
 * stop while such a handler may still be using the database, and the caller ends the database's
 * pool next. Both bounded, so a shutdown always ends.
 */
const STOP_GRACE_MS = 5000;
const ABANDONED_HANDLER_WAIT_MS = 30_000;

/** Waits for every promise to settle, or for `ms`, whichever comes first. */
async function settledWithin(promises: Promise<unknown>[], ms: number): Promise<void> {
  if (promises.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([Promise.allSettled(promises), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export function jobSchemaFor(database: Database): string {
  return database.schema ? `${database.schema}_jobs` : 'pgboss';
}

/**
 * Under the PostgreSQL role split (docs/database-roles.md) the owner creates the job schema for the
 * app role, which may not create schemas itself; pg-boss then installs its tables into it.
 */
async function jobSchemaExists(database: Database, schema: string): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`
    select exists (select 1 from pg_namespace where nspname = ${schema}) as found`.execute(database.db);
  return rows[0]!.found;
}

export async function startJobs(database: Database, options: JobsOptions = {}): Promise<Jobs> {
  const schema = jobSchemaFor(database);
  const createSchema = database.kind === 'pglite' || !(await jobSchemaExists(database, schema));
  const boss =
    database.kind === 'pglite' && database.pglite
      ? new PgBoss({
          db: fromPglite(database.pglite),
          backend: 'pglite',
          schema,
          supervise: options.supervise ?? true,
        })
      : new PgBoss({
          connectionString: database.databaseUrl,
          schema,
          createSchema,
          max: 3,
          supervise: options.supervise ?? true,
          application_name: 'harbour-jobs',
        });
  boss.on('error', (error: unknown) => {
    // Errors in pg-boss's own loops are retried by it; surfacing them keeps them visible in logs.
    process.emitWarning(`job queue: ${(error as Error).message}`);
  });
  await boss.start();
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 2;
  const running = new Set<Promise<void>>();
  return {
    boss,
    async define(queue) {
      await boss.createQueue(queue);
    },
    enqueue(trx, queue, data, sendOptions = {}) {
      return boss.send(queue, data, {
        db: fromKysely(trx),
        ...(sendOptions.startAfter ? { startAfter: sendOptions.startAfter } : {}),
        ...(sendOptions.singletonKey ? { singletonKey: sendOptions.singletonKey } : {}),
      });
    },
    async work(queue, handler) {
      await boss.work<object>(queue, { pollingIntervalSeconds }, (jobs) => {
        const batch = (async () => {
          for (const job of jobs) await handler(job.data as never, job.id);
        })();
        running.add(batch);
        const forget = () => running.delete(batch);
        batch.then(forget, forget);
        return batch;
      });
    },
    async stop() {
      await boss.stop({ graceful: true, close: true, timeout: STOP_GRACE_MS });
      await settledWithin([...running], ABANDONED_HANDLER_WAIT_MS);
    },
  };
}
