import type { Readable } from 'node:stream';
import { faker } from '@faker-js/faker/locale/en_GB';
import type { OutboxMessage } from '../../src/modules/actions/index.ts';
import type { AgencySettingInput } from '../../src/modules/notifications/service.ts';

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

/** An agency's outbox settings as the admin form saves them: every channel off but what `input` sets. */
export function agencySettings(input: Partial<AgencySettingInput> = {}): AgencySettingInput {
  return {
    email: '',
    phone: '',
    webhookUrl: '',
    webhookSecure: false,
    secureEmailDomains: '',
    newSecret: false,
    channels: {},
    ...input,
  };
}

/** Reads a message the test SMTP server receives, whole, and hands it to `done`. */
export function readMessage(stream: Readable, done: (raw: string) => void): void {
  let raw = '';
  stream.on('data', (chunk: Buffer) => {
    raw += chunk.toString('utf8');
  });
  stream.on('end', () => done(raw));
}
