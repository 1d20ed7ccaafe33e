import type { Insertable } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import type { BreakGlassAccessTable, HealthEventReceiptTable } from '../../db/schema/health.ts';

type Conn = Db | Trx;

export async function insertBreakGlass(trx: Trx, row: Insertable<BreakGlassAccessTable>): Promise<string> {
  const { id } = await trx
    .insertInto('break_glass_access')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Break-glass requests in these areas not yet reviewed by the MASH health lead, oldest first. */
export function unreviewedBreakGlass(conn: Conn, areaIds: readonly string[]) {
  if (areaIds.length === 0) return Promise.resolve([]);
  return conn
    .selectFrom('break_glass_access')
    .selectAll()
    .where('area_id', 'in', [...areaIds])
    .where('reviewed_at', 'is', null)
    .orderBy('granted_at')
    .limit(200)
    .execute();
}

export function breakGlassById(conn: Conn, id: string) {
  return conn.selectFrom('break_glass_access').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function reviewBreakGlass(
  trx: Trx,
  id: string,
  review: {
    reviewed_at: Date;
    reviewed_by_name: string;
    review_outcome: 'appropriate' | 'inappropriate';
    review_note: string | null;
  },
): Promise<boolean> {
  const result = await trx
    .updateTable('break_glass_access')
    .set(review)
    .where('id', '=', id)
    .where('reviewed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Receipts already held for these sender references of one agency (idempotent bulk events). */
export function receiptsFor(conn: Conn, agencyId: string, references: readonly string[]) {
  if (references.length === 0) return Promise.resolve([]);
  return conn
    .selectFrom('health_event_receipt')
    .selectAll()
    .where('agency_id', '=', agencyId)
    .where('sender_reference', 'in', [...references])
    .execute();
}

export async function insertReceipts(trx: Trx, rows: readonly Insertable<HealthEventReceiptTable>[]) {
  if (rows.length === 0) return;
  await trx
    .insertInto('health_event_receipt')
    .values([...rows])
    .execute();
}

/** Health events received for people in these areas since a time (the MASH health task list). */
export function recentReceipts(conn: Conn, areaIds: readonly string[], since: Date) {
  if (areaIds.length === 0) return Promise.resolve([]);
  return conn
    .selectFrom('health_event_receipt')
    .selectAll()
    .where('area_id', 'in', [...areaIds])
    .where('received_at', '>=', since)
    .orderBy('received_at', 'desc')
    .limit(200)
    .execute();
}
