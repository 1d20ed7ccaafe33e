import type { Config } from '../config.ts';
import type { Database, Db } from '../db/database.ts';
import type { Jobs } from './jobs.ts';

/** What every service is built from. `now` is injectable so clocks and expiries can be tested. */
export interface Deps {
  config: Config;
  database: Database;
  db: Db;
  jobs: Jobs | null;
  now(): Date;
}
