import type { Config } from './config.ts';
import { createDatabase, type Database } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { Deps } from './platform/deps.ts';
import { type Jobs, startJobs } from './platform/jobs.ts';

/** Opens the database, brings its schema up to date and (optionally) starts the job queue. */
export async function openRuntime(
  config: Config,
  options: { jobs: boolean; port?: number },
): Promise<Deps & { close(): Promise<void> }> {
  const database: Database = await createDatabase({
    dataDir: config.dataDir,
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    ...(options.port !== undefined ? { lockOwner: { port: options.port } } : {}),
  });
  try {
    await migrateToLatest(database);
    const jobs: Jobs | null = options.jobs ? await startJobs(database) : null;
    return {
      config,
      database,
      db: database.db,
      jobs,
      now: () => new Date(),
      async close() {
        await jobs?.stop();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
