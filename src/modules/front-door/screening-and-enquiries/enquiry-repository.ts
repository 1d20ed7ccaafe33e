import type { Insertable } from 'kysely';
import type { Trx } from '../../../db/database.ts';
import type { DB } from '../../../db/schema.ts';

/** New enquiries; an agency already asked about the contact is skipped. Returns those created. */
export function insertEnquiries(trx: Trx, rows: Insertable<DB['enquiry']>[]) {
  return trx
    .insertInto('enquiry')
    .values(rows)
    .onConflict((oc) => oc.columns(['contact_id', 'agency_id']).doNothing())
    .returning(['id', 'agency_id'])
    .execute();
}

export function lockEnquiry(trx: Trx, id: string) {
  return trx.selectFrom('enquiry').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function recordResponse(
  trx: Trx,
  id: string,
  response: { response: string; respondedAt: Date; userId: string | null; name: string },
) {
  await trx
    .updateTable('enquiry')
    .set({
      status: 'responded',
      response: response.response,
      responded_at: response.respondedAt,
      responded_by_user_id: response.userId,
      responded_by_name: response.name,
    })
    .where('id', '=', id)
    .execute();
}

/** A decision made: enquiries still open are no longer needed. */
export async function withdrawOpenEnquiries(trx: Trx, contactId: string) {
  await trx
    .updateTable('enquiry')
    .set({ status: 'withdrawn' })
    .where('contact_id', '=', contactId)
    .where('status', '=', 'open')
    .execute();
}
