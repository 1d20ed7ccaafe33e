/**
 * The benchmark's own database: a synthetic partnership of a given size, generated once and
 * reused. PGlite: a data directory under bench/data/. PostgreSQL: a database of its own on the
 * server DATABASE_URL names (harbour_bench_<people>_<years>y_s<seed>, created when absent), never
 * the database the URL points at, so the test database is left alone.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { type Config, loadConfig } from '../../src/config.ts';
import { createDatabase, type Database } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { seedSynthetic } from '../../src/modules/synthetic/seed.ts';
import type { Deps } from '../../src/platform/deps.ts';
import { cliPrincipal } from '../../src/platform/principal.ts';
import { depsOn } from '../../src/runtime.ts';
import { buildServices } from '../../src/services.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface DatasetSpec {
  backend: 'pglite' | 'postgres';
  people: number;
  years: number;
  seed: number;
  /** Regenerate even if a finished dataset exists. */
  fresh: boolean;
  progress: boolean;
}

export interface Dataset {
  name: string;
  /** Environment that points the app (src/main.ts) at this dataset. */
  env: Record<string, string>;
  deps: Deps & { close(): Promise<void> };
  database: Database;
  generatedSeconds: number | null;
  /** From the seed's audit event. */
  info: {
    today: string;
    heavyChildIds: string[];
    stats: Record<string, unknown>;
    rows: Record<string, number>;
  };
}

function datasetName(spec: DatasetSpec): string {
  return `${spec.people}_${spec.years}y_s${spec.seed}`;
}

function serverUrl(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function ensurePostgresDatabase(adminUrl: string, name: string, fresh: boolean): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount && fresh) {
      await client.query(`drop database ${client.escapeIdentifier(name)} with (force)`);
    }
    if (!exists.rowCount || fresh) await client.query(`create database ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

async function seedInfo(deps: Deps): Promise<Dataset['info'] | null> {
  const row = await deps.db
    .selectFrom('audit_event')
    .select('details')
    .where('action', '=', 'synthetic.seed')
    .executeTakeFirst();
  if (!row) return null;
  const details = (typeof row.details === 'string' ? JSON.parse(row.details) : row.details) as Record<
    string,
    unknown
  >;
  const stats = details.stats as { heavyChildIds: string[] };
  return {
    today: String(details.today),
    heavyChildIds: stats.heavyChildIds,
    stats: details.stats as Record<string, unknown>,
    rows: details.rows as Record<string, number>,
  };
}

export function appConfig(env: Record<string, string>): Config {
  return loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'warn', HARBOUR_DEMO: '0', ...env }, ROOT);
}

/** Opens (and migrates) the database an environment names: also a copy of a dataset. */
export async function open(
  env: Record<string, string>,
): Promise<{ database: Database; deps: Dataset['deps'] }> {
  const config = appConfig(env);
  const database = await createDatabase({
    dataDir: config.dataDir,
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl, poolSize: 4 } : {}),
  });
  await migrateToLatest(database);
  // No job queue in the bench's own process: the app creates its queues as it starts, and on PGlite
  // pg-boss's own handle would wait behind an open intake transaction. Services skip enqueueing
  // without one, so in-process figures and floors leave out the job inserts (a few per intake).
  return { database, deps: depsOn(config, database, null, () => database.close()) };
}

/** Opens the dataset, generating it first when it does not exist yet (or `fresh` is asked for). */
export async function openDataset(spec: DatasetSpec): Promise<Dataset> {
  const name = datasetName(spec);
  let env: Record<string, string>;
  if (spec.backend === 'postgres') {
    const adminUrl = process.env.DATABASE_URL!;
    const database = `harbour_bench_${name}`;
    await ensurePostgresDatabase(adminUrl, database, spec.fresh);
    env = { DATABASE_URL: serverUrl(adminUrl, database) };
  } else {
    const dataDir = path.join(ROOT, 'bench', 'data', `pglite-${name}`);
    if (spec.fresh && existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true });
    env = { HARBOUR_DATA_DIR: dataDir };
  }
  let { database, deps } = await open(env);
  let info = await seedInfo(deps);
  let generatedSeconds: number | null = null;
  if (!info) {
    const empty = (await deps.db.selectFrom('area').select('id').limit(1).execute()).length === 0;
    if (!empty) {
      // A half-made dataset (an interrupted generation): start again.
      await deps.close();
      if (spec.backend === 'postgres')
        await ensurePostgresDatabase(process.env.DATABASE_URL!, `harbour_bench_${name}`, true);
      else rmSync(env.HARBOUR_DATA_DIR!, { recursive: true, force: true });
      ({ database, deps } = await open(env));
    }
    const result = await seedSynthetic(
      buildServices(deps),
      { principal: cliPrincipal('bench') },
      {
        people: spec.people,
        years: spec.years,
        seed: spec.seed,
        progress: spec.progress,
      },
    );
    generatedSeconds = result.seconds ?? null;
    await sql`vacuum analyze`.execute(deps.db);
    info = await seedInfo(deps);
  }
  return { name, env, deps, database, generatedSeconds, info: info! };
}

/** On-disk size of the dataset's database. */
export async function databaseBytes(deps: Deps): Promise<number> {
  const { rows } = await sql<{
    bytes: number;
  }>`select pg_database_size(current_database())::bigint as bytes`.execute(deps.db);
  return Number(rows[0]!.bytes);
}
