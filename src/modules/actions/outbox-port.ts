import type { Trx } from '../../db/database.ts';
import type { AuditContext } from '../../platform/audit.ts';

/**
 * The part of the notifications outbox a meeting module sends through (the contract every module
 * shares): a message to an agency's inbox, enqueued in the caller's transaction. The composition
 * root hands over the notifications service, or null where no outbox is built.
 */
export interface OutboxMessage {
  type: string;
  to: { agencyId: string; userId?: string };
  /** A human reference with no personal data, such as 'SD-7K2F'. */
  reference: string;
  subject: string;
  link: string;
  detail?: string;
  dueBy?: Date;
}

export interface Outbox {
  enqueue(trx: Trx, context: AuditContext, message: OutboxMessage): Promise<{ id: string }>;
}

/** A short reference from a record's id, so a message names the record without personal data. */
export function referenceFor(prefix: string, id: string): string {
  return `${prefix}-${id.replace(/-/g, '').slice(0, 6).toUpperCase()}`;
}
