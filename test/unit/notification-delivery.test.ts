import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  afterFailure,
  backoffSeconds,
  isSecureEmail,
  renderMessage,
} from '../../src/domain/notification-delivery.ts';
import { checkNotifyToken } from '../../src/modules/notifications/notify-stand-in.ts';
import { verifyWebhook, webhookSignature } from '../../src/modules/notifications/webhook-signature.ts';

const POLICY = { maxAttempts: 4, backoffBaseSeconds: 30, backoffMaxSeconds: 100 };

describe('retry schedule', () => {
  it('doubles the wait after each failure, up to the cap', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((n) => backoffSeconds(n, POLICY)),
      [30, 60, 100, 100, 100],
    );
  });

  it('dead-letters after the last allowed attempt and not before', () => {
    const now = new Date('2026-03-02T09:00:00Z');
    assert.deepEqual(afterFailure(1, POLICY, now), {
      state: 'retrying',
      nextAttemptAt: new Date('2026-03-02T09:00:30Z'),
    });
    assert.equal(afterFailure(3, POLICY, now).state, 'retrying');
    assert.deepEqual(afterFailure(4, POLICY, now), { state: 'dead-letter' });
    assert.deepEqual(afterFailure(1, { ...POLICY, maxAttempts: 1 }, now), { state: 'dead-letter' });
  });
});

describe('secure mail domains', () => {
  it('covers the domain and its subdomains only', () => {
    const domains = ['pnn.police.uk', 'NHS.net'];
    assert.equal(isSecureEmail('a.b@met.pnn.police.uk', domains), true);
    assert.equal(isSecureEmail('a@nhs.net', domains), true);
    assert.equal(isSecureEmail('a@notnhs.net', domains), false);
    assert.equal(isSecureEmail('a@nhs.net.example.com', domains), false);
    assert.equal(isSecureEmail('no-at-sign', domains), false);
    assert.equal(isSecureEmail('a@nhs.net', []), false);
  });
});

describe('redaction', () => {
  const message = {
    type: 'action.assigned',
    reference: 'ACT-7K2F00',
    subject: 'An action for your agency',
    link: '/actions',
    detail: 'Visit the family today',
    sensitiveDetail: 'Child: Ava Example',
    dueBy: new Date('2026-03-03T17:00:00Z'),
  };
  const options = { publicUrl: 'https://harbour.example', formatTime: (d: Date) => d.toISOString() };

  it('carries only the subject, reference, due time and link on a channel that is not secure', () => {
    const out = renderMessage(message, { ...options, secure: false });
    assert.ok(out.text.includes('ACT-7K2F00'));
    assert.ok(out.text.includes('https://harbour.example/actions'));
    assert.ok(!out.text.includes('Ava'));
    assert.ok(!out.text.includes('Visit the family'));
    assert.equal(out.fields.detail, '');
  });

  it('includes the detail on a secure channel', () => {
    const out = renderMessage(message, { ...options, secure: true });
    assert.ok(out.text.includes('Child: Ava Example'));
    assert.ok(out.fields.detail!.includes('Visit the family today'));
  });
});

describe('webhook signatures', () => {
  const secret = 'test-secret';
  const body = '{"reference":"ACT-1"}';
  const base = { secret, body, deliveryId: 'd-1', nowSeconds: 1_000_000, toleranceSeconds: 300 };

  it('accepts a good signature once and refuses the replay', () => {
    const seen = new Set<string>();
    const signature = webhookSignature(secret, 1_000_000, body);
    assert.match(signature, /^v1=[0-9a-f]{64}$/);
    const input = { ...base, signature, timestamp: '1000000', seen };
    assert.deepEqual(verifyWebhook(input), { ok: true });
    assert.deepEqual(verifyWebhook(input), { ok: false, reason: 'replayed' });
  });

  it('refuses a changed body, a wrong secret, an old timestamp and missing headers', () => {
    const signature = webhookSignature(secret, 1_000_000, body);
    const seen = new Set<string>();
    assert.equal(
      verifyWebhook({ ...base, body: `${body} `, signature, timestamp: '1000000', seen }).ok,
      false,
    );
    assert.deepEqual(verifyWebhook({ ...base, secret: 'other', signature, timestamp: '1000000', seen }), {
      ok: false,
      reason: 'bad-signature',
    });
    const old = webhookSignature(secret, 1_000_000 - 301, body);
    assert.deepEqual(verifyWebhook({ ...base, signature: old, timestamp: String(1_000_000 - 301), seen }), {
      ok: false,
      reason: 'stale-timestamp',
    });
    assert.deepEqual(verifyWebhook({ ...base, signature: undefined, timestamp: '1000000', seen }), {
      ok: false,
      reason: 'missing-header',
    });
    assert.equal(seen.size, 0, 'nothing refused is remembered');
  });
});

describe('the Notify stand-in’s token check', () => {
  const serviceId = '11111111-1111-4111-8111-111111111111';
  const secret = '22222222-2222-4222-8222-222222222222';
  const apiKey = `test-${serviceId}-${secret}`;
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const token = (iss: string, iat: number, key = secret) => {
    const unsigned = `${b64({ typ: 'JWT', alg: 'HS256' })}.${b64({ iss, iat })}`;
    return `Bearer ${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
  };

  it('accepts a token signed with the key’s secret for its service, issued within 30 seconds', () => {
    assert.equal(checkNotifyToken(token(serviceId, 1000), apiKey, 1010), null);
    assert.match(checkNotifyToken(token(serviceId, 1000), apiKey, 1031)!, /30 seconds/);
    assert.match(checkNotifyToken(token('other', 1000), apiKey, 1000)!, /service not found/);
    assert.match(checkNotifyToken(token(serviceId, 1000, 'wrong'), apiKey, 1000)!, /signature/);
    assert.match(checkNotifyToken(undefined, apiKey, 1000)!, /must be provided/);
  });
});
