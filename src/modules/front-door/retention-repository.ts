import type { Db, Trx } from '../../db/database.ts';

/** Contacts closed with no further action before a time: retention candidates. */
export function closedNoFurtherActionContacts(conn: Db | Trx, closedBefore: Date) {
  return conn
    .selectFrom('contact')
    .select(['id', 'area_id', 'closed_at'])
    .where('status', '=', 'closed')
    .where('outcome', '=', 'no-further-action')
    .where('closed_at', '<', closedBefore)
    .orderBy('closed_at')
    .execute();
}

/** The contacts that name these people (they go with a child's record). */
export function contactsNaming(conn: Db | Trx, personIds: readonly string[]) {
  if (personIds.length === 0) return Promise.resolve([]);
  return conn
    .selectFrom('contact_person')
    .select(['contact_id', 'area_id', 'person_id'])
    .where('person_id', 'in', [...personIds])
    .execute();
}

/**
 * Removes contacts and everything hanging off them: their people as described, enquiries and
 * answers, decisions, history, notifications and early-help transitions. The narrative goes with
 * the contact row. Early-help episodes that began from one keep the episode, without the link.
 */
export async function removeContacts(trx: Trx, contactIds: readonly string[]): Promise<number> {
  if (contactIds.length === 0) return 0;
  const ids = [...contactIds];
  // Every one of these tables has a contact_id; the cast lets one statement serve them all.
  for (const table of [
    'contact_history',
    'front_door_notification',
    'enquiry',
    'decision',
    'contact_person',
    'early_help_transition',
  ] as const)
    await trx
      .deleteFrom(table as 'enquiry')
      .where('contact_id', 'in', ids)
      .execute();
  await trx
    .updateTable('early_help_episode')
    .set({ from_contact_id: null })
    .where('from_contact_id', 'in', ids)
    .execute();
  await trx
    .updateTable('contact')
    .set({ duplicate_of_id: null })
    .where('duplicate_of_id', 'in', ids)
    .execute();
  const result = await trx.deleteFrom('contact').where('id', 'in', ids).executeTakeFirst();
  return Number(result.numDeletedRows);
}
