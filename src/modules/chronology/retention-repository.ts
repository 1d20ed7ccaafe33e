import { deleteWhere } from '../../db/common-queries.ts';
import type { Db, Trx } from '../../db/database.ts';

/** Which of these people have an event of one of these types (the long retention rule). */
export async function peopleWithEventTypes(
  conn: Db | Trx,
  personIds: readonly string[],
  types: readonly string[],
): Promise<Set<string>> {
  if (personIds.length === 0 || types.length === 0) return new Set();
  const rows = await conn
    .selectFrom('chronology_event')
    .select('person_id')
    .distinct()
    .where('person_id', 'in', [...personIds])
    .where('type', 'in', [...types])
    .execute();
  return new Set(rows.map((r) => r.person_id));
}

/** The events on these people's records, and those written from these contacts. */
export async function eventIdsOf(
  conn: Db | Trx,
  of: { personIds: readonly string[]; contactIds: readonly string[] },
): Promise<string[]> {
  if (of.personIds.length === 0 && of.contactIds.length === 0) return [];
  const rows = await conn
    .selectFrom('chronology_event')
    .select('id')
    .where((eb) =>
      eb.or([
        ...(of.personIds.length ? [eb('person_id', 'in', [...of.personIds])] : []),
        ...(of.contactIds.length
          ? [eb.and([eb('subject_type', '=', 'contact'), eb('subject_id', 'in', [...of.contactIds])])]
          : []),
      ]),
    )
    .execute();
  return rows.map((r) => r.id);
}

export function removeEvents(trx: Trx, eventIds: readonly string[]): Promise<number> {
  return deleteWhere(trx.deleteFrom('chronology_event'), { id: eventIds });
}
