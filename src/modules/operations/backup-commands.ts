import type { Config } from '../../config.ts';
import type { AuditContext } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { backup } from './backup.ts';
import { restore } from './restore.ts';

export const BACKUP_USAGE = `  backup --to DIR                           Seal the audit log and back the database up into a new
                                            directory (PGlite dump, or pg_dump on PostgreSQL)
  restore --from DIR                        Restore a backup into a new, empty database (DATABASE_URL)
                                            or data directory (HARBOUR_DATA_DIR); checks every
                                            table's row count and verifies the audit chain`;

/**
 * Both commands need a directory: without one, say which (`missing`) and exit 2, the code of a
 * usage error; with one, `run` decides the exit code.
 */
async function inDirectory(
  dir: string | undefined,
  missing: string,
  run: (dir: string) => Promise<number>,
): Promise<number> {
  if (!dir) {
    console.error(missing);
    return 2;
  }
  return run(dir);
}

export function runBackupCommand(
  runtime: Deps,
  context: AuditContext,
  to: string | undefined,
): Promise<number> {
  return inDirectory(to, 'Say where the backup goes: harbour backup --to DIR', async (to) => {
    const manifest = await backup(runtime.database, context, {
      to,
      sealBatch: runtime.config.auditSealBatch,
    });
    const rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0);
    console.log(
      `Backed up the ${manifest.backend === 'pglite' ? 'embedded database' : 'PostgreSQL database'} to ${to}: ${Object.keys(manifest.tables).length} tables, ${rows} rows.`,
    );
    console.log(
      `Audit log sealed: ${manifest.audit.sealedCount} events. Head hash: ${manifest.audit.headHash}`,
    );
    return 0;
  });
}

/** Runs without openRuntime: the target must stay empty until the backup is in it. */
export function runRestoreCommand(
  config: Config,
  context: AuditContext,
  from: string | undefined,
): Promise<number> {
  return inDirectory(from, 'Say which backup to restore: harbour restore --from DIR', async (from) => {
    const result = await restore(
      from,
      { dataDir: config.dataDir, ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}) },
      context,
    );
    for (const m of result.mismatches)
      console.error(`  ${m.table}: the backup recorded ${m.expected} rows, the restore holds ${m.found}`);
    if (!result.verification.ok)
      console.error(
        `Audit log fault after the restore: ${result.verification.problem?.message ?? 'unknown'}`,
      );
    if (!result.ok) {
      console.error(
        'The restore does not match its backup: do not use this database. Nothing was recorded in it.',
      );
      return 1;
    }
    console.log(
      `Restored ${Object.keys(result.manifest.tables).length} tables from ${from} (backup of ${result.manifest.createdAt}); every row count matches the backup.`,
    );
    console.log(
      `Audit log intact: ${result.verification.checked} events checked. Head hash: ${result.verification.headHash}`,
    );
    return 0;
  });
}
