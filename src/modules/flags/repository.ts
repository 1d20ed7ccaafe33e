import type { Insertable, Selectable } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import type { PersonFlagTable } from '../../db/schema/flags.ts';

export type FlagRow = Selectable<PersonFlagTable>;
type Conn = Db | Trx;

export async function insertFlag(trx: Trx, row: Insertable<PersonFlagTable>): Promise<string> {
  const { id } = await trx.insertInto('person_flag').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** The open flag of this type an agency already holds on the person, if any. */
export function openFlagOf(conn: Conn, personId: string, type: string, owningAgencyId: string) {
  return conn
    .selectFrom('person_flag')
    .selectAll()
    .where('person_id', '=', personId)
    .where('type', '=', type)
    .where('owning_agency_id', '=', owningAgencyId)
    .where('end_date', 'is', null)
    .executeTakeFirst();
}

export function flagById(conn: Conn, flagId: string) {
  return conn.selectFrom('person_flag').selectAll().where('id', '=', flagId).executeTakeFirst();
}

export async function endFlag(
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
  const result = await trx
    .updateTable('person_flag')
    .set(end)
    .where('id', '=', flagId)
    .where('end_date', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
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
  return conn
    .selectFrom('person_flag')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('start_date', 'desc')
    .orderBy('id')
    .execute();
}

/** Every flag of these people, ended ones too, oldest first (a subject access export). */
export function flagsOfPeople(conn: Conn, personIds: readonly string[]) {
  if (personIds.length === 0) return Promise.resolve([] as FlagRow[]);
  return conn
    .selectFrom('person_flag')
    .selectAll()
    .where('person_id', 'in', [...personIds])
    .orderBy('start_date')
    .orderBy('id')
    .execute();
}

/** Removes every flag of these people (retention, in the caller's transaction): how many went. */
export async function removeFlagsOf(trx: Trx, personIds: readonly string[]): Promise<number> {
  if (personIds.length === 0) return 0;
  const result = await trx
    .deleteFrom('person_flag')
    .where('person_id', 'in', [...personIds])
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
