import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.ts';
import { FairPGliteDialect } from './pglite-dialect.ts';
import type { DB } from './schema.ts';

export type DatabaseKind = 'pglite' | 'postgres';
export type Db = Kysely<DB>;
export type Trx = Transaction<DB>;

export interface DatabaseOptions {
  databaseUrl?: string;
  /** PGlite data directory; `memory://` keeps it in memory (tests). */
  dataDir: string;
  /** PostgreSQL schema to use instead of `public` (tests give each file its own). */
  schema?: string;
  /**
   * A PGlite snapshot (from dumpDataDir) to start from: in memory when dataDir is `memory://`
   * (tests), or unpacked into a new, empty data directory (`harbour restore`).
   */
  loadDataDir?: Blob;
  /** Written into the PGlite lock file so a second process can say who holds the database. */
  lockOwner?: { port?: number };
  poolSize?: number;
}

export interface Database {
  db: Db;
  kind: DatabaseKind;
  /** The embedded instance, when kind is pglite (pg-boss runs on it too). */
  pglite?: PGlite;
  databaseUrl?: string;
  schema?: string;
  close(): Promise<void>;
}

const INT8 = 20;
const DATE = 1082;
const NUMERIC = 1700;

/** Dates stay 'YYYY-MM-DD' strings: a JS Date at local midnight shifts a birthday across time zones. */
const parsers = {
  [DATE]: (value: string) => value,
  [INT8]: (value: string) => Number(value),
  [NUMERIC]: (value: string) => Number(value),
};

pg.types.setTypeParser(DATE, parsers[DATE]);
pg.types.setTypeParser(INT8, parsers[INT8]);
pg.types.setTypeParser(NUMERIC, parsers[NUMERIC]);

export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return createPostgres(options.databaseUrl, options);
  return createPglite(options);
}

async function createPglite(options: DatabaseOptions): Promise<Database> {
  const inMemory = options.dataDir.startsWith('memory://') || options.dataDir === '';
  let lock: DataDirLock | undefined;
  if (!inMemory) lock = await acquireDataDirLock(options.dataDir, options.lockOwner ?? {});
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      ...(inMemory ? {} : { dataDir: options.dataDir }),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      extensions: { citext, fuzzystrmatch, pg_trgm },
      parsers,
    });
  } catch (error) {
    lock?.release();
    throw error;
  }
  const db = new Kysely<DB>({ dialect: new FairPGliteDialect({ pglite }) });
  return {
    db,
    kind: 'pglite',
    pglite,
    async close() {
      await db.destroy();
      lock?.release();
    },
  };
}

/**
 * Settings for every connection Harbour opens to a PostgreSQL server. JIT compilation is off: the
 * planner turns it on for any statement it costs over 100,000 (a search's candidate union, the
 * match query's ranked block), and compiling then took 270 ms of a 980 ms search at 100,000
 * people, for statements that run in milliseconds (docs/performance.md).
 */
export function postgresSessionOptions(schema?: string): string {
  return ['-c jit=off', ...(schema ? [`-c search_path=${schema},public`] : [])].join(' ');
}

/**
 * The longest a statement waits for a connection from the pool. Without a bound, a request still
 * queued when the pool is ended is never answered (pg-pool serves nothing and rejects nothing once
 * ending) and its caller waits forever with no timer or socket left: a shutdown that hangs.
 */
const CONNECTION_WAIT_MS = 60_000;

async function createPostgres(databaseUrl: string, options: DatabaseOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: CONNECTION_WAIT_MS,
    options: postgresSessionOptions(options.schema),
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgres',
    databaseUrl,
    ...(options.schema ? { schema: options.schema } : {}),
    async close() {
      await db.destroy();
    },
  };
}

/** Runs fn in one database transaction: everything it writes, including enqueued jobs, commits or none does. */
export function transaction<T>(db: Db, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return db.transaction().execute(fn);
}

/** One round trip that proves the database answers (the health check). */
export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
