import type { Jobs } from '../../platform/jobs.ts';
import { queueWorker, startQueueWorkers } from '../../platform/queue-workers.ts';
import { ENCOMPASS_ESCALATION_QUEUE, ENCOMPASS_RELEASE_QUEUE, type EncompassService } from './service.ts';

/** A notice held for review is released in time; one left unacknowledged is escalated, stage by stage. */
export async function registerEncompassJobs(jobs: Jobs, encompass: EncompassService): Promise<void> {
  await startQueueWorkers(jobs, [
    queueWorker<{ noticeId: string }>(ENCOMPASS_RELEASE_QUEUE, (data) =>
      encompass.releaseIfHeld(data.noticeId),
    ),
    queueWorker<{ noticeId: string }>(ENCOMPASS_ESCALATION_QUEUE, (data) =>
      encompass.escalate(data.noticeId),
    ),
  ]);
}
