import { loadConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/database.ts';
import type { DB } from '../../src/db/schema.ts';
import { seedDemo } from '../../src/modules/demo/seed.ts';
import type { DirectoryService } from '../../src/modules/directory/service.ts';
import type { PartnershipSettings } from '../../src/partnership-settings.ts';
import type { AuditContext } from '../../src/platform/audit.ts';
import type { Deps } from '../../src/platform/deps.ts';
import { type Jobs, startJobs } from '../../src/platform/jobs.ts';
import { cliPrincipal } from '../../src/platform/principal.ts';
import { buildServices } from '../../src/services.ts';
import { freshDatabase, type TestDatabase } from './database.ts';
import { rowCount as rowsIn } from './row-count.ts';

export interface TestDeps extends Deps {
  /** The database as its owner sees it: the same as `database` on PGlite (tampering tests). */
  owner: Database;
  /** Moves the test clock; null gives the real clock back. */
  setNow(date: Date | null): void;
  close(): Promise<void>;
}

export async function testDeps(
  options: {
    jobs?: boolean;
    seed?: boolean;
    env?: Record<string, string>;
    /** Work as the schema owner, for operator commands that change the schema (the synthetic seed). */
    asOwner?: boolean;
  } = {},
): Promise<TestDeps> {
  const fresh: TestDatabase = await freshDatabase();
  const database: Database = options.asOwner ? fresh.owner : fresh;
  const config = loadConfig({ NODE_ENV: 'test', HARBOUR_DATA_DIR: 'memory://', ...options.env });
  let now: Date | null = null;
  const jobs: Jobs | null = options.jobs
    ? await startJobs(database, { pollingIntervalSeconds: 0.5, supervise: false })
    : null;
  const deps: TestDeps = {
    config,
    database,
    db: database.db,
    owner: fresh.owner,
    jobs,
    now: () => now ?? new Date(),
    setNow(date) {
      now = date;
    },
    async close() {
      await jobs?.stop();
      await fresh.drop();
    },
  };
  if (options.seed !== false)
    await seedDemo(buildServices(deps), { principal: cliPrincipal('test') }, { householdsPerArea: 3 });
  return deps;
}

/** The audit context of a seeded user, as the services see a signed-in request by them. */
export async function contextOf(
  directory: Pick<DirectoryService, 'findUserByEmail' | 'principalForUser'>,
  email: string,
): Promise<AuditContext> {
  const user = await directory.findUserByEmail(email);
  if (!user) throw new Error(`No seeded user ${email}`);
  const principal = await directory.principalForUser(user.id);
  if (!principal) throw new Error(`The seeded user ${email} is disabled`);
  return { principal };
}

/** The id of a seeded agency, by its code. */
export async function seededAgencyId(deps: Pick<Deps, 'db'>, code: string): Promise<string> {
  const row = await deps.db
    .selectFrom('agency')
    .select('id')
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** How many rows a table holds, for checks that a refused request wrote nothing. */
export function rowCount(deps: Pick<Deps, 'db'>, table: keyof DB): Promise<number> {
  return rowsIn(deps.db, table);
}

/**
 * The ids of the seeded children (of one area, where given), in id order: the same pick on every
 * run of one seed. `limit` takes the first few.
 */
export async function childIdsIn(
  deps: Pick<Deps, 'db'>,
  areaCode?: string,
  limit?: number,
): Promise<string[]> {
  let query = deps.db.selectFrom('person').select('id').where('kind', '=', 'child').orderBy('id');
  if (areaCode)
    query = query.where('area_id', 'in', (eb) =>
      eb.selectFrom('area').select('id').where('code', '=', areaCode),
    );
  if (limit) query = query.limit(limit);
  return (await query.execute()).map((row) => row.id);
}

/**
 * The same deps with one section of the partnership's settings changed, the rest as they were:
 * a test of how a partnership configured otherwise behaves, on the file's database.
 */
export function withPartnershipSection<D extends Pick<Deps, 'config'>, K extends keyof PartnershipSettings>(
  deps: D,
  section: K,
  changes: Partial<PartnershipSettings[K]>,
): D {
  const partnership: PartnershipSettings = {
    ...deps.config.partnership,
    // Every section is an object; TypeScript cannot tell so of a section named by a type parameter.
    [section]: { ...(deps.config.partnership[section] as object), ...changes },
  };
  return { ...deps, config: { ...deps.config, partnership } };
}
