import { deleteWhere, updateWhere } from '../../db/common-queries.ts';
import type { Trx } from '../../db/database.ts';

/**
 * Before chronology events and children's records are removed (decision 0012): review tasks stop
 * pointing at events about to go, and a removed child's summaries, state and tasks go with them.
 */
export async function releaseForRetention(
  trx: Trx,
  of: { eventIds: readonly string[]; childIds: readonly string[] },
): Promise<void> {
  await updateWhere(trx.updateTable('risk_review_task').set({ decision_event_id: null }), {
    decision_event_id: of.eventIds,
  });
  for (const table of ['risk_review_task', 'risk_summary', 'risk_child_state'] as const)
    await deleteWhere(trx.deleteFrom(table), { child_person_id: of.childIds });
}
