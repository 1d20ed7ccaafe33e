import type { Jobs } from '../../platform/jobs.ts';
import { SYSTEM_PRINCIPAL } from '../../platform/principal.ts';
import type { RetentionService } from './retention.ts';

const RETENTION_LIST = 'data-protection.retention-list';

/** Every night, list what retention has made due (decision 0012). It only lists; a manager confirms. */
export async function scheduleRetention(jobs: Jobs, retention: RetentionService): Promise<void> {
  await jobs.define(RETENTION_LIST);
  await jobs.boss.schedule(RETENTION_LIST, '30 2 * * *');
  await jobs.work(RETENTION_LIST, async () => {
    await retention.list({ principal: SYSTEM_PRINCIPAL });
  });
}
