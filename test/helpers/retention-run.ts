import type { Services } from '../../src/services.ts';
import { contextOf } from './deps.ts';
import { SEEDED_USERS } from './seeded-users.ts';

/** The retention review's first page, soonest due first: how the retention page opens. */
export const FIRST_PAGE_DUE_FIRST = { page: 1, sort: 'dueOn', order: 'asc' } as const;

/**
 * The MASH manager confirms what retention has listed, as the retention page has them do it: the
 * review's run, confirmed. The manager's context and the run come back with what was removed, for
 * a test that then tries the same run again.
 */
export async function confirmRetentionAsManager(services: Pick<Services, 'directory' | 'retention'>) {
  const manager = await contextOf(services.directory, SEEDED_USERS.manager);
  const { run } = await services.retention.review(manager, FIRST_PAGE_DUE_FIRST);
  if (!run) throw new Error('No retention listing to confirm');
  const removed = await services.retention.confirm(manager, run.id);
  return { manager, runId: run.id, removed };
}
