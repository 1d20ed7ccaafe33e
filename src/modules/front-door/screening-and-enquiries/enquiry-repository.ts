import type { Insertable } from 'kysely';
import { rowWhere, updateWhere } from '../../../db/common-queries.ts';
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
  return rowWhere(trx.selectFrom('enquiry').selectAll().forUpdate(), { id });
}

export async function recordResponse(
  trx: Trx,
  id: string,
  response: { response: string; respondedAt: Date; userId: string | null; name: string },
) {
  const responded = trx.updateTable('enquiry').set({
    status: 'responded',
    response: response.response,
    responded_at: response.respondedAt,
    responded_by_user_id: response.userId,
    responded_by_name: response.name,
  });
  await updateWhere(responded, { id });
}

/** A decision made: enquiries still open are no longer needed. */
export async function withdrawOpenEnquiries(trx: Trx, contactId: string) {
  await updateWhere(trx.updateTable('enquiry').set({ status: 'withdrawn' }), {
    contact_id: contactId,
    status: 'open',
  });
}
