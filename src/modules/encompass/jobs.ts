import type { Jobs } from '../../platform/jobs.ts';
import { ENCOMPASS_ESCALATION_QUEUE, ENCOMPASS_RELEASE_QUEUE, type EncompassService } from './service.ts';

const started = new WeakSet<Jobs>();

/** A notice held for review is released in time; one left unacknowledged is escalated, stage by stage. */
export async function registerEncompassJobs(jobs: Jobs, encompass: EncompassService): Promise<void> {
  if (started.has(jobs)) return;
  started.add(jobs);
  await jobs.define(ENCOMPASS_RELEASE_QUEUE);
  await jobs.define(ENCOMPASS_ESCALATION_QUEUE);
  await jobs.work<{ noticeId: string }>(ENCOMPASS_RELEASE_QUEUE, async (data) => {
    await encompass.releaseIfHeld(data.noticeId);
  });
  await jobs.work<{ noticeId: string }>(ENCOMPASS_ESCALATION_QUEUE, async (data) => {
    await encompass.escalate(data.noticeId);
  });
}
