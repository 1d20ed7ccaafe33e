import { sweepExpiredSessions } from './auth/session-store.ts';
import type { Deps } from './deps.ts';
import type { Jobs } from './jobs.ts';

const SWEEP_SESSIONS = 'maintenance.sweep-sessions';

/** Housekeeping on the job queue, so it runs once per deployment however many instances there are. */
export async function scheduleMaintenance(deps: Deps, jobs: Jobs): Promise<void> {
  await jobs.define(SWEEP_SESSIONS);
  await jobs.boss.schedule(SWEEP_SESSIONS, '*/15 * * * *');
  await jobs.work(SWEEP_SESSIONS, async () => {
    await sweepExpiredSessions(deps.db, deps.now());
  });
}
