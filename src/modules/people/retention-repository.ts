import { sql } from 'kysely';
import { deleteWhere } from '../../db/common-queries.ts';
import type { Db, Trx } from '../../db/database.ts';

/** Children's records (not merged away, not already removed) born on or before a date: retention candidates. */
export function childrenBornOnOrBefore(conn: Db | Trx, date: string) {
  return conn
    .selectFrom('person')
    .select(['id', 'area_id', 'date_of_birth'])
    .where('kind', '=', 'child')
    .where('merged_into_id', 'is', null)
    .where('date_of_birth', '<=', date)
    .orderBy('date_of_birth')
    .execute();
}

/**
 * Removes what is held about people whose retention period has ended (decision 0012): every
 * fact, relationship, access grant and match review; the person row stays as an empty shell with
 * no name or date of birth, because the audit log and other modules' rows refer to its id. Records
 * merged into them go the same way. Returns the ids removed.
 */
export async function anonymisePeople(trx: Trx, personIds: readonly string[]): Promise<string[]> {
  if (personIds.length === 0) return [];
  const merged = await trx
    .selectFrom('person')
    .select('id')
    .where('merged_into_id', 'in', [...personIds])
    .execute();
  const ids = [...new Set([...personIds, ...merged.map((m) => m.id)])];
  for (const table of [
    'person_name',
    'person_identifier',
    'person_address',
    'person_contact_detail',
    'person_incident_role',
    'access_relationship',
  ] as const)
    await deleteWhere(trx.deleteFrom(table), { person_id: ids });
  await trx
    .deleteFrom('person_relationship')
    .where((eb) => eb.or([eb('person_id', 'in', ids), eb('related_person_id', 'in', ids)]))
    .execute();
  await trx
    .deleteFrom('match_review')
    .where((eb) => eb.or([eb('person_id', 'in', ids), eb('candidate_id', 'in', ids)]))
    .execute();
  await trx
    .updateTable('person')
    .set({
      given_name: 'Removed',
      family_name: 'under retention',
      preferred_name: null,
      date_of_birth: null,
      expected_date: null,
      sex: null,
      gender: null,
      ethnicity: null,
      language: null,
      disability: null,
      nhs_number: null,
      field_sources: '{}',
      blocking_keys: sql`'{}'::text[]`,
      updated_at: sql`now()`,
    })
    .where('id', 'in', ids)
    .execute();
  return ids;
}

/** Access grants that belong to contacts being removed. */
export async function removeContactRelationships(trx: Trx, contactIds: readonly string[]): Promise<void> {
  await deleteWhere(trx.deleteFrom('access_relationship'), { contact_id: contactIds });
}
