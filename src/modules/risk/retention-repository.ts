import type { Trx } from '../../db/database.ts';

/**
 * Before chronology events and children's records are removed (decision 0012): review tasks stop
 * pointing at events about to go, and a removed child's summaries, state and tasks go with them.
 */
export async function releaseForRetention(
  trx: Trx,
  of: { eventIds: readonly string[]; childIds: readonly string[] },
): Promise<void> {
  if (of.eventIds.length > 0)
    await trx
      .updateTable('risk_review_task')
      .set({ decision_event_id: null })
      .where('decision_event_id', 'in', [...of.eventIds])
      .execute();
  if (of.childIds.length === 0) return;
  const ids = [...of.childIds];
  await trx.deleteFrom('risk_review_task').where('child_person_id', 'in', ids).execute();
  await trx.deleteFrom('risk_summary').where('child_person_id', 'in', ids).execute();
  await trx.deleteFrom('risk_child_state').where('child_person_id', 'in', ids).execute();
}
