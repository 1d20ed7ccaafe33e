import type { Trx } from '../../db/database.ts';
import { OPEN_STATUSES } from './vocabulary.ts';

/** The clock's writes (F2): each deadline is marked missed once; a rescreen is flagged on an open contact. */

/** A contact's two deadlines: when each falls due, and when it was marked missed. */
const CONTACT_DEADLINES = {
  decision: { due: 'decision_due_at', breached: 'decision_breached_at' },
  screening: { due: 'screening_due_at', breached: 'screening_breached_at' },
} as const;

/** Marks every open contact whose decision or screening deadline has passed (a screened contact has met the latter). */
export function markContactBreaches(trx: Trx, now: Date, deadline: keyof typeof CONTACT_DEADLINES) {
  const { due, breached } = CONTACT_DEADLINES[deadline];
  return trx
    .updateTable('contact')
    .set(breached, now)
    .where('status', 'in', [...OPEN_STATUSES])
    .$if(deadline === 'screening', (qb) => qb.where('screened_at', 'is', null))
    .where(due, '<', now)
    .where(breached, 'is', null)
    .returning(['id', 'area_id', 'reference'])
    .execute();
}

export function markEnquiryBreaches(trx: Trx, now: Date) {
  return trx
    .updateTable('enquiry')
    .set({ breached_at: now })
    .from('contact')
    .whereRef('contact.id', '=', 'enquiry.contact_id')
    .where('enquiry.status', '=', 'open')
    .where('enquiry.due_at', '<', now)
    .where('enquiry.breached_at', 'is', null)
    .returning([
      'enquiry.id',
      'enquiry.area_id',
      'enquiry.contact_id',
      'enquiry.agency_id',
      'contact.reference',
    ])
    .execute();
}

export function flagRescreen(trx: Trx, contactId: string, reason: string, now: Date) {
  return trx
    .updateTable('contact')
    .set({ rescreen_requested_at: now, rescreen_reason: reason, updated_at: now })
    .where('id', '=', contactId)
    .where('status', 'in', [...OPEN_STATUSES])
    .returning(['id', 'area_id'])
    .executeTakeFirst();
}
