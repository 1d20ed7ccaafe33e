import type { Jobs } from '../../platform/jobs.ts';
import { DELIVER_QUEUE, type NotificationsService } from './service.ts';

const started = new WeakSet<Jobs>();

/** Declares the delivery queue (a job per attempt, queued by the outbox) and works it. */
export async function registerNotificationJobs(
  jobs: Jobs,
  notifications: NotificationsService,
): Promise<void> {
  if (started.has(jobs)) return;
  started.add(jobs);
  await jobs.define(DELIVER_QUEUE);
  await jobs.work<{ deliveryId: string }>(DELIVER_QUEUE, async (data) => {
    await notifications.deliver(data.deliveryId);
  });
}
