import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Database, Db, Trx } from '../../db/database.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { sealCommittedAudit } from '../../platform/audit-sealer.ts';
import { jobSchemaFor } from '../../platform/jobs.ts';
import { runPostgresTool } from './postgres-tools.ts';
import { currentSchema, tableCounts } from './table-counts.ts';

/**
 * `harbour backup --to DIR` (decision 0012). The audit log is sealed first, so the backup's chain
 * ends at a recorded head; the manifest records that head and every table's row count, taken in
 * the same snapshot as the dump, so a restore can prove it brought back exactly what was backed up.
 */
export interface BackupManifest {
  format: 'harbour-backup';
  version: 1;
  backend: 'pglite' | 'postgres';
  createdAt: string;
  /** The dump, beside the manifest. */
  file: string;
  sha256: string;
  /** The schemas the dump holds: Harbour's tables and the job queue's. */
  schemas: string[];
  tables: Record<string, number>;
  audit: { sealedCount: number; headHash: string };
}

export const MANIFEST_FILE = 'manifest.json';
const PGLITE_FILE = 'harbour-embedded.tar.gz';
const POSTGRES_FILE = 'harbour.pgdump';

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

async function anchorOf(conn: Db | Trx) {
  const anchor = await conn
    .selectFrom('audit_anchor')
    .select(['sealed_count', 'head_hash'])
    .executeTakeFirstOrThrow();
  return { sealedCount: anchor.sealed_count, headHash: anchor.head_hash };
}

function prepareTarget(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new BackupError(
      `${dir} is not empty: a backup goes into a new or empty directory. Nothing was written.`,
    );
  mkdirSync(dir, { recursive: true });
}

export async function backup(
  database: Database,
  context: AuditContext,
  options: { to: string; sealBatch?: number },
): Promise<BackupManifest> {
  const dir = path.resolve(options.to);
  prepareTarget(dir);
  await sealCommittedAudit(database.db, { batchSize: options.sealBatch ?? 2000 });
  const schemas = [await currentSchema(database.db), jobSchemaFor(database)];
  const createdAt = new Date().toISOString();
  let manifest: BackupManifest;
  if (database.kind === 'pglite') {
    // The embedded database has one connection, and this process holds it (the lock): nothing can
    // write between the counts and the dump. The checkpoint puts everything in the data files.
    await sql`checkpoint`.execute(database.db);
    const tables = await tableCounts(database.db, schemas);
    const audit = await anchorOf(database.db);
    const dump = await database.pglite!.dumpDataDir('gzip');
    const file = path.join(dir, PGLITE_FILE);
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    manifest = {
      format: 'harbour-backup',
      version: 1,
      backend: 'pglite',
      createdAt,
      file: PGLITE_FILE,
      sha256: sha256(file),
      schemas,
      tables,
      audit,
    };
  } else {
    // pg_dump reads the snapshot this transaction exported, so the counts and the head recorded
    // here describe exactly what the dump holds, while the servers go on writing.
    manifest = await database.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const { rows } = await sql<{ snapshot: string }>`select pg_export_snapshot() as snapshot`.execute(
          trx,
        );
        const tables = await tableCounts(trx, schemas);
        const audit = await anchorOf(trx);
        const file = path.join(dir, POSTGRES_FILE);
        // Only Harbour's schemas when it shares a database with others (tests); else the whole database.
        const only = database.schema ? schemas.flatMap((s) => ['--schema', s]) : [];
        await runPostgresTool('pg_dump', [
          '--format=custom',
          `--snapshot=${rows[0]!.snapshot}`,
          `--file=${file}`,
          ...only,
          `--dbname=${database.databaseUrl}`,
        ]);
        return {
          format: 'harbour-backup' as const,
          version: 1 as const,
          backend: 'postgres' as const,
          createdAt,
          file: POSTGRES_FILE,
          sha256: sha256(file),
          schemas,
          tables,
          audit,
        };
      });
  }
  writeFileSync(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  // Recorded after the dump, in the live database: the backup ends at the head it names.
  await recordAudit(database.db, context, {
    action: 'operations.backup',
    details: {
      backend: manifest.backend,
      auditHead: manifest.audit.headHash,
      tables: Object.keys(manifest.tables).length,
    },
  });
  return manifest;
}

export function readManifest(dir: string): BackupManifest {
  const file = path.join(path.resolve(dir), MANIFEST_FILE);
  if (!existsSync(file))
    throw new BackupError(`${dir} holds no Harbour backup (no ${MANIFEST_FILE}). Nothing was changed.`);
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as BackupManifest;
  if (manifest.format !== 'harbour-backup' || manifest.version !== 1)
    throw new BackupError(
      `${file} is not a Harbour backup manifest this version can read. Nothing was changed.`,
    );
  const dump = path.join(path.resolve(dir), manifest.file);
  if (!existsSync(dump) || sha256(dump) !== manifest.sha256)
    throw new BackupError(
      `${dump} is missing or does not match its checksum in the manifest. Nothing was changed.`,
    );
  return manifest;
}

export function dumpPath(dir: string, manifest: BackupManifest): string {
  return path.join(path.resolve(dir), manifest.file);
}
