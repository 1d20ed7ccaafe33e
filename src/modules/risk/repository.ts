import type { Insertable } from 'kysely';
import { rowsWhere, rowWhere } from '../../db/common-queries.ts';
import type { Db, Trx } from '../../db/database.ts';
import { personNameColumns } from '../../db/person-columns.ts';
import type { RiskChildStateTable } from '../../db/schema/risk.ts';
import { overwriteExcept } from '../../db/upsert.ts';
import type { RiskLevel } from '../../domain/instruments/bands.ts';

type Conn = Db | Trx;

// --- summaries, state and review tasks ------------------------------------------------------

export async function saveSummary(
  db: Conn,
  row: { area_id: string; child_person_id: string; hash: string; level: RiskLevel; result: unknown },
): Promise<string> {
  const inserted = await db
    .insertInto('risk_summary')
    .values({ ...row, result: JSON.stringify(row.result) })
    .onConflict((oc) => oc.columns(['child_person_id', 'hash']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return inserted.id;
  const existing = await db
    .selectFrom('risk_summary')
    .select('id')
    .where('child_person_id', '=', row.child_person_id)
    .where('hash', '=', row.hash)
    .executeTakeFirstOrThrow();
  return existing.id;
}

export function findSummary(db: Conn, id: string) {
  return rowWhere(db.selectFrom('risk_summary').selectAll(), { id });
}

export function saveChildState(db: Conn, row: Insertable<RiskChildStateTable>) {
  return db
    .insertInto('risk_child_state')
    .values(row)
    .onConflict((oc) =>
      oc.column('child_person_id').doUpdateSet(overwriteExcept(row, 'child_person_id', 'area_id')),
    )
    .execute();
}

export function childStates(db: Conn, childIds: readonly string[]) {
  if (childIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('risk_child_state as s')
    .leftJoin('risk_review_task as t', (join) =>
      join.onRef('t.child_person_id', '=', 's.child_person_id').on('t.status', '=', 'open'),
    )
    .select([
      's.child_person_id',
      's.level',
      's.latest_recorded_level',
      's.raised_above_recorded',
      's.computed_at',
      't.id as review_task_id',
    ])
    .where('s.child_person_id', 'in', [...childIds])
    .execute();
}

export function openTaskFor(db: Conn, childId: string) {
  return rowWhere(db.selectFrom('risk_review_task').selectAll(), {
    child_person_id: childId,
    status: 'open',
  });
}

export function openTasksInArea(db: Conn, areaId: string) {
  return db
    .selectFrom('risk_review_task as t')
    .innerJoin('person as p', 'p.id', 't.child_person_id')
    .select([
      't.id',
      't.child_person_id',
      't.cumulative_level',
      't.decision_level',
      't.decision_event_id',
      't.summary_id',
      't.trigger_event_ids',
      't.reasons',
      't.created_at',
      't.updated_at',
      ...personNameColumns('p'),
    ])
    .where('t.area_id', '=', areaId)
    .where('t.status', '=', 'open')
    .orderBy('t.created_at')
    .execute();
}

export function findTask(db: Conn, id: string) {
  return rowWhere(db.selectFrom('risk_review_task').selectAll(), { id });
}

// --- assessments and "DASH awaited" -------------------------------------------------------

export function findAssessment(db: Conn, id: string) {
  return rowWhere(db.selectFrom('risk_assessment').selectAll(), { id });
}

export function awaitedFor(db: Conn, contactId: string) {
  return rowWhere(db.selectFrom('dash_expectation').selectAll(), { contact_id: contactId });
}

export function findExpectation(db: Conn, id: string) {
  return rowWhere(db.selectFrom('dash_expectation').selectAll(), { id });
}

export function awaitedReport(
  db: Conn,
  filter: { areaIds: readonly string[]; supervisorAgencyId: string | null; includeReceived: boolean },
) {
  if (filter.areaIds.length === 0) return Promise.resolve([]);
  let q = db
    .selectFrom('dash_expectation as x')
    .leftJoin('app_user as officer', 'officer.id', 'x.officer_user_id')
    .select([
      'x.id',
      'x.contact_id',
      'x.area_id',
      'x.person_ids',
      'x.officer_user_id',
      'x.officer_name',
      'officer.display_name as officer_display_name',
      'x.supervisor_agency_id',
      'x.awaited_since',
      'x.due_at',
      'x.escalate_at',
      'x.status',
      'x.reminded_at',
      'x.escalated_at',
      'x.assessment_id',
      'x.received_at',
    ])
    .where('x.area_id', 'in', [...filter.areaIds]);
  if (filter.supervisorAgencyId) q = q.where('x.supervisor_agency_id', '=', filter.supervisorAgencyId);
  if (!filter.includeReceived) q = q.where('x.status', '=', 'awaited');
  return q.orderBy('x.awaited_since').orderBy('x.id').limit(5000).execute();
}

export function unreadNotices(db: Conn, userId: string) {
  const notices = db.selectFrom('dash_awaited_notice').select(['id', 'expectation_id', 'kind', 'created_at']);
  return rowsWhere(notices, { user_id: userId, read_at: null });
}
