/**
 * The embedded database (PGlite) is PostgreSQL compiled to 32-bit WebAssembly: one process, and a
 * memory ceiling. docs/performance.md records the largest partnership measured to run comfortably
 * on it; at start Harbour says so when a partnership is getting close, while moving to a
 * PostgreSQL server is still a planned change rather than an emergency.
 */
import { sql } from 'kysely';
import type { Deps } from '../../platform/deps.ts';

/** People (person records) the embedded database holds comfortably; measured, see docs/performance.md. */
export const EMBEDDED_COMFORTABLE_PEOPLE = 500_000;
/** Warn from this share of it. */
export const EMBEDDED_WARNING_SHARE = 0.8;

async function personCount(deps: Deps): Promise<number> {
  // The planner's estimate is free; a table never analysed has none (-1), and is small enough to count.
  const { rows } = await sql<{ estimate: number }>`
    select reltuples::bigint as estimate from pg_class
    where oid = to_regclass('person')`.execute(deps.db);
  const estimate = Number(rows[0]?.estimate ?? -1);
  if (estimate >= 0) return estimate;
  const counted = await deps.db
    .selectFrom('person')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(counted.n);
}

/** A warning to print at start when the embedded database is nearing what it holds comfortably; else null. */
export async function embeddedCapacityWarning(
  deps: Deps,
  limits: { comfortablePeople?: number; warningShare?: number } = {},
): Promise<string | null> {
  if (deps.database.kind !== 'pglite') return null;
  const comfortable = limits.comfortablePeople ?? EMBEDDED_COMFORTABLE_PEOPLE;
  const people = await personCount(deps);
  if (people < comfortable * (limits.warningShare ?? EMBEDDED_WARNING_SHARE)) return null;
  const share = Math.round((people / comfortable) * 100);
  return (
    `Warning: the embedded database holds about ${people.toLocaleString('en-GB')} people, ${share}% of the ` +
    `${comfortable.toLocaleString('en-GB')} it holds comfortably (one process, a 32-bit memory ceiling). ` +
    'Move to a PostgreSQL server (set DATABASE_URL) before the partnership grows further: see docs/performance.md.'
  );
}
