import { rowsWhere } from '../../db/common-queries.ts';
import type { Db, Trx } from '../../db/database.ts';

/**
 * Every contact and DAN that names these records, with the person as the submitter described them,
 * and the other people on each contact by id and role only (third parties, for redaction review).
 */
export async function subjectAccessContacts(conn: Db | Trx, personIds: readonly string[]) {
  if (personIds.length === 0) return [];
  const mine = await rowsWhere(conn.selectFrom('contact_person').selectAll(), { person_id: personIds });
  const contactIds = [...new Set(mine.map((m) => m.contact_id))];
  if (contactIds.length === 0) return [];
  const enquiryColumns = [
    'id',
    'contact_id',
    'agency_id',
    'question',
    'response',
    'requested_at',
    'responded_at',
  ] as const;
  const [contacts, everyone, decisions, enquiries] = await Promise.all([
    rowsWhere(conn.selectFrom('contact').selectAll(), { id: contactIds }, 'received_at'),
    rowsWhere(conn.selectFrom('contact_person').select(['contact_id', 'person_id', 'role', 'supplied']), {
      contact_id: contactIds,
    }),
    rowsWhere(conn.selectFrom('decision').selectAll(), { contact_id: contactIds }),
    rowsWhere(conn.selectFrom('enquiry').select(enquiryColumns), { contact_id: contactIds }),
  ]);
  return contacts.map((contact) => ({
    contact,
    asDescribed: mine.filter((m) => m.contact_id === contact.id),
    others: everyone.filter((p) => p.contact_id === contact.id && !personIds.includes(p.person_id)),
    decisions: decisions.filter((d) => d.contact_id === contact.id),
    enquiries: enquiries.filter((e) => e.contact_id === contact.id),
  }));
}
