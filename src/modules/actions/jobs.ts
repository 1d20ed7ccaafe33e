import type { Jobs } from '../../platform/jobs.ts';
import { SYSTEM_PRINCIPAL } from '../../platform/principal.ts';
import { ACTION_CHASE_QUEUE, type ActionsService } from './service.ts';

const started = new WeakSet<Jobs>();

/** Declares the overdue chase (queued with each action for its due time) and works it. */
export async function registerActionJobs(jobs: Jobs, actions: ActionsService): Promise<void> {
  if (started.has(jobs)) return;
  started.add(jobs);
  await jobs.define(ACTION_CHASE_QUEUE);
  await jobs.work<{ actionId: string }>(ACTION_CHASE_QUEUE, async (data) => {
    await actions.chase({ principal: SYSTEM_PRINCIPAL }, data.actionId);
  });
}
