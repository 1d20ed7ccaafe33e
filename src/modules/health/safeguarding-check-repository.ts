import type { Insertable } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import type { SafeguardingCheckTable } from '../../db/schema/health.ts';

type Conn = Db | Trx;

export async function insertCheck(trx: Trx, row: Insertable<SafeguardingCheckTable>): Promise<string> {
  const { id } = await trx
    .insertInto('safeguarding_check')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export function checkById(conn: Conn, id: string) {
  return conn.selectFrom('safeguarding_check').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function answerCheck(
  trx: Trx,
  id: string,
  answer: { answer: string; answered_at: Date; answered_by_name: string },
): Promise<boolean> {
  const result = await trx
    .updateTable('safeguarding_check')
    .set(answer)
    .where('id', '=', id)
    .where('answered_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markEscalated(trx: Trx, id: string, at: Date): Promise<boolean> {
  const result = await trx
    .updateTable('safeguarding_check')
    .set({ escalated_at: at })
    .where('id', '=', id)
    .where('answered_at', 'is', null)
    .where('escalated_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The checks an agency asked for or must answer, in its areas, soonest due first. */
export function checksForAgency(conn: Conn, agencyId: string, areaIds: readonly string[]) {
  if (areaIds.length === 0) return Promise.resolve([]);
  return conn
    .selectFrom('safeguarding_check')
    .selectAll()
    .where('area_id', 'in', [...areaIds])
    .where((eb) =>
      eb.or([eb('requested_by_agency_id', '=', agencyId), eb('police_agency_id', '=', agencyId)]),
    )
    .orderBy('due_by')
    .orderBy('id')
    .limit(500)
    .execute();
}
