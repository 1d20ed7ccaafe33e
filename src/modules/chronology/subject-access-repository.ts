import { rowsWhere } from '../../db/common-queries.ts';
import type { Db, Trx } from '../../db/database.ts';

/** Every chronology event recorded on these records (a person and the records merged into it). */
export function subjectAccessEvents(conn: Db | Trx, personIds: readonly string[]) {
  return rowsWhere(conn.selectFrom('chronology_event').selectAll(), { person_id: personIds }, 'occurred_at');
}
