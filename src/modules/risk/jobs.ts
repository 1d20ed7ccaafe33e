import type { Jobs } from '../../platform/jobs.ts';
import { RISK_REASSESS_QUEUE } from '../chronology/service.ts';
import { DASH_ESCALATION_QUEUE, DASH_REMINDER_QUEUE, FRONT_DOOR_RESCREEN_QUEUE } from './assessments.ts';
import type { RiskService } from './service.ts';

const started = new WeakSet<Jobs>();

/**
 * Declares the queues this capability feeds (so a write can enqueue inside its transaction) and
 * works the ones it owns. `front-door.rescreen` is declared here but worked by the front door.
 */
export async function registerRiskJobs(jobs: Jobs, risk: RiskService): Promise<void> {
  if (started.has(jobs)) return;
  started.add(jobs);
  for (const queue of [
    RISK_REASSESS_QUEUE,
    DASH_REMINDER_QUEUE,
    DASH_ESCALATION_QUEUE,
    FRONT_DOOR_RESCREEN_QUEUE,
  ])
    await jobs.define(queue);
  await jobs.work<{ personIds: string[]; eventIds?: string[] }>(RISK_REASSESS_QUEUE, async (data) => {
    await risk.reassess(data);
  });
  await jobs.work<{ expectationId: string }>(DASH_REMINDER_QUEUE, async (data) => {
    await risk.chaseAwaited(data.expectationId, 'reminder');
  });
  await jobs.work<{ expectationId: string }>(DASH_ESCALATION_QUEUE, async (data) => {
    await risk.chaseAwaited(data.expectationId, 'escalation');
  });
}
