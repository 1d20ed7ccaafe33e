import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

/**
 * Chronology and risk read the events of a person and of every record merged into them; without
 * this index finding the merged records scanned the whole person table (docs/performance.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    'create index person_merged_into on person(merged_into_id) where merged_into_id is not null',
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(db, 'drop index person_merged_into');
}
