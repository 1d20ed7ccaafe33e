import type { Config } from './config.ts';
import { createDatabase, type Database } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { type AuditSealer, sealCommittedAudit, startAuditSealer } from './platform/audit-sealer.ts';
import type { Deps } from './platform/deps.ts';
import { type Jobs, startJobs } from './platform/jobs.ts';

/**
 * The deps of a process (the server, a CLI command, the bench) on a database it opened: the wall
 * clock, and `close` to stop what it started and close the database.
 */
export function depsOn(
  config: Config,
  database: Database,
  jobs: Jobs | null,
  close: () => Promise<void>,
): Deps & { close(): Promise<void> } {
  return { config, database, db: database.db, jobs, now: () => new Date(), close };
}

/**
 * Opens the database, brings its schema up to date, seals audit rows left unsealed (a process
 * killed between commit and sealing) and (optionally) starts the job queue and the audit sealer.
 */
export async function openRuntime(
  config: Config,
  /** sealAudit: false leaves the log exactly as found (`audit verify` only reads). */
  options: { jobs: boolean; port?: number; sealAudit?: boolean },
): Promise<Deps & { close(): Promise<void> }> {
  const database: Database = await createDatabase({
    dataDir: config.dataDir,
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl, poolSize: config.databasePoolSize } : {}),
    ...(options.port !== undefined ? { lockOwner: { port: options.port } } : {}),
  });
  const sealing = { batchSize: config.auditSealBatch };
  const seal = options.sealAudit ?? true;
  try {
    await migrateToLatest(database);
    if (seal) await sealCommittedAudit(database.db, sealing);
    const jobs: Jobs | null = options.jobs ? await startJobs(database) : null;
    // The server seals continuously; a CLI command seals what it wrote when it closes.
    const sealer: AuditSealer | null = options.jobs
      ? startAuditSealer(database.db, {
          ...sealing,
          intervalMs: config.auditSealIntervalMs,
          onError: (error) => process.emitWarning(`audit sealer: ${(error as Error).message}`),
        })
      : null;
    return depsOn(config, database, jobs, async () => {
      await jobs?.stop();
      if (sealer) await sealer.stop();
      else if (seal) await sealCommittedAudit(database.db, sealing);
      await database.close();
    });
  } catch (error) {
    await database.close();
    throw error;
  }
}
