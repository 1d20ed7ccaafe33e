import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { createDatabase, type Database } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { grantAppRole, roleOf } from '../../src/db/roles.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SNAPSHOT_DIR = path.join(ROOT, 'test-data');

/** True when the suite runs against a PostgreSQL server (CI's second pass). */
export const onPostgres = Boolean(process.env.DATABASE_URL);

/** Migrations change the snapshot: its name carries a hash of every migration file. */
function migrationsHash(): string {
  const dir = path.join(ROOT, 'src', 'db', 'migrations');
  const hash = createHash('sha256');
  for (const file of readdirSync(dir).sort()) hash.update(file).update(readFileSync(path.join(dir, file)));
  hash.update(readFileSync(path.join(ROOT, 'src', 'db', 'sql-script.ts')));
  return hash.digest('hex').slice(0, 16);
}

let snapshot: Promise<Blob> | undefined;

/**
 * Migrating PGlite takes seconds; copying a migrated data directory takes milliseconds. The first
 * test process to need it migrates once and writes the snapshot; every test then gets its own copy.
 */
function migratedSnapshot(): Promise<Blob> {
  snapshot ??= (async () => {
    const file = path.join(SNAPSHOT_DIR, `pglite-${migrationsHash()}.tar`);
    if (existsSync(file)) return new Blob([readFileSync(file)]);
    const database = await createDatabase({ dataDir: 'memory://' });
    await migrateToLatest(database);
    const dump = await database.pglite!.dumpDataDir('none');
    await database.close();
    mkdirSync(SNAPSHOT_DIR, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, file);
    return dump;
  })();
  return snapshot;
}

/**
 * The role the suite's app connections use on PostgreSQL: DATABASE_APP_URL, or the DATABASE_URL
 * server as `harbour_app`, created on first use. DATABASE_URL is the owner, which migrates.
 */
const APP_ROLE = 'harbour_app';

function appUrl(): string {
  if (process.env.DATABASE_APP_URL) return process.env.DATABASE_APP_URL;
  const url = new URL(process.env.DATABASE_URL!);
  url.username = APP_ROLE;
  url.password = '';
  return url.toString();
}

/** The app role's URL for another database on the same server (tests that make a database of their own). */
export function appUrlFor(database: string): string {
  const url = new URL(appUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates the app role if the server does not have it yet; returns its name. */
export async function ensureAppRole(owner: Database): Promise<string> {
  const role = roleOf(appUrl());
  await ensureRole(owner, role);
  return role;
}

async function ensureRole(owner: Database, role: string): Promise<void> {
  const { rows } = await sql<{
    n: number;
  }>`select count(*)::int as n from pg_roles where rolname = ${role}`.execute(owner.db);
  if (rows[0]!.n > 0) return;
  try {
    await sql`create role ${sql.id(role)} login`.execute(owner.db);
  } catch (error) {
    // Test files start in parallel: another may have created it a moment ago.
    if (!['42710', '23505'].includes((error as { code?: string }).code ?? '')) throw error;
  }
}

/**
 * The migrator's introspection asks `has_schema_privilege` of every schema in the catalogue; when
 * another test file drops its schema between the catalogue scan and that call, the migration fails
 * with "schema t_… does not exist" (seen in CI). Migrations hold this lock shared, drops hold it
 * exclusively, so files still migrate side by side and a drop waits for them.
 */
const SCHEMA_CHURN_LOCK = 4242002;

async function whileNoSchemaIsDropped<T>(owner: Database, fn: () => Promise<T>): Promise<T> {
  return owner.db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock_shared(${SCHEMA_CHURN_LOCK})`.execute(connection);
    try {
      return await fn();
    } finally {
      await sql`select pg_advisory_unlock_shared(${SCHEMA_CHURN_LOCK})`.execute(connection);
    }
  });
}

export type TestDatabase = Database & {
  /** The schema owner's connection (PGlite has one role: the same database). For tampering tests. */
  owner: Database;
  drop(): Promise<void>;
};

/**
 * A fresh, migrated, empty database: a PGlite copy, or a new schema on the PostgreSQL server,
 * migrated by the owner role and used through the app role (docs/database-roles.md).
 */
export async function freshDatabase(): Promise<TestDatabase> {
  if (onPostgres) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const ownerUrl = process.env.DATABASE_URL!;
    const owner = await createDatabase({ dataDir: '', databaseUrl: ownerUrl, schema, poolSize: 3 });
    await sql.raw(`create schema ${schema}`).execute(owner.db);
    await whileNoSchemaIsDropped(owner, () => migrateToLatest(owner));
    const url = appUrl();
    await ensureRole(owner, roleOf(url));
    await grantAppRole(owner.db, { role: roleOf(url), schema, jobSchema: `${schema}_jobs` });
    const database = await createDatabase({ dataDir: '', databaseUrl: url, schema, poolSize: 5 });
    return {
      ...database,
      owner,
      async drop() {
        await database.close();
        await owner.db.transaction().execute(async (trx) => {
          await sql`select pg_advisory_xact_lock(${SCHEMA_CHURN_LOCK})`.execute(trx);
          await sql.raw(`drop schema if exists ${schema} cascade`).execute(trx);
          await sql.raw(`drop schema if exists ${schema}_jobs cascade`).execute(trx);
        });
        await owner.close();
      },
    };
  }
  const database = await createDatabase({ dataDir: 'memory://', loadDataDir: await migratedSnapshot() });
  return { ...database, owner: database, drop: () => database.close() };
}

/**
 * The database as a second app instance reaches it: on PostgreSQL a connection pool of its own
 * to the same server and schema, as a second instance has in production; PGlite is one process's
 * database, so there it is the same one. `close` ends the pool it opened, if any.
 */
export async function secondPool<T extends { database: Database; db: Database['db'] }>(
  deps: T,
): Promise<{ deps: T; close(): Promise<void> }> {
  if (!onPostgres) return { deps, close: async () => {} };
  const database = await createDatabase({
    dataDir: '',
    databaseUrl: deps.database.databaseUrl!,
    schema: deps.database.schema!,
  });
  return { deps: { ...deps, database, db: database.db }, close: () => database.close() };
}
