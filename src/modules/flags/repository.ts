import type { Insertable, Selectable } from 'kysely';
import { deleteWhere, insertReturningId, rowsWhere, rowWhere, updateOnce } from '../../db/common-queries.ts';
import type { Db, Trx } from '../../db/database.ts';
import type { PersonFlagTable } from '../../db/schema/flags.ts';

export type FlagRow = Selectable<PersonFlagTable>;
type Conn = Db | Trx;

export function insertFlag(trx: Trx, row: Insertable<PersonFlagTable>): Promise<string> {
  return insertReturningId(trx.insertInto('person_flag'), row);
}

/** The open flag of this type an agency already holds on the person, if any. */
export function openFlagOf(conn: Conn, personId: string, type: string, owningAgencyId: string) {
  return rowWhere(conn.selectFrom('person_flag').selectAll(), {
    person_id: personId,
    type,
    owning_agency_id: owningAgencyId,
    end_date: null,
  });
}

export function flagById(conn: Conn, flagId: string) {
  return rowWhere(conn.selectFrom('person_flag').selectAll(), { id: flagId });
}

export function endFlag(
  trx: Trx,
  flagId: string,
  end: {
    end_date: string;
    end_reason: string;
    ended_at: Date;
    ended_by_user_id: string | null;
    ended_by_name: string;
  },
): Promise<boolean> {
  return updateOnce(trx.updateTable('person_flag').set(end), { id: flagId, end_date: null });
}

/** Flags of these people that have not ended before `today` (ended flags on or after today still show). */
export function currentFlagsOf(conn: Conn, personIds: readonly string[], today: string) {
  if (personIds.length === 0) return Promise.resolve([] as FlagRow[]);
  return conn
    .selectFrom('person_flag')
    .selectAll()
    .where('person_id', 'in', personIds)
    .where('start_date', '<=', today)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', today)]))
    .orderBy('start_date', 'desc')
    .orderBy('id')
    .execute();
}

/** Every flag of a person, newest first, for the owning agency's page. */
export function flagsOfPerson(conn: Conn, personId: string) {
  return rowsWhere(
    conn.selectFrom('person_flag').selectAll(),
    { person_id: personId },
    'start_date desc',
    'id',
  );
}

/** Every flag of these people, ended ones too, oldest first (a subject access export). */
export function flagsOfPeople(conn: Conn, personIds: readonly string[]) {
  return rowsWhere(conn.selectFrom('person_flag').selectAll(), { person_id: personIds }, 'start_date', 'id');
}

/** Removes every flag of these people (retention, in the caller's transaction): how many went. */
export function removeFlagsOf(trx: Trx, personIds: readonly string[]): Promise<number> {
  return deleteWhere(trx.deleteFrom('person_flag'), { person_id: personIds });
}
