import type { Jobs } from '../../platform/jobs.ts';
import { SYSTEM_PRINCIPAL } from '../../platform/principal.ts';
import { queueWorker, startQueueWorkers } from '../../platform/queue-workers.ts';
import { ACTION_CHASE_QUEUE, type ActionsService } from './service.ts';

/** Declares the overdue chase (queued with each action for its due time) and works it. */
export async function registerActionJobs(jobs: Jobs, actions: ActionsService): Promise<void> {
  await startQueueWorkers(jobs, [
    queueWorker<{ actionId: string }>(ACTION_CHASE_QUEUE, (data) =>
      actions.chase({ principal: SYSTEM_PRINCIPAL }, data.actionId),
    ),
  ]);
}
