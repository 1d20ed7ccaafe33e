import { faker } from '@faker-js/faker/locale/en_GB';
import type { OutboxMessage } from '../../src/modules/actions/index.ts';

/** An action message to an agency, with a fresh reference; `extra` adds or replaces its fields. */
export function outboxMessage(to: string, extra: Partial<OutboxMessage> = {}): OutboxMessage {
  return {
    type: 'action.assigned',
    to: { agencyId: to },
    reference: `ACT-${faker.string.alphanumeric({ length: 6, casing: 'upper' })}`,
    subject: 'An action for your agency from a strategy discussion',
    link: '/actions',
    ...extra,
  };
}
