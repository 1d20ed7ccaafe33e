import type { Insertable } from 'kysely';
import { insertReturningId, insertRows, rowsWhere, rowWhere, updateOnce } from '../../db/common-queries.ts';
import type { Db, Trx } from '../../db/database.ts';
import type { BreakGlassAccessTable, HealthEventReceiptTable } from '../../db/schema/health.ts';

type Conn = Db | Trx;

export function insertBreakGlass(trx: Trx, row: Insertable<BreakGlassAccessTable>): Promise<string> {
  return insertReturningId(trx.insertInto('break_glass_access'), row);
}

/** Break-glass requests in these areas not yet reviewed by the MASH health lead, oldest first. */
export function unreviewedBreakGlass(conn: Conn, areaIds: readonly string[]) {
  return rowsWhere(
    conn.selectFrom('break_glass_access').selectAll().limit(200),
    { area_id: areaIds, reviewed_at: null },
    'granted_at',
  );
}

export function breakGlassById(conn: Conn, id: string) {
  return rowWhere(conn.selectFrom('break_glass_access').selectAll(), { id });
}

export function reviewBreakGlass(
  trx: Trx,
  id: string,
  review: {
    reviewed_at: Date;
    reviewed_by_name: string;
    review_outcome: 'appropriate' | 'inappropriate';
    review_note: string | null;
  },
): Promise<boolean> {
  return updateOnce(trx.updateTable('break_glass_access').set(review), { id, reviewed_at: null });
}

/** Receipts already held for these sender references of one agency (idempotent bulk events). */
export function receiptsFor(conn: Conn, agencyId: string, references: readonly string[]) {
  return rowsWhere(conn.selectFrom('health_event_receipt').selectAll(), {
    agency_id: agencyId,
    sender_reference: references,
  });
}

export function insertReceipts(trx: Trx, rows: readonly Insertable<HealthEventReceiptTable>[]) {
  return insertRows(trx.insertInto('health_event_receipt'), rows);
}

/** Health events received for people in these areas since a time (the MASH health task list). */
export function recentReceipts(conn: Conn, areaIds: readonly string[], since: Date) {
  return rowsWhere(
    conn.selectFrom('health_event_receipt').selectAll().where('received_at', '>=', since).limit(200),
    { area_id: areaIds },
    'received_at desc',
  );
}
