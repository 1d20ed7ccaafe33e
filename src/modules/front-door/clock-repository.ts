import type { Trx } from '../../db/database.ts';
import { OPEN_STATUSES } from './vocabulary.ts';

/** The clock's writes (F2): each deadline is marked missed once; a rescreen is flagged on an open contact. */

export function markDecisionBreaches(trx: Trx, now: Date) {
  return trx
    .updateTable('contact')
    .set({ decision_breached_at: now })
    .where('status', 'in', [...OPEN_STATUSES])
    .where('decision_due_at', '<', now)
    .where('decision_breached_at', 'is', null)
    .returning(['id', 'area_id', 'reference'])
    .execute();
}

export function markScreeningBreaches(trx: Trx, now: Date) {
  return trx
    .updateTable('contact')
    .set({ screening_breached_at: now })
    .where('status', 'in', [...OPEN_STATUSES])
    .where('screened_at', 'is', null)
    .where('screening_due_at', '<', now)
    .where('screening_breached_at', 'is', null)
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
