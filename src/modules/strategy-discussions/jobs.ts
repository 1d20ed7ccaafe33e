import type { Jobs } from '../../platform/jobs.ts';
import { SYSTEM_PRINCIPAL } from '../../platform/principal.ts';
import { queueWorker, startQueueWorkers } from '../../platform/queue-workers.ts';
import { OUTCOME_BREACH_QUEUE, type StrategyDiscussionService } from './service.ts';

/** The outcome-sharing deadline: queued when the outcome is recorded, alerts if it was not shared. */
export async function registerStrategyDiscussionJobs(
  jobs: Jobs,
  sd: StrategyDiscussionService,
): Promise<void> {
  await startQueueWorkers(jobs, [
    queueWorker<{ discussionId: string }>(OUTCOME_BREACH_QUEUE, (data) =>
      sd.alertBreach({ principal: SYSTEM_PRINCIPAL }, data.discussionId),
    ),
  ]);
}
