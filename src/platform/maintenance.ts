import { auditClosedFailureWindows } from './auth/failed-api-authentication.ts';
import { sweepExpiredSessions } from './auth/session-store.ts';
import type { Deps } from './deps.ts';
import { sweepExpiredRequestCounts } from './http/request-counter.ts';
import type { Jobs } from './jobs.ts';

const SWEEP_SESSIONS = 'maintenance.sweep-sessions';
const SWEEP_REQUEST_LIMITS = 'maintenance.sweep-request-limits';

/** Housekeeping on the job queue, so it runs once per deployment however many instances there are. */
export async function scheduleMaintenance(deps: Deps, jobs: Jobs): Promise<void> {
  await jobs.define(SWEEP_SESSIONS);
  await jobs.boss.schedule(SWEEP_SESSIONS, '*/15 * * * *');
  await jobs.work(SWEEP_SESSIONS, async () => {
    await sweepExpiredSessions(deps.db, deps.now());
  });
  // Every minute: a closed window of failed API keys is audited with its count soon after it closes.
  await jobs.define(SWEEP_REQUEST_LIMITS);
  await jobs.boss.schedule(SWEEP_REQUEST_LIMITS, '* * * * *');
  await jobs.work(SWEEP_REQUEST_LIMITS, async () => {
    await auditClosedFailureWindows(deps);
    await sweepExpiredRequestCounts(deps.db, deps.now());
  });
}
