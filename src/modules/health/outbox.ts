import type { Trx } from '../../db/database.ts';
import type { AuditContext } from '../../platform/audit.ts';
import type { OutboxMessage } from '../actions/index.ts';

/**
 * A message from health sharing to an agency's inbox: the shared outbox message (a reference and a
 * link, no personal data) with the personal details, where the recipient needs them, only in
 * `sensitiveDetail`, which a channel that is not secure never carries.
 */
export interface HealthMessage extends OutboxMessage {
  sensitiveDetail?: string;
}

/** Structurally the shared `Outbox` (actions/outbox-port.ts) taking a `HealthMessage`. */
export interface HealthOutbox {
  enqueue(trx: Trx, context: AuditContext, message: HealthMessage): Promise<{ id: string }>;
}
