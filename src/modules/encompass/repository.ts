import { type Insertable, sql } from 'kysely';
import { rowsWhere, rowWhere, updateWhere } from '../../db/common-queries.ts';
import type { Db, Trx } from '../../db/database.ts';
import { pageWithTotal } from '../../db/paging.ts';
import type {
  EncompassNoticeTable,
  EncompassSchoolTable,
  EscalationStageColumn,
  NoticeContent,
  NoticeStatus,
} from '../../db/schema/encompass.ts';

type Conn = Db | Trx;

// --- schools ---------------------------------------------------------------------------------

export function upsertSchool(trx: Trx, row: Insertable<EncompassSchoolTable>) {
  return trx
    .insertInto('encompass_school')
    .values(row)
    .onConflict((oc) =>
      oc.column('agency_id').doUpdateSet({
        area_id: row.area_id,
        urn: row.urn,
        phase: row.phase,
        statutory_low_age: row.statutory_low_age,
        statutory_high_age: row.statutory_high_age,
        postcode: row.postcode,
        updated_at: row.updated_at ?? new Date(),
        updated_by_name: row.updated_by_name,
      }),
    )
    .returning('agency_id')
    .executeTakeFirstOrThrow();
}

export function schoolByUrn(conn: Conn, urn: string) {
  return rowWhere(conn.selectFrom('encompass_school').selectAll(), { urn });
}

export function schoolByAgency(conn: Conn, agencyId: string) {
  return rowWhere(conn.selectFrom('encompass_school').selectAll(), { agency_id: agencyId });
}

export function schoolsByAgencies(conn: Conn, agencyIds: readonly string[]) {
  return rowsWhere(conn.selectFrom('encompass_school').selectAll(), { agency_id: agencyIds });
}

export function listSchools(conn: Conn) {
  return conn.selectFrom('encompass_school').selectAll().execute();
}

export function updateSchoolContacts(
  trx: Trx,
  agencyId: string,
  values: {
    key_adult_user_id: string | null;
    deputy_user_ids: string[];
    contact_email: string | null;
    contact_phone: string | null;
    address: string | null;
    updated_at: Date;
    updated_by_name: string;
  },
) {
  return trx
    .updateTable('encompass_school')
    .set(values)
    .where('agency_id', '=', agencyId)
    .returning('agency_id')
    .executeTakeFirst();
}

// --- the school calendar ---------------------------------------------------------------------

export function calendarDays(conn: Conn, areaId: string) {
  return rowsWhere(
    conn.selectFrom('encompass_calendar_day').selectAll(),
    { area_id: areaId },
    'starts_on',
    'id',
  );
}

export function addCalendarDay(
  trx: Trx,
  row: {
    area_id: string;
    kind: 'term' | 'inset';
    starts_on: string;
    ends_on: string;
    note: string | null;
    created_by_name: string;
  },
) {
  return trx.insertInto('encompass_calendar_day').values(row).returning('id').executeTakeFirstOrThrow();
}

export function removeCalendarDay(trx: Trx, id: string) {
  return trx
    .deleteFrom('encompass_calendar_day')
    .where('id', '=', id)
    .returning(['id', 'area_id', 'kind', 'starts_on', 'ends_on'])
    .executeTakeFirst();
}

// --- notices ---------------------------------------------------------------------------------

export type NewNotice = Omit<Insertable<EncompassNoticeTable>, 'content'> & { content: NoticeContent };

export function insertNotices(trx: Trx, rows: readonly NewNotice[]) {
  if (rows.length === 0) return Promise.resolve([]);
  return trx
    .insertInto('encompass_notice')
    .values(rows.map((r) => ({ ...r, content: JSON.stringify(r.content) })))
    .returning([
      'id',
      'reference',
      'school_agency_id',
      'addressee_agency_id',
      'due_by',
      'person_id',
      'status',
    ])
    .execute();
}

export function findNotice(conn: Conn, id: string) {
  return rowWhere(conn.selectFrom('encompass_notice').selectAll(), { id });
}

/** Locks the notice for a change in this transaction. */
export function lockNotice(trx: Trx, id: string) {
  return rowWhere(trx.selectFrom('encompass_notice').selectAll().forUpdate(), { id });
}

export interface NoticeFilter {
  /** Notices in these areas (the MASH, the force's lead). */
  areaIds: readonly string[];
  /** Notices addressed to, sent by or escalated to this agency. */
  agencyId: string | null;
  /** Only notices addressed to the agency (a school's own list), not those it sent. */
  addressedOnly?: boolean;
  status?: 'unacknowledged' | 'acknowledged' | 'awaiting-review' | 'all';
  /** Whether the agency may see notices still held for review (not the addressee). */
  includeHeld: boolean;
  limit: number;
  offset: number;
}

/** The escalations of the outer notice that were sent to this agency. */
function escalatedTo(agencyId: string) {
  return sql<number>`(select 1 from encompass_escalation e where e.notice_id = encompass_notice.id and ${agencyId}::uuid = any(e.notified_agency_ids))`;
}

function filtered(conn: Conn, filter: NoticeFilter) {
  let query = conn.selectFrom('encompass_notice').where((eb) => {
    const ors = [];
    if (filter.areaIds.length > 0) ors.push(eb('area_id', 'in', [...filter.areaIds]));
    if (filter.agencyId) {
      ors.push(eb('addressee_agency_id', '=', filter.agencyId));
      if (!filter.addressedOnly) {
        ors.push(eb('source_agency_id', '=', filter.agencyId));
        ors.push(eb.exists(escalatedTo(filter.agencyId)));
      }
    }
    return ors.length > 0 ? eb.or(ors) : eb.val(false);
  });
  if (!filter.includeHeld) query = query.where('status', '!=', 'awaiting-review');
  if (filter.status === 'unacknowledged') query = query.where('status', '=', 'released');
  if (filter.status === 'acknowledged') query = query.where('status', '=', 'acknowledged');
  if (filter.status === 'awaiting-review') query = query.where('status', '=', 'awaiting-review');
  return query;
}

export function listNotices(conn: Conn, filter: NoticeFilter) {
  return pageWithTotal(filtered(conn, filter), filter, (q) =>
    q.selectAll().orderBy('due_by', 'asc').orderBy('id'),
  );
}

export function noticesOfContact(conn: Conn, contactId: string) {
  const notices = conn.selectFrom('encompass_notice').select(['id', 'school_agency_id', 'due_by']);
  return rowsWhere(notices, { contact_id: contactId }, 'created_at', 'id');
}

export function acknowledgeNotice(
  trx: Trx,
  id: string,
  values: {
    acknowledged_at: Date;
    acknowledged_by_user_id: string | null;
    acknowledged_by_name: string;
    action_taken: string;
    support_offered: boolean;
    logged_on_school_system: boolean;
  },
) {
  return trx
    .updateTable('encompass_notice')
    .set({ ...values, status: 'acknowledged' })
    .where('id', '=', id)
    .where('status', '=', 'released')
    .returning(['id', 'acknowledged_at'])
    .executeTakeFirst();
}

export function releaseNotice(
  trx: Trx,
  id: string,
  values: { released_at: Date; reviewed_by_name: string | null; content?: NoticeContent },
) {
  return trx
    .updateTable('encompass_notice')
    .set({
      status: 'released' as NoticeStatus,
      released_at: values.released_at,
      reviewed_by_name: values.reviewed_by_name,
      ...(values.content ? { content: JSON.stringify(values.content) } : {}),
    })
    .where('id', '=', id)
    .where('status', '=', 'awaiting-review')
    .returning('id')
    .executeTakeFirst();
}

export async function recordEscalation(
  trx: Trx,
  row: {
    notice_id: string;
    area_id: string;
    stage: EscalationStageColumn;
    notified_agency_ids: string[];
    notified_user_ids: string[];
    at: Date;
  },
) {
  await trx.insertInto('encompass_escalation').values(row).execute();
  await updateWhere(trx.updateTable('encompass_notice').set({ escalation_stage: row.stage }), {
    id: row.notice_id,
  });
}

/** The agencies each notice's escalations were sent to, by notice (the access policy weighs them). */
export async function escalatedAgencies(conn: Conn, noticeIds: readonly string[]) {
  const byNotice = new Map<string, string[]>();
  if (noticeIds.length === 0) return byNotice;
  const rows = await conn
    .selectFrom('encompass_escalation')
    .select(['notice_id', 'notified_agency_ids'])
    .where('notice_id', 'in', [...noticeIds])
    .execute();
  for (const row of rows)
    byNotice.set(row.notice_id, [...(byNotice.get(row.notice_id) ?? []), ...row.notified_agency_ids]);
  return byNotice;
}

export function escalationsOf(conn: Conn, noticeId: string) {
  return rowsWhere(conn.selectFrom('encompass_escalation').selectAll(), { notice_id: noticeId }, 'at');
}

/** Notices by addressee in these areas since a date: how many, acknowledged, late, time to acknowledge. */
export function reportByAddressee(conn: Conn, areaIds: readonly string[], since: Date) {
  if (areaIds.length === 0) return Promise.resolve([]);
  return conn
    .selectFrom('encompass_notice')
    .where('area_id', 'in', [...areaIds])
    .where('created_at', '>=', since)
    .select((eb) => [
      'addressee_agency_id',
      'school_agency_id',
      eb.fn.countAll<number>().as('notices'),
      sql<number>`count(*) filter (where status = 'acknowledged')`.as('acknowledged'),
      sql<number>`count(*) filter (where status <> 'acknowledged')`.as('unacknowledged'),
      sql<number>`count(*) filter (where status = 'acknowledged' and acknowledged_at > due_by)`.as(
        'acknowledged_late',
      ),
      sql<
        number | null
      >`avg(extract(epoch from (acknowledged_at - coalesce(released_at, created_at))) / 60) filter (where status = 'acknowledged')`.as(
        'mean_minutes',
      ),
      sql<
        number | null
      >`max(extract(epoch from (acknowledged_at - coalesce(released_at, created_at))) / 60) filter (where status = 'acknowledged')`.as(
        'max_minutes',
      ),
    ])
    .groupBy(['addressee_agency_id', 'school_agency_id'])
    .execute();
}

/** How many notices addressed to an agency await its acknowledgement (the home panel). */
export async function unacknowledgedCount(conn: Conn, agencyId: string) {
  const row = await conn
    .selectFrom('encompass_notice')
    .where('addressee_agency_id', '=', agencyId)
    .where('status', '=', 'released')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('due_by').as('earliest')])
    .executeTakeFirstOrThrow();
  const soonest = await conn
    .selectFrom('encompass_notice')
    .select(['id', 'reference', 'due_by', 'kind'])
    .where('addressee_agency_id', '=', agencyId)
    .where('status', '=', 'released')
    .orderBy('due_by')
    .orderBy('id')
    .limit(5)
    .execute();
  const escalated = await conn
    .selectFrom('encompass_notice')
    .where('status', '=', 'released')
    .where('addressee_agency_id', '!=', agencyId)
    .where((eb) => eb.exists(escalatedTo(agencyId)))
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return {
    count: Number(row.count),
    earliest: row.earliest ? new Date(row.earliest as Date) : null,
    soonest,
    /** Other addressees' notices escalated to this agency and still not acknowledged. */
    escalated: Number(escalated.count),
  };
}
