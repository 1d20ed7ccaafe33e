import type { Jobs } from '../../platform/jobs.ts';
import { queueWorker, startQueueWorkers } from '../../platform/queue-workers.ts';
import { DELIVER_QUEUE, type NotificationsService } from './service.ts';

/** Declares the delivery queue (a job per attempt, queued by the outbox) and works it. */
export async function registerNotificationJobs(
  jobs: Jobs,
  notifications: NotificationsService,
): Promise<void> {
  await startQueueWorkers(jobs, [
    queueWorker<{ deliveryId: string }>(DELIVER_QUEUE, (data) => notifications.deliver(data.deliveryId)),
  ]);
}
