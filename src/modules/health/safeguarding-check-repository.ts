import type { Insertable } from 'kysely';
import { insertReturningId, rowsWhere, rowWhere, updateOnce } from '../../db/common-queries.ts';
import type { Db, Trx } from '../../db/database.ts';
import type { SafeguardingCheckTable } from '../../db/schema/health.ts';

type Conn = Db | Trx;

export function insertCheck(trx: Trx, row: Insertable<SafeguardingCheckTable>): Promise<string> {
  return insertReturningId(trx.insertInto('safeguarding_check'), row);
}

export function checkById(conn: Conn, id: string) {
  return rowWhere(conn.selectFrom('safeguarding_check').selectAll(), { id });
}

export function answerCheck(
  trx: Trx,
  id: string,
  answer: { answer: string; answered_at: Date; answered_by_name: string },
): Promise<boolean> {
  return updateOnce(trx.updateTable('safeguarding_check').set(answer), { id, answered_at: null });
}

export function markEscalated(trx: Trx, id: string, at: Date): Promise<boolean> {
  return updateOnce(trx.updateTable('safeguarding_check').set({ escalated_at: at }), {
    id,
    answered_at: null,
    escalated_at: null,
  });
}

/** The checks an agency asked for or must answer, in its areas, soonest due first. */
export function checksForAgency(conn: Conn, agencyId: string, areaIds: readonly string[]) {
  const asked = conn
    .selectFrom('safeguarding_check')
    .selectAll()
    .where((eb) =>
      eb.or([eb('requested_by_agency_id', '=', agencyId), eb('police_agency_id', '=', agencyId)]),
    )
    .limit(500);
  return rowsWhere(asked, { area_id: areaIds }, 'due_by', 'id');
}
