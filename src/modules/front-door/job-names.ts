/** pg-boss queues the front door owns. */
export const DEADLINE_QUEUE = 'front-door.deadline';
export const SWEEP_QUEUE = 'front-door.sweep';
/** Sent by the risk module when a child's cumulative picture changes: data { contactId, reason? }. */
export const RESCREEN_QUEUE = 'front-door.rescreen';

export interface DeadlineJob {
  contactId: string;
  kind: 'screening' | 'decision' | 'enquiry';
  enquiryId?: string;
}
