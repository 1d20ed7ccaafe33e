/**
 * The physical-limit reference. An operation is run once on a Kysely that records every
 * statement it sends; the floor is then the time to send exactly those statements, with the same
 * parameters, straight through the driver (`pg` prepared statements, or PGlite's query) — no HTTP,
 * validation, access checks, JavaScript scoring or rendering. The ratio operation / floor says how
 * much of an operation's time is the application rather than the database work it needs.
 */
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import { type Database, type Db, postgresSessionOptions } from '../../src/db/database.ts';
import type { DB } from '../../src/db/schema.ts';
import { type Summary, summarise, timeSerial } from './stats.ts';

export interface Statement {
  sql: string;
  parameters: readonly unknown[];
}

const capturing = new WeakMap<Database, { db: Db; sink: Sink<Statement> }>();

/**
 * A second Kysely on the same database whose log records every statement sent, as compiled, with
 * its parameters (errors too: they were sent). A plugin cannot do this: Kysely runs plugins for
 * sub-queries as they are built, and builders derived from one another share a query id. Made once
 * per database and never destroyed (for PGlite that would close the app's instance).
 */
function capturingDb(database: Database) {
  let entry = capturing.get(database);
  if (!entry) {
    const sink: Sink<Statement> = { into: null };
    const dialect =
      database.kind === 'pglite'
        ? new PGliteDialect({ pglite: database.pglite! })
        : new PostgresDialect({
            pool: new pg.Pool({
              connectionString: database.databaseUrl,
              max: 4,
              options: postgresSessionOptions(database.schema),
            }),
          });
    const db = new Kysely<DB>({
      dialect,
      log(event) {
        sink.into?.push({ sql: event.query.sql, parameters: event.query.parameters });
      },
    });
    entry = { db, sink };
    capturing.set(database, entry);
  }
  return entry;
}

/** Where a connection's listener puts what it sees, while someone is collecting it. */
export interface Sink<T> {
  into: T[] | null;
}

/** Runs `fn` with `sink` collecting into a fresh list, and returns the list; collecting stops however `fn` ends. */
export async function collecting<T>(sink: Sink<T>, fn: () => Promise<unknown>): Promise<T[]> {
  const into: T[] = [];
  sink.into = into;
  try {
    await fn();
  } finally {
    sink.into = null;
  }
  return into;
}

/** Runs `fn` with a database handle that records what it sends; returns the statements in the order they completed. */
export function captureStatements(
  database: Database,
  fn: (db: Db) => Promise<unknown>,
): Promise<Statement[]> {
  const { db, sink } = capturingDb(database);
  return collecting(sink, () => fn(db));
}

/** A transaction's own bracketing statements, which neither the floor nor a plan counts as work. */
export const isTransactionControl = (sql: string) =>
  /^\s*(begin|commit|rollback|savepoint|release)\b/i.test(sql);

const WRITE = /^\s*(insert|update|delete|merge)\b/i;
const LOCK = /pg_advisory_xact_lock/i;

export type FloorKind = 'reads' | 'writes';

/**
 * What the floor replays. For a read, the SELECTs (an audited read also appends to the audit log;
 * that write is the application's policy, not the read's work, and is left out). For a write, all
 * the statements but the audit chain's lock, inside one transaction that is rolled back, each under
 * a savepoint so a unique key the first run already used costs its index probe and moves on.
 */
export function floorStatements(statements: readonly Statement[], kind: FloorKind): Statement[] {
  const meaningful = statements.filter((s) => !isTransactionControl(s.sql));
  if (kind === 'reads') return meaningful.filter((s) => !WRITE.test(s.sql) && !LOCK.test(s.sql));
  return meaningful.filter((s) => !LOCK.test(s.sql));
}

export interface Replayer {
  run(statements: readonly Statement[], kind: FloorKind): Promise<void>;
  close(): Promise<void>;
}

/** A raw connection to the same database as the app: one `pg` client, or the PGlite instance itself. */
export async function replayer(database: Database): Promise<Replayer> {
  if (database.kind === 'pglite') {
    const pglite = database.pglite!;
    return {
      async run(statements, kind) {
        if (kind === 'reads') {
          for (const s of statements) await pglite.query(s.sql, [...s.parameters]);
          return;
        }
        await pglite.transaction(async (tx) => {
          for (const [i, s] of statements.entries()) {
            await tx.query(`savepoint s${i}`);
            try {
              await tx.query(s.sql, [...s.parameters]);
              await tx.query(`release savepoint s${i}`);
            } catch {
              await tx.query(`rollback to savepoint s${i}`);
            }
          }
          await tx.rollback();
        });
      },
      async close() {},
    };
  }
  const client = new pg.Client({
    connectionString: database.databaseUrl,
    // The app's own session settings, so the floor plans and runs its statements the same way.
    options: postgresSessionOptions(database.schema),
  });
  await client.connect();
  const names = new Map<string, string>();
  const prepared = (s: Statement) => {
    let name = names.get(s.sql);
    if (!name) {
      name = `floor_${names.size}`;
      names.set(s.sql, name);
    }
    return { name, text: s.sql, values: [...s.parameters] };
  };
  return {
    async run(statements, kind) {
      if (kind === 'reads') {
        for (const s of statements) await client.query(prepared(s));
        return;
      }
      await client.query('begin');
      try {
        for (const s of statements) {
          await client.query('savepoint s');
          try {
            await client.query(prepared(s));
            await client.query('release savepoint s');
          } catch {
            await client.query('rollback to savepoint s');
          }
        }
      } finally {
        await client.query('rollback');
      }
    },
    async close() {
      await client.end();
    },
  };
}

export async function measureFloor(
  replay: Replayer,
  statementSets: readonly Statement[][],
  kind: FloorKind,
  options: { warmup: number; iterations: number; maxSeconds: number },
): Promise<{ summary: Summary; statements: number }> {
  const sets = statementSets.map((s) => floorStatements(s, kind));
  const { summary } = await timeSerial((i) => replay.run(sets[i % sets.length]!, kind), options);
  return {
    summary,
    statements: Math.round(sets.reduce((a, s) => a + s.length, 0) / Math.max(1, sets.length)),
  };
}

export interface ConcurrentFloor {
  connections: number;
  /** Replays completed per second, all connections together. */
  throughput: number;
  p50: number;
  p95: number;
}

/**
 * The floor under concurrency: `connections` raw connections (PostgreSQL: each its own `pg`
 * client; PGlite: the one instance, which queues them, as it queues the app's) replay the captured
 * statement sets at once for `seconds`, each connection starting on a different set so that
 * writes do not wait on each other's uncommitted keys more than the operation itself would. This is
 * the throughput the database gives these exact statements on this machine; the application's
 * HTTP throughput at the same concurrency is reported as a fraction of it.
 */
export async function measureConcurrentFloor(
  database: Database,
  statementSets: readonly Statement[][],
  kind: FloorKind,
  options: { connections: number; seconds: number },
): Promise<ConcurrentFloor> {
  const sets = statementSets.map((s) => floorStatements(s, kind));
  const replayers: Replayer[] = [];
  try {
    for (let i = 0; i < options.connections; i++)
      replayers.push(database.kind === 'pglite' && i > 0 ? replayers[0]! : await replayer(database));
    // One untimed pass per connection: prepared statements and caches, as the app's pool has.
    await Promise.all(replayers.map((r, i) => r.run(sets[i % sets.length]!, kind)));
    const latencies: number[] = [];
    const started = performance.now();
    const deadline = started + options.seconds * 1000;
    await Promise.all(
      replayers.map(async (r, i) => {
        for (let j = i; performance.now() < deadline; j += options.connections) {
          const t0 = performance.now();
          await r.run(sets[j % sets.length]!, kind);
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const summary = summarise(latencies);
    return {
      connections: options.connections,
      throughput: latencies.length / seconds,
      p50: summary.p50,
      p95: summary.p95,
    };
  } finally {
    for (const r of new Set(replayers)) await r.close();
  }
}
