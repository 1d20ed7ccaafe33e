import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { faker } from '@faker-js/faker/locale/en_GB';
import { sql } from 'kysely';
import { SMTPServer } from 'smtp-server';
import type { App } from '../../src/app.ts';
import { transaction } from '../../src/db/database.ts';
import { DELIVER_QUEUE } from '../../src/modules/notifications/service.ts';
import type { AuditContext } from '../../src/platform/audit.ts';
import { jobSchemaFor } from '../../src/platform/jobs.ts';
import { buildServices, type Services } from '../../src/services.ts';
import { seededAgencyId, type TestDeps, testDeps } from '../helpers/deps.ts';
import { eventually } from '../helpers/eventually.ts';
import { testApp } from '../helpers/http.ts';
import { seededContexts } from '../helpers/seeded-users.ts';
import { agencySettings, outboxMessage, readMessage } from './notification-helpers.ts';

/**
 * The outbox's job path on a real queue: enqueue in a transaction, the worker the app registers
 * delivers to a real SMTP server (reached and signed in to with settings from the environment),
 * and a failed attempt is queued again for when its backoff ends.
 */
faker.seed(1914);

let deps: TestDeps;
let services: Services;
let app: App;
let sender: AuditContext;
let admin: AuditContext;
let smtp: SMTPServer;
const received: { to: string[]; raw: string; user: string | undefined }[] = [];
const REFUSED = 'closed.mailbox@refusing.example';

async function emailAgency(agency: string, email: string) {
  await services.notifications.saveAgencySettings(
    admin,
    agency,
    agencySettings({ email, channels: { '*': ['email'] } }),
  );
}

/** A message whose detail names a child (it goes by email only to a secure domain). */
const message = (to: string) => outboxMessage(to, { sensitiveDetail: faker.person.fullName() });

async function emailDelivery(messageId: string) {
  return deps.db
    .selectFrom('outbox_delivery')
    .selectAll()
    .where('message_id', '=', messageId)
    .where('channel', '=', 'email')
    .executeTakeFirstOrThrow();
}

async function deliverJobs(deliveryId: string) {
  const schema = jobSchemaFor(deps.database);
  const { rows } = await sql<{ singleton_key: string | null; start_after: Date; state: string }>`
    select singleton_key, start_after, state from ${sql.table(`${schema}.job`)}
    where name = ${DELIVER_QUEUE} and data->>'deliveryId' = ${deliveryId}
    order by start_after`.execute(deps.db);
  return rows;
}

before(async () => {
  smtp = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'harbour-relay' && auth.password === 'relay-password-from-env')
        callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, callback) {
      if (address.address === REFUSED) {
        const error = new Error('Mailbox temporarily unavailable') as Error & { responseCode: number };
        error.responseCode = 451;
        callback(error);
      } else callback();
    },
    onData(stream, session, callback) {
      readMessage(stream, (raw) => {
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          user: session.user as string | undefined,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  const port = (smtp.server.address() as AddressInfo).port;
  deps = await testDeps({
    jobs: true,
    env: {
      HARBOUR_SMTP_HOST: '127.0.0.1',
      HARBOUR_SMTP_PORT: String(port),
      HARBOUR_SMTP_USER: 'harbour-relay',
      HARBOUR_SMTP_PASSWORD: 'relay-password-from-env',
    },
  });
  services = buildServices(deps);
  app = await testApp(deps);
  ({ manager: sender, admin } = await seededContexts(services.directory, ['manager', 'admin']));
});
after(async () => {
  await app.close();
  await deps.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe('the outbox on the job queue', () => {
  it('queues a delivery job with the message, and the worker delivers it to the SMTP server', async () => {
    const school = await seededAgencyId(deps, 'school-riverside-primary-school');
    await emailAgency(school, 'office@riverside.example');
    const m = message(school);
    const { id } = await transaction(deps.db, (trx) => services.notifications.enqueue(trx, sender, m));
    const delivery = await emailDelivery(id);
    assert.ok(['pending', 'sent'].includes(delivery.status));
    assert.ok((await deliverJobs(delivery.id)).length >= 1, 'a job was queued with the message');

    const mail = await eventually('the email at the SMTP server', async () =>
      received.find((r) => r.raw.includes(m.reference)),
    );
    assert.deepEqual(mail.to, ['office@riverside.example']);
    assert.equal(mail.user, 'harbour-relay', 'signed in with the user and password from the environment');
    assert.ok(
      !mail.raw.includes(m.sensitiveDetail!),
      'no personal detail to a mail domain that is not secure',
    );
    const sent = await eventually('the delivery recorded as sent', async () => {
      const row = await emailDelivery(id);
      return row.status === 'sent' ? row : null;
    });
    assert.equal(sent.attempts, 1);
  });

  it('queues a failed delivery again for when its backoff ends', async () => {
    const police = await seededAgencyId(deps, 'police');
    await emailAgency(police, REFUSED);
    const m = message(police);
    const { id } = await transaction(deps.db, (trx) => services.notifications.enqueue(trx, sender, m));
    const retrying = await eventually('the first attempt recorded as failed', async () => {
      const row = await emailDelivery(id);
      return row.status === 'retrying' ? row : null;
    });
    assert.equal(retrying.attempts, 1);
    assert.match(retrying.last_error ?? '', /451|temporarily unavailable/i);
    const { backoffBaseSeconds } = deps.config.partnership.notifications;
    assert.ok(retrying.updated_at && retrying.next_attempt_at);
    assert.equal(
      retrying.next_attempt_at.getTime() - retrying.updated_at.getTime(),
      backoffBaseSeconds * 1000,
      'the next attempt waits the first backoff',
    );
    const jobs = await deliverJobs(retrying.id);
    const next = jobs.find((j) => j.singleton_key === `${retrying.id}:2`);
    assert.ok(next, 'the second attempt is queued');
    assert.equal(next.state, 'created');
    assert.equal(new Date(next.start_after).getTime(), retrying.next_attempt_at.getTime());
    assert.ok(!received.some((r) => r.raw.includes(m.reference)), 'nothing was delivered');
  });
});
