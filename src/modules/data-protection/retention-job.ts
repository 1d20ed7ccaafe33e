import type { Deps } from '../../platform/deps.ts';
import type { Jobs } from '../../platform/jobs.ts';
import { SYSTEM_PRINCIPAL } from '../../platform/principal.ts';
import { retentionService } from './retention.ts';

const RETENTION_LIST = 'data-protection.retention-list';

/** Every night, list what retention has made due (decision 0012). It only lists; a manager confirms. */
export async function scheduleRetention(deps: Deps, jobs: Jobs): Promise<void> {
  await jobs.define(RETENTION_LIST);
  await jobs.boss.schedule(RETENTION_LIST, '30 2 * * *');
  await jobs.work(RETENTION_LIST, async () => {
    await retentionService(deps).list({ principal: SYSTEM_PRINCIPAL });
  });
}
