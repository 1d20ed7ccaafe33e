import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { createDatabase, type Database } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

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

/** A fresh, migrated, empty database: a PGlite copy, or a new schema on the PostgreSQL server. */
export async function freshDatabase(): Promise<Database & { drop(): Promise<void> }> {
  if (onPostgres) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = await createDatabase({ dataDir: '', databaseUrl: process.env.DATABASE_URL!, poolSize: 1 });
    await sql.raw(`create schema ${schema}`).execute(admin.db);
    await admin.close();
    const database = await createDatabase({
      dataDir: '',
      databaseUrl: process.env.DATABASE_URL!,
      schema,
      poolSize: 5,
    });
    await migrateToLatest(database);
    return {
      ...database,
      async drop() {
        await database.close();
        const cleaner = await createDatabase({
          dataDir: '',
          databaseUrl: process.env.DATABASE_URL!,
          poolSize: 1,
        });
        await sql
          .raw(`drop schema if exists ${schema} cascade; drop schema if exists ${schema}_jobs cascade`)
          .execute(cleaner.db);
        await cleaner.close();
      },
    };
  }
  const database = await createDatabase({ dataDir: 'memory://', loadDataDir: await migratedSnapshot() });
  return { ...database, drop: () => database.close() };
}
