import type { Jobs } from '../../platform/jobs.ts';
import { SYSTEM_PRINCIPAL } from '../../platform/principal.ts';
import { OUTCOME_BREACH_QUEUE, type StrategyDiscussionService } from './service.ts';

const started = new WeakSet<Jobs>();

/** The outcome-sharing deadline: queued when the outcome is recorded, alerts if it was not shared. */
export async function registerStrategyDiscussionJobs(
  jobs: Jobs,
  sd: StrategyDiscussionService,
): Promise<void> {
  if (started.has(jobs)) return;
  started.add(jobs);
  await jobs.define(OUTCOME_BREACH_QUEUE);
  await jobs.work<{ discussionId: string }>(OUTCOME_BREACH_QUEUE, async (data) => {
    await sd.alertBreach({ principal: SYSTEM_PRINCIPAL }, data.discussionId);
  });
}
