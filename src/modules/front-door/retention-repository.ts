import { deleteWhere, updateWhere } from '../../db/common-queries.ts';
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

/**
 * The contacts that name these children and no other child: they go with the children's records.
 * A contact that also names a child whose record is still kept (a younger brother or sister) stays,
 * because it is part of that child's history too.
 */
export function contactsNaming(conn: Db | Trx, personIds: readonly string[]) {
  if (personIds.length === 0) return Promise.resolve([]);
  const due = [...personIds];
  return conn
    .selectFrom('contact_person as named')
    .select(['named.contact_id', 'named.area_id', 'named.person_id'])
    .where('named.person_id', 'in', due)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('contact_person as other')
            .select('other.contact_id')
            .whereRef('other.contact_id', '=', 'named.contact_id')
            .where('other.role', '=', 'child')
            .where('other.person_id', 'not in', due),
        ),
      ),
    )
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
  for (const table of [
    'contact_history',
    'front_door_notification',
    'enquiry',
    'decision',
    'contact_person',
    'early_help_transition',
  ] as const)
    await deleteWhere(trx.deleteFrom(table), { contact_id: ids });
  await updateWhere(trx.updateTable('early_help_episode').set({ from_contact_id: null }), {
    from_contact_id: ids,
  });
  await updateWhere(trx.updateTable('contact').set({ duplicate_of_id: null }), { duplicate_of_id: ids });
  return deleteWhere(trx.deleteFrom('contact'), { id: ids });
}
