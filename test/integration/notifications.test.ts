import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { faker } from '@faker-js/faker/locale/en_GB';
import { SMTPServer } from 'smtp-server';
import { transaction } from '../../src/db/database.ts';
import type { OutboxMessage } from '../../src/modules/actions/index.ts';
import { startNotifyStandIn } from '../../src/modules/notifications/notify-stand-in.ts';
import type { AgencySettingInput } from '../../src/modules/notifications/service.ts';
import {
  DELIVERY_ID_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyWebhook,
} from '../../src/modules/notifications/webhook-signature.ts';
import type { AuditContext } from '../../src/platform/audit.ts';
import { auditEvents } from '../helpers/audit-events.ts';
import { contextOf, seededAgencyId } from '../helpers/deps.ts';
import { signedIn } from '../helpers/http.ts';
import { app, appPerFile, deps, services } from '../helpers/per-file.ts';
import { agencySettings, outboxMessage, readMessage } from './notification-helpers.ts';

faker.seed(1418);

let sender: AuditContext;
let admin: AuditContext;
let schoolId: string;
let policeId: string;
let smtp: SMTPServer;
let smtpPort: number;
const mail: string[] = [];

function configure(agency: string, input: Partial<AgencySettingInput>) {
  return services.notifications.saveAgencySettings(admin, agency, agencySettings(input));
}

function send(m: OutboxMessage) {
  return transaction(deps.db, (trx) => services.notifications.enqueue(trx, sender, m));
}

function deliveriesOf(messageId: string) {
  return deps.db
    .selectFrom('outbox_delivery')
    .selectAll()
    .where('message_id', '=', messageId)
    .orderBy('channel')
    .execute();
}

appPerFile({}, async () => {
  sender = await contextOf(services.directory, 'mash.manager@harbour.example');
  admin = await contextOf(services.directory, 'admin@harbour.example');
  schoolId = await seededAgencyId(deps, 'school-riverside-primary-school');
  policeId = await seededAgencyId(deps, 'police');
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      readMessage(stream, (raw) => {
        mail.push(raw);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  Object.assign(deps.config.partnership.notifications.smtp, { host: '127.0.0.1', port: smtpPort });
});
after(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

describe('the outbox', () => {
  it('writes nothing when the caller’s transaction rolls back', async () => {
    const m = outboxMessage(schoolId);
    await assert.rejects(
      transaction(deps.db, async (trx) => {
        await services.notifications.enqueue(trx, sender, m);
        throw new Error('the event failed');
      }),
      /the event failed/,
    );
    const rows = await deps.db
      .selectFrom('outbox_message')
      .select('id')
      .where('reference', '=', m.reference)
      .execute();
    assert.equal(rows.length, 0);
    const committed = await send(m);
    assert.equal((await deliveriesOf(committed.id)).length, 1, 'the in-app delivery, with the message');
  });

  it('emails a non-secure agency the reference and link only, and a secure one the personal detail', async () => {
    const child = faker.person.fullName();
    await configure(schoolId, { email: 'office@riverside.example', channels: { '*': ['email'] } });
    await configure(policeId, {
      email: 'mash.desk@force.police.example',
      secureEmailDomains: 'police.example',
      channels: { 'action.assigned': ['email'] },
    });
    const toSchool = await send(
      outboxMessage(schoolId, { sensitiveDetail: `About ${child}`, detail: 'Call the family' }),
    );
    const toPolice = await send(outboxMessage(policeId, { sensitiveDetail: `About ${child}` }));
    for (const sent of [toSchool, toPolice]) {
      const email = (await deliveriesOf(sent.id)).find((d) => d.channel === 'email')!;
      assert.equal(await services.notifications.deliver(email.id), 'sent');
    }
    const schoolMail = mail.find((m) => m.includes('office@riverside.example'))!;
    const policeMail = mail.find((m) => m.includes('mash.desk@force.police.example'))!;
    assert.ok(schoolMail && policeMail, 'both messages reached the SMTP server');
    assert.match(schoolMail, /Reference: ACT-/);
    assert.match(schoolMail, /\/actions/);
    assert.ok(!schoolMail.includes(child), 'no personal data to a non-secure address');
    assert.ok(!schoolMail.includes('Call the family'), 'no free-text detail either');
    assert.ok(policeMail.replace(/=\r?\n/g, '').includes(child), 'the personal detail to a secure domain');
  });

  it('sends by GOV.UK Notify (the local stand-in) with the template ids configured, and no personal data by SMS', async () => {
    const apiKey = `harbour_test-${randomUUID()}-${randomUUID()}`;
    const notify = await startNotifyStandIn({ apiKey });
    const emailTemplate = randomUUID();
    const smsTemplate = randomUUID();
    Object.assign(deps.config.partnership.notifications.notify, {
      baseUrl: notify.url,
      apiKey,
      templates: { default: { email: emailTemplate, sms: smsTemplate } },
    });
    try {
      await configure(schoolId, {
        email: 'office@riverside.example',
        phone: '07700 900982',
        channels: { '*': ['notify-email', 'notify-sms'] },
      });
      const child = faker.person.fullName();
      const sent = await send(outboxMessage(schoolId, { sensitiveDetail: `About ${child}` }));
      const deliveries = await deliveriesOf(sent.id);
      for (const d of deliveries.filter((x) => x.channel !== 'in-app'))
        assert.equal(await services.notifications.deliver(d.id), 'sent', d.channel);
      const email = notify.received.find((r) => r.type === 'email')!;
      const sms = notify.received.find((r) => r.type === 'sms')!;
      assert.equal(email.templateId, emailTemplate);
      assert.equal(email.to, 'office@riverside.example');
      assert.equal(sms.templateId, smsTemplate);
      assert.equal(sms.to, '07700 900982');
      assert.match(sms.personalisation.reference!, /^ACT-/);
      assert.equal(sms.personalisation.detail, '');
      assert.ok(!JSON.stringify(notify.received).includes(child));
      // A key the stand-in does not know is refused (its JWT does not verify): tried again later, not sent.
      deps.config.partnership.notifications.notify.apiKey = `harbour_test-${randomUUID()}-${randomUUID()}`;
      const refused = await send(outboxMessage(schoolId));
      const again = (await deliveriesOf(refused.id)).find((d) => d.channel === 'notify-email')!;
      assert.equal(await services.notifications.deliver(again.id), 'retrying');
      assert.equal(notify.received.length, 2);
    } finally {
      deps.config.partnership.notifications.notify.apiKey = '';
      await configure(schoolId, {});
      await notify.close();
    }
  });
});

describe('signed webhooks', () => {
  let receiver: Server;
  let receiverUrl: string;
  const accepted: { body: string; headers: Record<string, string> }[] = [];
  const refusals: string[] = [];
  let secret = '';
  const seen = new Set<string>();

  before(async () => {
    receiver = createServer(async (request, response) => {
      let body = '';
      for await (const chunk of request) body += chunk;
      const header = (name: string) => request.headers[name] as string | undefined;
      const check = verifyWebhook({
        secret,
        body,
        signature: header(SIGNATURE_HEADER),
        timestamp: header(TIMESTAMP_HEADER),
        deliveryId: header(DELIVERY_ID_HEADER),
        nowSeconds: Math.floor(deps.now().getTime() / 1000),
        toleranceSeconds: 300,
        seen,
      });
      if (!check.ok) {
        refusals.push(check.reason);
        response.writeHead(check.reason === 'replayed' ? 409 : 401).end();
        return;
      }
      accepted.push({ body, headers: request.headers as Record<string, string> });
      response.writeHead(204).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/harbour`;
  });
  after(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  it('signs each delivery; the receiver verifies it and refuses a replay and a tampered body', async () => {
    const saved = await configure(policeId, { webhookUrl: receiverUrl, channels: { '*': ['webhook'] } });
    assert.ok(saved.webhookSecret, 'the secret is shown once, when made');
    secret = saved.webhookSecret!;
    const child = faker.person.fullName();
    const sent = await send(outboxMessage(policeId, { sensitiveDetail: `About ${child}` }));
    const hook = (await deliveriesOf(sent.id)).find((d) => d.channel === 'webhook')!;
    assert.equal(await services.notifications.deliver(hook.id), 'sent');
    assert.equal(accepted.length, 1);
    const payload = JSON.parse(accepted[0]!.body);
    assert.equal(payload.deliveryId, hook.id);
    assert.match(payload.reference, /^ACT-/);
    assert.equal(payload.sensitiveDetail, undefined, 'the webhook is not marked secure');
    const headers = {
      'content-type': 'application/json',
      [SIGNATURE_HEADER]: accepted[0]!.headers[SIGNATURE_HEADER]!,
      [TIMESTAMP_HEADER]: accepted[0]!.headers[TIMESTAMP_HEADER]!,
      [DELIVERY_ID_HEADER]: accepted[0]!.headers[DELIVERY_ID_HEADER]!,
    };
    const replay = await fetch(receiverUrl, { method: 'POST', headers, body: accepted[0]!.body });
    assert.equal(replay.status, 409);
    const tampered = await fetch(receiverUrl, {
      method: 'POST',
      headers: { ...headers, [DELIVERY_ID_HEADER]: randomUUID() },
      body: accepted[0]!.body.replace('ACT-', 'ACX-'),
    });
    assert.equal(tampered.status, 401);
    assert.deepEqual(refusals, ['replayed', 'bad-signature']);
    assert.equal(accepted.length, 1);
  });

  it('retries a receiver that is down with backoff, then dead-letters it, keeping the message and telling the sender’s managers', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const downUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/down`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await configure(policeId, { webhookUrl: downUrl, channels: { '*': ['webhook'] } });
    Object.assign(deps.config.partnership.notifications, { maxAttempts: 3, backoffBaseSeconds: 30 });
    const start = new Date('2026-03-02T09:00:00Z');
    deps.setNow(start);
    try {
      const sent = await send(outboxMessage(policeId));
      const hook = (await deliveriesOf(sent.id)).find((d) => d.channel === 'webhook')!;
      assert.equal(await services.notifications.deliver(hook.id), 'retrying');
      let row = (await deliveriesOf(sent.id)).find((d) => d.id === hook.id)!;
      assert.equal(row.attempts, 1);
      assert.equal(row.next_attempt_at?.toISOString(), '2026-03-02T09:00:30.000Z');
      deps.setNow(new Date('2026-03-02T09:00:30Z'));
      assert.equal(await services.notifications.deliver(hook.id), 'retrying');
      row = (await deliveriesOf(sent.id)).find((d) => d.id === hook.id)!;
      assert.equal(row.next_attempt_at?.toISOString(), '2026-03-02T09:01:30.000Z', 'the wait doubles');
      deps.setNow(new Date('2026-03-02T09:01:30Z'));
      assert.equal(await services.notifications.deliver(hook.id), 'dead-letter');
      assert.equal(await services.notifications.deliver(hook.id), 'dead-letter', 'no further attempt');
      row = (await deliveriesOf(sent.id)).find((d) => d.id === hook.id)!;
      assert.equal(row.attempts, 3);
      assert.ok(row.last_error);
      const kept = await deps.db
        .selectFrom('outbox_message')
        .select('reference')
        .where('id', '=', sent.id)
        .executeTakeFirst();
      assert.ok(kept, 'the message is kept');
      const undelivered = await services.notifications.undelivered(sender, { page: 1 });
      assert.ok(undelivered.rows.some((r) => r.id === hook.id));
      const police = await contextOf(services.directory, 'police.supervisor@harbour.example');
      const theirs = await services.notifications.undelivered(police, { page: 1 });
      assert.ok(!theirs.rows.some((r) => r.id === hook.id), 'another agency’s managers do not see it');

      // "Try again": another agency's manager is refused; the sender's manager re-queues it, audited.
      const supervisor = await signedIn(app, 'police.supervisor@harbour.example');
      await supervisor.get('/inbox');
      const refused = await supervisor.post(`/notifications/deliveries/${hook.id}/retry`, {});
      assert.equal(refused.statusCode, 403);
      const manager = await signedIn(app, 'mash.manager@harbour.example');
      const list = await manager.get('/notifications/undelivered');
      assert.ok(list.body.includes(`/notifications/deliveries/${hook.id}/retry`), 'a Try again button');
      const noToken = await manager.post(`/notifications/deliveries/${hook.id}/retry`, {}, { csrf: null });
      assert.equal(noToken.statusCode, 403, 'the form needs its CSRF token');
      assert.equal((await deliveriesOf(sent.id)).find((d) => d.id === hook.id)!.status, 'dead-letter');
      const retried = await manager.post(`/notifications/deliveries/${hook.id}/retry`, {});
      assert.equal(retried.statusCode, 303);
      assert.equal(retried.headers.location, '/notifications/undelivered');
      row = (await deliveriesOf(sent.id)).find((d) => d.id === hook.id)!;
      assert.equal(row.status, 'pending');
      assert.equal(row.attempts, 0, 'a fresh schedule of attempts');
      const after = await manager.get('/notifications/undelivered');
      assert.match(after.body, /will be tried again/);
      const audited = await auditEvents(deps.db, { action: 'notification.retry', subjectId: hook.id });
      assert.equal(audited.length, 1);
      const again = await manager.post(`/notifications/deliveries/${hook.id}/retry`, {});
      assert.equal(again.statusCode, 303, 'a delivery no longer dead-lettered is not re-queued twice');
      assert.match(
        (await manager.get('/notifications/undelivered')).body,
        /Only a delivery that could not be delivered/,
      );
      deps.setNow(new Date('2026-03-02T09:05:00Z'));
      assert.equal(await services.notifications.deliver(hook.id), 'retrying', 'the next attempt is made');
      deps.setNow(new Date('2026-03-02T09:06:00Z'));
      assert.equal(await services.notifications.deliver(hook.id), 'retrying');
      deps.setNow(new Date('2026-03-02T09:08:00Z'));
      assert.equal(await services.notifications.deliver(hook.id), 'dead-letter', 'the same schedule again');
    } finally {
      Object.assign(deps.config.partnership.notifications, { maxAttempts: 8 });
      await configure(policeId, {});
    }
  });
});

describe('the inbox and report pages', () => {
  it('shows the school its agency’s messages, opens one (audited) and refuses another agency', async () => {
    const child = faker.person.fullName();
    const personId = randomUUID();
    const sent = await send(
      outboxMessage(schoolId, {
        subject: 'A strategy discussion invitation',
        sensitiveDetail: `About ${child}`,
        personIds: [personId],
      }),
    );
    const inApp = (await deliveriesOf(sent.id)).find((d) => d.channel === 'in-app')!;
    const dsl = await signedIn(app, 'school.dsl@harbour.example');
    const home = await dsl.get('/');
    assert.match(home.body, /unread message/);
    const list = await dsl.get('/inbox?show=unread');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /A strategy discussion invitation/);
    assert.ok(!list.body.includes(child), 'the list names no one');
    const opened = await dsl.get(`/inbox/${inApp.id}`);
    assert.equal(opened.statusCode, 200);
    assert.ok(opened.body.includes(child));
    const audit = await auditEvents(deps.db, { action: 'notification.read', subjectId: sent.id });
    assert.equal(audit.length, 1);
    assert.deepEqual(audit[0]!.person_ids, [personId]);
    const read = await dsl.get('/inbox?show=unread');
    assert.ok(!read.body.includes(`/inbox/${inApp.id}`), 'no longer unread');
    const police = await signedIn(app, 'police.officer@harbour.example');
    assert.equal((await police.get(`/inbox/${inApp.id}`)).statusCode, 403);
    const empty = await police.get('/inbox?show=unread');
    assert.equal(empty.statusCode, 200);
    assert.ok(!empty.body.includes(`/inbox/${inApp.id}`));
  });

  it('gives administrators the delivery report by status, and refuses it to others', async () => {
    const adminBrowser = await signedIn(app, 'admin@harbour.example');
    const report = await adminBrowser.get('/admin/notifications?status=dead-letter');
    assert.equal(report.statusCode, 200);
    assert.match(report.body, /Dead letter/);
    assert.equal((await adminBrowser.get('/admin/notifications?status=nonsense')).statusCode, 400);
    const settings = await adminBrowser.get(`/admin/notifications/agencies/${schoolId}`);
    assert.equal(settings.statusCode, 200);
    const bad = await adminBrowser.post(`/admin/notifications/agencies/${schoolId}`, {
      email: 'not an address',
      'channels:*': 'email',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /govuk-error-summary/);
    assert.match(bad.body, /Enter an email address in the correct format/);
    const dsl = await signedIn(app, 'school.dsl@harbour.example');
    assert.equal((await dsl.get('/admin/notifications')).statusCode, 403);
    const prefs = await dsl.get('/inbox/preferences');
    assert.equal(prefs.statusCode, 200);
    const saved = await dsl.post('/inbox/preferences', { 'channels:action.assigned': 'email' });
    assert.equal(saved.statusCode, 303);
    const chosen = await services.notifications.myPreferences(
      await contextOf(services.directory, 'school.dsl@harbour.example'),
    );
    assert.deepEqual(chosen, { 'action.assigned': ['email'] });
  });
});
