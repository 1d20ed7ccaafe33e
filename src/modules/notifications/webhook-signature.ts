import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed webhooks to partner systems (docs/notifications.md). The signature is HMAC-SHA256, keyed
 * with the agency's webhook secret, over `${timestamp}.${body}` where timestamp is Unix seconds
 * sent in Harbour-Timestamp; it is sent as `v1=<hex>` in Harbour-Signature. Signing the timestamp
 * with the body stops an old request being replayed with a fresh timestamp.
 */
export const SIGNATURE_HEADER = 'harbour-signature';
export const TIMESTAMP_HEADER = 'harbour-timestamp';
export const DELIVERY_ID_HEADER = 'harbour-delivery-id';

export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export type WebhookCheck =
  | { ok: true }
  | { ok: false; reason: 'missing-header' | 'bad-signature' | 'stale-timestamp' | 'replayed' };

/**
 * What a receiver checks before trusting a delivery: the signature over the raw body, a timestamp
 * within `toleranceSeconds` of its own clock, and a delivery id it has not accepted before
 * (`seen` is the receiver's store of accepted ids; it need only keep them for the tolerance).
 * Partners may copy this function: it uses node:crypto only.
 */
export function verifyWebhook(input: {
  secret: string;
  body: string;
  signature: string | undefined;
  timestamp: string | undefined;
  deliveryId: string | undefined;
  nowSeconds: number;
  toleranceSeconds: number;
  seen: { has(id: string): boolean; add(id: string): unknown };
}): WebhookCheck {
  const { signature, timestamp, deliveryId } = input;
  if (!signature || !timestamp || !deliveryId || !/^\d+$/.test(timestamp))
    return { ok: false, reason: 'missing-header' };
  const expected = Buffer.from(webhookSignature(input.secret, Number(timestamp), input.body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, reason: 'bad-signature' };
  if (Math.abs(input.nowSeconds - Number(timestamp)) > input.toleranceSeconds)
    return { ok: false, reason: 'stale-timestamp' };
  if (input.seen.has(deliveryId)) return { ok: false, reason: 'replayed' };
  input.seen.add(deliveryId);
  return { ok: true };
}
