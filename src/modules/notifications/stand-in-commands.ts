import { randomUUID } from 'node:crypto';
import { startNotifyStandIn } from './notify-stand-in.ts';
import { startWebhookReceiver } from './webhook-receiver.ts';

export const STAND_IN_USAGE = `  notify-stand-in [--port N] [--key KEY]   Run the GOV.UK Notify stand-in (not Notify: it sends nothing)
                                            for a demonstration; prints what Harbour sends it
  webhook-receiver --secret S [--port N]    Run a local receiver that verifies Harbour's signed
                                            webhooks (signature, timestamp, replay) and prints each`;

/** Runs until the operator stops it (Ctrl-C); nothing here touches the database. */
function untilStopped(close: () => Promise<void>): Promise<number> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void close().then(() => resolve(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function portOf(value: string | undefined, fallback: number): number {
  const port = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error('--port must be 1 to 65535');
  return port;
}

/**
 * `harbour notify-stand-in`: the stand-in the tests use, on a fixed port, with a key in the shape
 * of a Notify key (made up when none is given). Start Harbour with the two variables it prints.
 */
export async function runNotifyStandInCommand(values: { port?: string; key?: string }): Promise<number> {
  const apiKey = values.key ?? `harbour_demo-${randomUUID()}-${randomUUID()}`;
  const standIn = await startNotifyStandIn({
    apiKey,
    port: portOf(values.port, 4010),
    onReceived: (n) =>
      console.log(
        `${n.type} to ${n.to}, template ${n.templateId}${n.reference ? `, reference ${n.reference}` : ''}`,
      ),
  });
  console.log(`GOV.UK Notify stand-in (not Notify; it sends nothing) at ${standIn.url}. Start Harbour with:`);
  console.log(`  HARBOUR_NOTIFY_BASE_URL=${standIn.url} HARBOUR_NOTIFY_API_KEY=${apiKey}`);
  console.log('Stop it with Ctrl-C.');
  return untilStopped(standIn.close);
}

/** `harbour webhook-receiver`: verifies and prints each delivery to the agency whose secret it holds. */
export async function runWebhookReceiverCommand(values: { port?: string; secret?: string }): Promise<number> {
  const secret = values.secret ?? process.env.HARBOUR_WEBHOOK_RECEIVER_SECRET;
  if (!secret || secret.length < 16)
    throw new Error(
      'Give the agency’s signing secret (16 characters or more) with --secret or HARBOUR_WEBHOOK_RECEIVER_SECRET',
    );
  const receiver = await startWebhookReceiver({
    secret,
    port: portOf(values.port, 4020),
    onDelivery: (d) =>
      console.log(
        d.accepted
          ? `accepted ${d.deliveryId}: ${d.type} ${d.reference} — ${d.subject}`
          : `refused: ${d.reason}`,
      ),
  });
  console.log(
    `Webhook receiver at ${receiver.url}: give the agency this address on its settings page. Stop it with Ctrl-C.`,
  );
  return untilStopped(receiver.close);
}
