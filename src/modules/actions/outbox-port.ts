import type { Trx } from '../../db/database.ts';
import type { AuditContext } from '../../platform/audit.ts';

/**
 * The part of the notifications outbox a meeting module sends through (the contract every module
 * shares): a message to an agency's inbox, enqueued in the caller's transaction. The composition
 * root hands over the notifications service, or null where no outbox is built.
 */
export interface OutboxMessage {
  type: string;
  /** The recipient agency's inbox; with userId, that person's own. */
  to: { agencyId: string; userId?: string };
  /** The area of the record the message is about; when left out, the recipient agency's first area. */
  areaId?: string;
  /** The people the message is about, for the audit of each read of its detail. */
  personIds?: readonly string[];
  /** A human reference with no personal data, such as 'SD-7K2F'. */
  reference: string;
  subject: string;
  link: string;
  detail?: string;
  /**
   * Personal content (a child's name): shown in Harbour's inbox, and sent only on a channel the
   * recipient agency has made secure. Email and SMS otherwise carry the reference and the link.
   */
  sensitiveDetail?: string;
  dueBy?: Date;
}

export interface Outbox {
  enqueue(trx: Trx, context: AuditContext, message: OutboxMessage): Promise<{ id: string }>;
}

/** A short reference from a record's id, so a message names the record without personal data. */
export function referenceFor(prefix: string, id: string): string {
  return `${prefix}-${id.replace(/-/g, '').slice(0, 6).toUpperCase()}`;
}
