import type { Insertable } from 'kysely';
import { rowsWhere, updateWhere } from '../../../db/common-queries.ts';
import type { Trx } from '../../../db/database.ts';
import type { DB } from '../../../db/schema.ts';

export function insertContact(trx: Trx, row: Insertable<DB['contact']>) {
  return trx.insertInto('contact').values(row).returning(['id', 'reference']).executeTakeFirstOrThrow();
}

export async function insertContactPeople(trx: Trx, rows: Insertable<DB['contact_person']>[]) {
  await trx.insertInto('contact_person').values(rows).execute();
}

/** Each person's chronology entry on a contact, so a duplicate's entries can point at them. */
export async function chronologyEventsOf(trx: Trx, contactId: string) {
  const rows = await rowsWhere(
    trx.selectFrom('contact_person').select(['person_id', 'chronology_event_id']),
    {
      contact_id: contactId,
    },
  );
  return new Map(rows.map((r) => [r.person_id, r.chronology_event_id]));
}

/** A duplicate or joined referral arrived: the original counts it. */
export async function countLinked(trx: Trx, contactId: string, at: Date) {
  const counted = trx
    .updateTable('contact')
    .set((eb) => ({ duplicate_count: eb('duplicate_count', '+', 1), updated_at: at }));
  await updateWhere(counted, { id: contactId });
}
