import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  type ReceivedWebhook,
  startWebhookReceiver,
} from '../../src/modules/notifications/webhook-receiver.ts';
import {
  DELIVERY_ID_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  webhookSignature,
} from '../../src/modules/notifications/webhook-signature.ts';

/**
 * The demonstration stand-ins for the outside channels (docs/notifications.md): a local webhook
 * receiver that checks what a partner's system must check, and `harbour notify-stand-in` started
 * from the command line and stopped with Ctrl-C. Neither is needed by `npm start`.
 */

const SECRET = 'demo-webhook-secret-0123456789';

function deliver(url: string, body: string, headers: { secret?: string; id: string; at?: number }) {
  const timestamp = headers.at ?? Math.floor(Date.now() / 1000);
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [SIGNATURE_HEADER]: webhookSignature(headers.secret ?? SECRET, timestamp, body),
      [TIMESTAMP_HEADER]: String(timestamp),
      [DELIVERY_ID_HEADER]: headers.id,
    },
    body,
  });
}

describe('the demonstration webhook receiver', () => {
  it('accepts a signed delivery once, and refuses a replay, a wrong signature and a stale timestamp', async () => {
    const seen: ReceivedWebhook[] = [];
    const receiver = await startWebhookReceiver({ secret: SECRET, onDelivery: (d) => seen.push(d) });
    try {
      const body = JSON.stringify({ type: 'encompass.notice', reference: 'OE-7K2F00', subject: 'A notice' });
      assert.equal((await deliver(receiver.url, body, { id: 'd-1' })).status, 204);
      assert.equal((await deliver(receiver.url, body, { id: 'd-1' })).status, 409, 'a replay');
      assert.equal(
        (await deliver(receiver.url, body, { id: 'd-2', secret: 'another-secret-abcdefgh' })).status,
        401,
      );
      assert.equal((await deliver(receiver.url, body, { id: 'd-3', at: 1_000_000_000 })).status, 401);
      assert.deepEqual(seen, [
        {
          accepted: true,
          deliveryId: 'd-1',
          type: 'encompass.notice',
          reference: 'OE-7K2F00',
          subject: 'A notice',
        },
        { accepted: false, reason: 'replayed' },
        { accepted: false, reason: 'bad-signature' },
        { accepted: false, reason: 'stale-timestamp' },
      ]);
    } finally {
      await receiver.close();
    }
  });
});

describe('harbour notify-stand-in', () => {
  it('prints how to point Harbour at it, answers as Notify does, and stops on Ctrl-C', async () => {
    const port = 40_000 + Math.floor(Math.random() * 20_000);
    const child = spawn(
      process.execPath,
      [join(import.meta.dirname, '../../bin/harbour.js'), 'notify-stand-in', '--port', String(port)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.setEncoding('utf8');
    const ready = new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('Ctrl-C')) resolve();
      }),
    );
    await ready;
    assert.match(
      out,
      new RegExp(`HARBOUR_NOTIFY_BASE_URL=http://127.0.0.1:${port} HARBOUR_NOTIFY_API_KEY=\\S+`),
    );
    const unsigned = await fetch(`http://127.0.0.1:${port}/v2/notifications/email`, {
      method: 'POST',
      body: '{}',
    });
    assert.equal(unsigned.status, 403);
    assert.equal(((await unsigned.json()) as { errors: { error: string }[] }).errors[0]!.error, 'AuthError');
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
  });
});
