import { rowsWhere } from '../../db/common-queries.ts';
import type { Db, Trx } from '../../db/database.ts';

/**
 * Everything the people module holds about one person, for a subject access request and for
 * retention (decision 0012): the record itself, the records merged into it (the same person), and
 * every fact with the agency that supplied it and when. Related people are returned by id and
 * name only; the export marks them as third parties. Not access-checked: the caller decides.
 */
export async function subjectAccessFacts(conn: Db | Trx, personId: string) {
  const records = await conn
    .selectFrom('person')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', personId), eb('merged_into_id', '=', personId)]))
    .execute();
  const ids = records.map((r) => r.id);
  if (ids.length === 0) return null;
  const [names, identifiers, addresses, contactDetails, relationships, incidentRoles, access] =
    await Promise.all([
      rowsWhere(conn.selectFrom('person_name').selectAll(), { person_id: ids }, 'recorded_at'),
      rowsWhere(conn.selectFrom('person_identifier').selectAll(), { person_id: ids }, 'recorded_at'),
      rowsWhere(conn.selectFrom('person_address').selectAll(), { person_id: ids }, 'recorded_at'),
      rowsWhere(conn.selectFrom('person_contact_detail').selectAll(), { person_id: ids }, 'recorded_at'),
      relationshipsOf(conn, ids),
      rowsWhere(conn.selectFrom('person_incident_role').selectAll(), { person_id: ids }, 'recorded_at'),
      rowsWhere(conn.selectFrom('access_relationship').selectAll(), { person_id: ids }, 'granted_at'),
    ]);
  return { records, names, identifiers, addresses, contactDetails, relationships, incidentRoles, access };
}

/** Relationships either way round, with the other person's id and current name (a third party). */
async function relationshipsOf(conn: Db | Trx, ids: readonly string[]) {
  const rows = await conn
    .selectFrom('person_relationship')
    .selectAll()
    .where((eb) => eb.or([eb('person_id', 'in', ids), eb('related_person_id', 'in', ids)]))
    .orderBy('recorded_at')
    .execute();
  const otherIds = [
    ...new Set(rows.map((r) => (ids.includes(r.person_id) ? r.related_person_id : r.person_id))),
  ].filter((id) => !ids.includes(id));
  const others = await rowsWhere(conn.selectFrom('person').select(['id', 'given_name', 'family_name']), {
    id: otherIds,
  });
  const byId = new Map(others.map((o) => [o.id, o]));
  return rows.map((r) => {
    const mine = ids.includes(r.person_id);
    const otherId = mine ? r.related_person_id : r.person_id;
    const other = byId.get(otherId);
    return {
      ...r,
      direction: mine ? ('from' as const) : ('to' as const),
      other: { id: otherId, name: other ? `${other.given_name} ${other.family_name}` : null },
    };
  });
}
