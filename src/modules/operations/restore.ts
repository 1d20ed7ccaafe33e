import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { createDatabase, type Database } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { sealCommittedAudit } from '../../platform/audit-sealer.ts';
import { type ChainVerification, verifyAuditChain } from '../../platform/audit-verify.ts';
import { BackupError, type BackupManifest, dumpPath, readManifest } from './backup.ts';
import { runPostgresTool } from './postgres-tools.ts';
import { tableCounts } from './table-counts.ts';

export interface RestoreTarget {
  /** PostgreSQL: the new, empty database to restore into. */
  databaseUrl?: string;
  /** PostgreSQL: the schema the backup's tables are in, when not public (tests). */
  schema?: string;
  /** The embedded database: a new or empty directory. */
  dataDir: string;
}

export interface RestoreResult {
  manifest: BackupManifest;
  /** The restored chain, verified before anything else is written. */
  verification: ChainVerification;
  /** Tables whose restored row count differs from the manifest's (empty when all match). */
  mismatches: { table: string; expected: number; found: number }[];
  ok: boolean;
}

async function tablesIn(database: Database, schemas: readonly string[]): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from information_schema.tables
    where table_schema = any(${[...schemas]}::text[])`.execute(database.db);
  return rows[0]!.n;
}

async function openTarget(manifest: BackupManifest, target: RestoreTarget, dump: string): Promise<Database> {
  if (manifest.backend === 'pglite') {
    if (target.databaseUrl)
      throw new BackupError(
        'This is a backup of the embedded database; restoring it into PostgreSQL is not supported. Unset DATABASE_URL. Nothing was changed.',
      );
    if (existsSync(target.dataDir) && readdirSync(target.dataDir).length > 0)
      throw new BackupError(
        `${target.dataDir} is not empty: a restore goes into a new or empty data directory. Nothing was changed.`,
      );
    return createDatabase({ dataDir: target.dataDir, loadDataDir: new Blob([readFileSync(dump)]) });
  }
  if (!target.databaseUrl)
    throw new BackupError(
      'This is a backup of a PostgreSQL database: set DATABASE_URL to the new, empty database to restore into. Nothing was changed.',
    );
  const database = await createDatabase({
    dataDir: '',
    databaseUrl: target.databaseUrl,
    ...(target.schema ? { schema: target.schema } : {}),
    poolSize: 2,
  });
  try {
    if ((await tablesIn(database, manifest.schemas)) > 0)
      throw new BackupError(
        `The target database already has tables in ${manifest.schemas.join(', ')}: restore into a new, empty database. Nothing was changed.`,
      );
    // A dump of Harbour's schemas alone does not carry the extensions they use (they live in public).
    await sql`create extension if not exists citext with schema public`.execute(database.db);
    await sql`create extension if not exists pg_trgm with schema public`.execute(database.db);
    await sql`create extension if not exists fuzzystrmatch with schema public`.execute(database.db);
    await runPostgresTool('pg_restore', [
      '--exit-on-error',
      '--single-transaction',
      '--no-owner',
      `--dbname=${target.databaseUrl}`,
      dump,
    ]);
    return database;
  } catch (error) {
    await database.close();
    throw error;
  }
}

/**
 * `harbour restore --from DIR` (decision 0012): loads the backup into a new, empty database, then,
 * before writing anything, checks every table's row count against the manifest and verifies the
 * audit chain up to the head the manifest names. Only then does it bring the schema up to date,
 * seal, and record the restore in the restored log.
 */
export async function restore(
  from: string,
  target: RestoreTarget,
  context: AuditContext,
): Promise<RestoreResult> {
  const manifest = readManifest(from);
  const database = await openTarget(manifest, target, dumpPath(from, manifest));
  try {
    const found = await tableCounts(database.db, manifest.schemas);
    const mismatches = [...new Set([...Object.keys(manifest.tables), ...Object.keys(found)])]
      .sort()
      .filter((table) => manifest.tables[table] !== found[table])
      .map((table) => ({ table, expected: manifest.tables[table] ?? 0, found: found[table] ?? 0 }));
    // Rows committed after the backup's seal are in it unsealed; their age is not a fault here.
    const verification = await verifyAuditChain(database.db, {
      unsealedMaxAgeSeconds: 100 * 365 * 24 * 3600,
    });
    const headMatches =
      verification.anchor.sealedCount === manifest.audit.sealedCount &&
      verification.headHash === manifest.audit.headHash;
    const ok = mismatches.length === 0 && verification.ok && headMatches;
    if (!verification.ok || !headMatches) {
      verification.ok = false;
      verification.problem ??= {
        message: `the restored chain ends at ${verification.headHash}, not at the backup's head ${manifest.audit.headHash}`,
      };
    }
    if (ok) {
      await migrateToLatest(database);
      await recordAudit(database.db, context, {
        action: 'operations.restore',
        details: {
          backend: manifest.backend,
          backupCreatedAt: manifest.createdAt,
          auditHead: manifest.audit.headHash,
        },
      });
      await sealCommittedAudit(database.db);
    }
    return { manifest, verification, mismatches, ok };
  } finally {
    await database.close();
  }
}
