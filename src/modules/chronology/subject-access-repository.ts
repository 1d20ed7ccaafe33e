import type { Db, Trx } from '../../db/database.ts';

/** Every chronology event recorded on these records (a person and the records merged into it). */
export function subjectAccessEvents(conn: Db | Trx, personIds: readonly string[]) {
  if (personIds.length === 0) return Promise.resolve([]);
  return conn
    .selectFrom('chronology_event')
    .selectAll()
    .where('person_id', 'in', personIds)
    .orderBy('occurred_at')
    .execute();
}
