import { scriptMigration } from '../sql-script.ts';

/**
 * Chronology and risk read the events of a person and of every record merged into them; without
 * this index finding the merged records scanned the whole person table (docs/performance.md).
 */
export const { up, down } = scriptMigration({
  up: 'create index person_merged_into on person(merged_into_id) where merged_into_id is not null',
  down: 'drop index person_merged_into',
});
