import type { Updateable } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';

type Conn = Db | Trx;

/** A contact row locked for the rest of the transaction, so two workers cannot act on it at once. */
export function lockContact(trx: Trx, id: string) {
  return trx.selectFrom('contact').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export type LockedContact = NonNullable<Awaited<ReturnType<typeof lockContact>>>;

/** The people on a contact in the order the submission named them. */
export function contactPersonRoles(db: Conn, contactId: string) {
  return db
    .selectFrom('contact_person')
    .select(['person_id', 'role'])
    .where('contact_id', '=', contactId)
    .orderBy('position')
    .execute();
}

export async function updateContact(trx: Trx, id: string, changes: Updateable<DB['contact']>) {
  await trx.updateTable('contact').set(changes).where('id', '=', id).execute();
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
  return db
    .selectFrom('contact')
    .select(['id', 'area_id', 'source_agency_id', 'kind'])
    .where('id', '=', id)
    .executeTakeFirst();
}
