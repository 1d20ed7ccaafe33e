import nodemailer from 'nodemailer';
import { NotifyClient } from 'notifications-node-client';
import type { RenderedMessage } from '../../domain/notification-delivery.ts';
import type { NotificationSettings } from './settings.ts';
import {
  DELIVERY_ID_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  webhookSignature,
} from './webhook-signature.ts';

/**
 * The outside channels: each sends one delivery or throws, and the caller records the attempt.
 * Nothing here retries; the outbox's own schedule does (decision 0018).
 */

/** Thrown for a delivery that can never succeed as configured (no address, no template): not retried. */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}

export async function sendEmail(
  settings: NotificationSettings,
  to: string,
  content: RenderedMessage,
  deliveryId: string,
): Promise<void> {
  const transport = nodemailer.createTransport({
    host: settings.smtp.host,
    port: settings.smtp.port,
    secure: settings.smtp.secure,
    ...(settings.smtp.user ? { auth: { user: settings.smtp.user, pass: settings.smtp.password } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  try {
    await transport.sendMail({
      from: settings.smtp.from,
      to,
      subject: content.subject,
      text: content.text,
      headers: { 'Harbour-Delivery-Id': deliveryId },
    });
  } finally {
    transport.close();
  }
}

function templateFor(settings: NotificationSettings, type: string, kind: 'email' | 'sms'): string {
  const id = settings.notify.templates[type]?.[kind] ?? settings.notify.templates.default?.[kind];
  if (!id) throw new PermanentDeliveryError(`no GOV.UK Notify ${kind} template for ${type}`);
  return id;
}

export async function sendNotify(
  settings: NotificationSettings,
  kind: 'email' | 'sms',
  type: string,
  to: string,
  content: RenderedMessage,
  deliveryId: string,
): Promise<void> {
  if (!settings.notify.apiKey) throw new PermanentDeliveryError('GOV.UK Notify has no API key configured');
  const client = new NotifyClient(settings.notify.baseUrl, settings.notify.apiKey);
  const template = templateFor(settings, type, kind);
  const options = { personalisation: content.fields, reference: deliveryId };
  try {
    if (kind === 'email') await client.sendEmail(template, to, options);
    else await client.sendSms(template, to, options);
  } catch (error) {
    // Notify answers 400 for a request that will never succeed (a bad address or template).
    const status = (error as { response?: { status?: number } }).response?.status;
    if (status === 400) throw new PermanentDeliveryError(`GOV.UK Notify refused the request (${status})`);
    throw error;
  }
}

export async function sendWebhook(
  settings: NotificationSettings,
  target: { url: string; secret: string },
  body: string,
  deliveryId: string,
  now: Date,
): Promise<void> {
  const timestamp = Math.floor(now.getTime() / 1000);
  const response = await fetch(target.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [SIGNATURE_HEADER]: webhookSignature(target.secret, timestamp, body),
      [TIMESTAMP_HEADER]: String(timestamp),
      [DELIVERY_ID_HEADER]: deliveryId,
    },
    body,
    signal: AbortSignal.timeout(settings.webhook.timeoutMilliseconds),
  });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`the receiver answered ${response.status}`);
}
