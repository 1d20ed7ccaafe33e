import type { Db, Trx } from '../../db/database.ts';

/**
 * Every contact and DAN that names these records, with the person as the submitter described them,
 * and the other people on each contact by id and role only (third parties, for redaction review).
 */
export async function subjectAccessContacts(conn: Db | Trx, personIds: readonly string[]) {
  if (personIds.length === 0) return [];
  const mine = await conn
    .selectFrom('contact_person')
    .selectAll()
    .where('person_id', 'in', personIds)
    .execute();
  const contactIds = [...new Set(mine.map((m) => m.contact_id))];
  if (contactIds.length === 0) return [];
  const [contacts, everyone, decisions, enquiries] = await Promise.all([
    conn.selectFrom('contact').selectAll().where('id', 'in', contactIds).orderBy('received_at').execute(),
    conn
      .selectFrom('contact_person')
      .select(['contact_id', 'person_id', 'role', 'supplied'])
      .where('contact_id', 'in', contactIds)
      .execute(),
    conn.selectFrom('decision').selectAll().where('contact_id', 'in', contactIds).execute(),
    conn
      .selectFrom('enquiry')
      .select(['id', 'contact_id', 'agency_id', 'question', 'response', 'requested_at', 'responded_at'])
      .where('contact_id', 'in', contactIds)
      .execute(),
  ]);
  return contacts.map((contact) => ({
    contact,
    asDescribed: mine.filter((m) => m.contact_id === contact.id),
    others: everyone.filter((p) => p.contact_id === contact.id && !personIds.includes(p.person_id)),
    decisions: decisions.filter((d) => d.contact_id === contact.id),
    enquiries: enquiries.filter((e) => e.contact_id === contact.id),
  }));
}
