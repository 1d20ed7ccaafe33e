import type { Updateable } from 'kysely';
import { rowsWhere, rowWhere, updateWhere } from '../../db/common-queries.ts';
import type { Db, Trx } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';

type Conn = Db | Trx;

/** A contact row locked for the rest of the transaction, so two workers cannot act on it at once. */
export function lockContact(trx: Trx, id: string) {
  return rowWhere(trx.selectFrom('contact').selectAll().forUpdate(), { id });
}

export type LockedContact = NonNullable<Awaited<ReturnType<typeof lockContact>>>;

/** The people on a contact in the order the submission named them. */
export function contactPersonRoles(db: Conn, contactId: string) {
  return rowsWhere(
    db.selectFrom('contact_person').select(['person_id', 'role']),
    { contact_id: contactId },
    'position',
  );
}

export async function updateContact(trx: Trx, id: string, changes: Updateable<DB['contact']>) {
  await updateWhere(trx.updateTable('contact').set(changes), { id });
}

export function contactReference(trx: Trx, id: string) {
  return trx
    .selectFrom('contact')
    .select(['reference', 'area_id'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** The children on a contact, in the order the submission named them. */
export async function childrenOfContact(trx: Trx, contactId: string) {
  return (await contactPersonRoles(trx, contactId)).filter((row) => row.role === 'child');
}

/** What the access policy needs of a contact. */
export function contactAccessRow(db: Conn, id: string) {
  return rowWhere(db.selectFrom('contact').select(['id', 'area_id', 'source_agency_id', 'kind']), { id });
}
