import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DELIVERY_ID_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyWebhook,
} from './webhook-signature.ts';

/** What the demonstration receiver saw: a delivery it accepted, or one it refused and why. */
export type ReceivedWebhook =
  | { accepted: true; deliveryId: string; type: string; reference: string; subject: string }
  | { accepted: false; reason: string };

/**
 * A local receiver of Harbour's signed webhooks, for a demonstration (`harbour webhook-receiver`):
 * it does what docs/notifications.md asks of a partner's system — checks the signature over the
 * raw body, the timestamp and the delivery id (a replay is refused with 409) — and reports each
 * delivery. It stores nothing beyond the ids it has accepted, and only while it runs.
 */
export async function startWebhookReceiver(options: {
  secret: string;
  port?: number;
  toleranceSeconds?: number;
  onDelivery(received: ReceivedWebhook): void;
}): Promise<{ url: string; close(): Promise<void> }> {
  const accepted = new Set<string>();
  const server = createServer(async (request, response) => {
    if (request.method !== 'POST') return response.writeHead(405, { allow: 'POST' }).end();
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const headerOf = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const check = verifyWebhook({
      secret: options.secret,
      body: raw,
      signature: headerOf(SIGNATURE_HEADER),
      timestamp: headerOf(TIMESTAMP_HEADER),
      deliveryId: headerOf(DELIVERY_ID_HEADER),
      nowSeconds: Math.floor(Date.now() / 1000),
      toleranceSeconds: options.toleranceSeconds ?? 300,
      seen: accepted,
    });
    if (!check.ok) {
      options.onDelivery({ accepted: false, reason: check.reason });
      return response.writeHead(check.reason === 'replayed' ? 409 : 401).end();
    }
    const message = JSON.parse(raw) as { type?: string; reference?: string; subject?: string };
    options.onDelivery({
      accepted: true,
      deliveryId: headerOf(DELIVERY_ID_HEADER)!,
      type: String(message.type ?? ''),
      reference: String(message.reference ?? ''),
      subject: String(message.subject ?? ''),
    });
    return response.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/harbour`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
