import { type Expression, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import { rowsWhere, rowWhere } from '../../db/common-queries.ts';
import type { Db, Trx } from '../../db/database.ts';
import { pageWithTotal } from '../../db/paging.ts';
import { personNameColumns } from '../../db/person-columns.ts';
import type { DB } from '../../db/schema.ts';
import type { Rag } from '../../domain/clock.ts';
import type { RowScope } from '../../platform/access.ts';
import { type ContactRoute, type ContactStatus, OPEN_STATUSES } from './vocabulary.ts';

type Conn = Db | Trx;

/** The first contact about this incident: same police reference, or same agency, date and children. */
export async function findOriginal(
  db: Conn,
  input: {
    incidentRef: string | null;
    sourceAgencyId: string | null;
    incidentDate: string | null;
    childIds: string[];
  },
) {
  const byRef = input.incidentRef !== null && input.incidentRef !== '';
  const byIncident = Boolean(input.sourceAgencyId && input.incidentDate && input.childIds.length > 0);
  if (!byRef && !byIncident) return undefined;
  // Both ways of finding the original in one statement: by the police reference first, otherwise
  // by the same source, incident date and children.
  const sorted = [...input.childIds].sort();
  const { rows } = await sql<{
    id: string;
    status: string;
    reference: string;
    kind: string;
    area_id: string;
  }>`
    select id, status, reference, kind, area_id from (
      (select id, status, reference, kind, area_id, 0 as rank from contact
        where ${byRef} and lower(incident_ref) = lower(${input.incidentRef ?? ''}) and duplicate_of_id is null
        order by received_at limit 1)
      union all
      (select id, status, reference, kind, area_id, 1 as rank from contact
        where ${byIncident} and source_agency_id = ${input.sourceAgencyId}
          and incident_date = ${input.incidentDate}::date and duplicate_of_id is null
          and (select array_agg(cp.person_id::text order by cp.person_id::text) from contact_person cp
            where cp.contact_id = contact.id and cp.role = 'child') = ${sql.val(sorted)}::text[]
        order by received_at limit 1)
    ) as found order by rank limit 1`.execute(db);
  return rows[0];
}

export async function addHistory(
  db: Conn,
  entries: {
    area_id: string;
    contact_id: string;
    at: Date;
    actor_name: string;
    kind: string;
    summary: string;
  }[],
) {
  if (entries.length) await db.insertInto('contact_history').values(entries).execute();
}

export async function notify(
  db: Conn,
  notice: {
    area_id: string;
    contact_id: string | null;
    enquiry_id?: string | null;
    kind: string;
    audience_role?: string | null;
    audience_agency_id?: string | null;
    message: string;
    created_at: Date;
    dedupe_key: string;
  },
) {
  await db
    .insertInto('front_door_notification')
    .values({
      enquiry_id: null,
      audience_role: null,
      audience_agency_id: null,
      read_at: null,
      ...notice,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

/**
 * Contacts with the name of the agency they came from, if one is recorded, as the contact page,
 * the queue and a contact's linked submissions show it (decision 0007 lists these joins).
 */
function withSource<O>(contacts: SelectQueryBuilder<DB, 'contact', O>) {
  return contacts
    .leftJoin('agency', 'agency.id', 'contact.source_agency_id')
    .select('agency.name as source_agency_name');
}

/** Contacts with the names of their area and source agency, as the contact page and the queue show them. */
function withAreaAndSource<O>(contacts: SelectQueryBuilder<DB, 'contact', O>) {
  return withSource(contacts).leftJoin('area', 'area.id', 'contact.area_id').select('area.name as area_name');
}

/** What every list of contacts shows of each: which contact, of what kind, where it stands, when it came. */
const CONTACT_LIST_COLUMNS = [
  'contact.id',
  'contact.reference',
  'contact.kind',
  'contact.status',
  'contact.received_at',
] as const;

export function findContact(db: Conn, id: string) {
  return withAreaAndSource(db.selectFrom('contact'))
    .selectAll('contact')
    .select('agency.kind as source_agency_kind')
    .where('contact.id', '=', id)
    .executeTakeFirst();
}

export type ContactRow = NonNullable<Awaited<ReturnType<typeof findContact>>>;

/**
 * The people on a page of rows (the queue's, an enquiry inbox's), so each row can name its
 * children and the adults' roles.
 */
export function queuePeople(db: Conn, contactIds: readonly string[]) {
  if (contactIds.length === 0) return Promise.resolve([]);
  return peopleOnContacts(db)
    .select('contact_person.contact_id')
    .where('contact_person.contact_id', 'in', [...contactIds])
    .orderBy('contact_person.contact_id')
    .orderBy('contact_person.position')
    .execute();
}

export function contactPeople(db: Conn, contactId: string) {
  return peopleOnContacts(db)
    .select([
      'contact_person.position',
      'contact_person.match_outcome',
      'contact_person.supplied',
      'person.expected_date',
    ])
    .where('contact_person.contact_id', '=', contactId)
    .orderBy('contact_person.position')
    .execute();
}

/** The people on contacts, each as a contact names them: the person, their role on it and the details given. */
function peopleOnContacts(db: Conn) {
  return db
    .selectFrom('contact_person')
    .innerJoin('person', 'person.id', 'contact_person.person_id')
    .select([
      'contact_person.person_id',
      'contact_person.role',
      'contact_person.details',
      ...personNameColumns('person'),
      'person.kind',
    ]);
}

export function enquiriesOf(db: Conn, contactId: string) {
  return db
    .selectFrom('enquiry')
    .innerJoin('agency', 'agency.id', 'enquiry.agency_id')
    .selectAll('enquiry')
    .select(['agency.name as agency_name', 'agency.kind as agency_kind'])
    .where('enquiry.contact_id', '=', contactId)
    .orderBy('agency.name')
    .execute();
}

export function findEnquiry(db: Conn, id: string) {
  return db
    .selectFrom('enquiry')
    .innerJoin('contact', 'contact.id', 'enquiry.contact_id')
    .innerJoin('agency', 'agency.id', 'enquiry.agency_id')
    .selectAll('enquiry')
    .select(['contact.reference', 'contact.status as contact_status', 'agency.name as agency_name'])
    .where('enquiry.id', '=', id)
    .executeTakeFirst();
}

export function decisionOf(db: Conn, contactId: string) {
  return rowWhere(db.selectFrom('decision').selectAll(), { contact_id: contactId });
}

export function historyOf(db: Conn, contactId: string) {
  return rowsWhere(db.selectFrom('contact_history').selectAll(), { contact_id: contactId }, 'at desc', 'id');
}

export function linkedSubmissions(db: Conn, contactId: string) {
  return withSource(db.selectFrom('contact'))
    .select([...CONTACT_LIST_COLUMNS, 'contact.submitted_by_name', 'contact.concerns', 'contact.details'])
    .where('contact.duplicate_of_id', '=', contactId)
    .orderBy('contact.received_at')
    .execute();
}

/** The need-to-know filter for contact lists: own areas, or contacts the agency is party to. */
export function scoped(scope: RowScope) {
  return (eb: ExpressionBuilder<DB, 'contact'>): Expression<SqlBool> => {
    if (scope.kind === 'all') return sql<SqlBool>`true`;
    if (scope.kind === 'none') return sql<SqlBool>`false`;
    const ors: Expression<SqlBool>[] = [];
    if (scope.areaIds.length) ors.push(eb('contact.area_id', 'in', scope.areaIds));
    // Its own submissions (fact-supplier), and contacts it holds a current relationship through.
    if (scope.relatedAgencyId)
      ors.push(
        sql<SqlBool>`(contact.source_agency_id = ${scope.relatedAgencyId} or exists (select 1 from access_relationship r
          where r.contact_id = contact.id and r.agency_id = ${scope.relatedAgencyId}
          and (r.expires_at is null or r.expires_at > ${scope.asOf})))`,
      );
    return eb.or(ors);
  };
}

export const QUEUE_SORTS = ['due', 'received', 'rag', 'reference'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

export interface QueueQuery {
  areaIds?: string[];
  rag?: (Rag | 'unscreened')[];
  status?: ContactStatus[];
  sourceAgencyId?: string;
  assigned?: 'me' | 'unassigned' | string;
  route?: ContactRoute;
  /** A child's or adult's name, a police reference or an FD number (issue 12). */
  search?: string;
  userId?: string | null;
  sort: QueueSort;
  order: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

const likeEscape = (term: string) => term.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The queue's search: the FD number or police reference contains the text, or every word of it
 * begins a given or family name of someone on the contact ("poppy quill" finds Poppy Quillfeather).
 */
function searchMatches(search: string) {
  const text = search.trim().toLowerCase();
  const words = text.split(/\s+/).filter(Boolean).slice(0, 5);
  return (eb: ExpressionBuilder<DB, 'contact'>): Expression<SqlBool> => {
    const contains = `%${likeEscape(text)}%`;
    const named = words.map(
      (word) =>
        sql<SqlBool>`exists (select 1 from contact_person cp join person p on p.id = cp.person_id
          where cp.contact_id = contact.id and (lower(p.given_name) like ${`${likeEscape(word)}%`}
          or lower(p.family_name) like ${`${likeEscape(word)}%`}))`,
    );
    return eb.or([
      sql<SqlBool>`lower(contact.reference) like ${contains}`,
      sql<SqlBool>`lower(coalesce(contact.incident_ref, '')) like ${contains}`,
      ...(named.length ? [eb.and(named)] : []),
    ]);
  };
}

const RAG_ORDER = sql<number>`case contact.rag when 'red' then 0 when 'amber' then 1 when 'green' then 2 when 'blue' then 3 else -1 end`;

export function queue(db: Conn, query: QueueQuery, scope: RowScope) {
  let q = db
    .selectFrom('contact')
    .where(scoped(scope))
    .where('contact.status', 'in', query.status?.length ? query.status : [...OPEN_STATUSES]);
  if (query.areaIds?.length) q = q.where('contact.area_id', 'in', query.areaIds);
  if (query.rag?.length) {
    const rags = query.rag.filter((r): r is Rag => r !== 'unscreened');
    q = q.where((eb) =>
      eb.or([
        ...(rags.length ? [eb('contact.rag', 'in', rags)] : []),
        ...(query.rag!.includes('unscreened') ? [eb('contact.screened_at', 'is', null)] : []),
      ]),
    );
  }
  if (query.sourceAgencyId) q = q.where('contact.source_agency_id', '=', query.sourceAgencyId);
  if (query.search) q = q.where(searchMatches(query.search));
  if (query.route) q = q.where('contact.route', '=', query.route);
  if (query.assigned === 'me' && query.userId) q = q.where('contact.assigned_user_id', '=', query.userId);
  else if (query.assigned === 'unassigned') q = q.where('contact.assigned_user_id', 'is', null);
  else if (query.assigned && query.assigned !== 'me')
    q = q.where('contact.assigned_user_id', '=', query.assigned);
  const sortExpr = {
    due: sql`contact.decision_due_at`,
    received: sql`contact.received_at`,
    rag: RAG_ORDER,
    reference: sql`contact.reference`,
  }[query.sort];
  return pageWithTotal(q, query, (base) =>
    withAreaAndSource(base)
      .select([
        ...CONTACT_LIST_COLUMNS,
        'contact.route',
        'contact.rag',
        'contact.screened_at',
        'contact.screening_due_at',
        'contact.decision_due_at',
        'contact.decision_breached_at',
        'contact.duplicate_count',
        'contact.assigned_user_id',
        'contact.assigned_name',
        'contact.risk_grade',
        'contact.concerns',
        'contact.rescreen_requested_at',
      ])
      .select((eb) =>
        eb
          .selectFrom('contact_person')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('contact_person.contact_id', '=', 'contact.id')
          .where('contact_person.role', '=', 'child')
          .as('children'),
      )
      .orderBy(sortExpr, query.order)
      // Urgency: within a RAG, the least time left first (issue 12: red never below green).
      .$if(query.sort === 'rag', (qb) => qb.orderBy('contact.decision_due_at', 'asc'))
      .orderBy('contact.id'),
  );
}

/** Contacts an agency submitted, newest first, with what was decided. */
export function submittedBy(db: Conn, agencyId: string, page: number, pageSize: number) {
  const base = db.selectFrom('contact').where('contact.source_agency_id', '=', agencyId);
  return pageWithTotal(base, { page, pageSize }, (q) =>
    q
      .leftJoin('contact as original', 'original.id', 'contact.duplicate_of_id')
      .select([
        ...CONTACT_LIST_COLUMNS,
        'contact.incident_ref',
        'contact.outcome',
        'contact.level_of_need',
        'contact.decided_at',
        'contact.feedback',
        'contact.feedback_sent_at',
        'contact.duplicate_of_id',
        'original.reference as original_reference',
        'original.outcome as original_outcome',
        'original.feedback_sent_at as original_feedback_sent_at',
      ])
      .orderBy('contact.received_at', 'desc')
      .orderBy('contact.id'),
  );
}

export function inbox(
  db: Conn,
  agencyId: string,
  status: 'open' | 'responded',
  page: number,
  pageSize: number,
) {
  const base = db
    .selectFrom('enquiry')
    .innerJoin('contact', 'contact.id', 'enquiry.contact_id')
    .where('enquiry.agency_id', '=', agencyId)
    .where('enquiry.status', '=', status);
  return pageWithTotal(base, { page, pageSize }, (q) =>
    q
      .innerJoin('area', 'area.id', 'enquiry.area_id')
      .select([
        'enquiry.id',
        'enquiry.contact_id',
        'enquiry.question',
        'enquiry.status',
        'enquiry.requested_at',
        'enquiry.requested_by_name',
        'enquiry.due_at',
        'enquiry.breached_at',
        'enquiry.responded_at',
        'enquiry.responded_by_name',
        'contact.reference',
        'contact.rag',
        'area.name as area_name',
      ])
      .orderBy(
        status === 'open' ? 'enquiry.due_at' : 'enquiry.responded_at',
        status === 'open' ? 'asc' : 'desc',
      )
      .orderBy('enquiry.id'),
  );
}

export function openEnquiryCount(db: Conn, agencyId: string) {
  return db
    .selectFrom('enquiry')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('agency_id', '=', agencyId)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
}

export async function queueCounts(db: Conn, areaIds: string[], now: Date, userId: string | null) {
  if (areaIds.length === 0) return { open: 0, breached: 0, unscreened: 0, mine: 0, awaitingSignOff: 0 };
  const row = await db
    .selectFrom('contact')
    .select([
      sql<number>`count(*)::int`.as('open'),
      sql<number>`count(*) filter (where decision_due_at < ${now})::int`.as('breached'),
      sql<number>`count(*) filter (where screened_at is null)::int`.as('unscreened'),
      sql<number>`count(*) filter (where assigned_user_id = ${userId})::int`.as('mine'),
      sql<number>`count(*) filter (where status = 'awaiting-sign-off')::int`.as('awaitingSignOff'),
    ])
    .where('area_id', 'in', areaIds)
    .where('status', 'in', [...OPEN_STATUSES])
    .executeTakeFirstOrThrow();
  return row;
}

export function awaitingSignOff(db: Conn, areaIds: string[]) {
  if (areaIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('decision')
    .innerJoin('contact', 'contact.id', 'decision.contact_id')
    .select([
      'decision.id',
      'decision.contact_id',
      'decision.level_of_need',
      'decision.outcome',
      'decision.decided_at',
      'decision.decided_by_name',
      'contact.reference',
      'contact.rag',
      'contact.decision_due_at',
    ])
    .where('decision.area_id', 'in', areaIds)
    .where('decision.sign_off_status', '=', 'awaiting')
    .orderBy('contact.decision_due_at')
    .limit(200)
    .execute();
}

/** Open enquiries past their due time, grouped by the agency that has not answered. */
export function stuckEnquiriesByAgency(db: Conn, areaIds: string[], now: Date) {
  if (areaIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('enquiry')
    .innerJoin('agency', 'agency.id', 'enquiry.agency_id')
    .select([
      'agency.id',
      'agency.name',
      sql<number>`count(*)::int`.as('overdue'),
      sql<Date>`min(enquiry.due_at)`.as('oldest_due_at'),
    ])
    .where('enquiry.area_id', 'in', areaIds)
    .where('enquiry.status', '=', 'open')
    .where('enquiry.due_at', '<', now)
    .groupBy(['agency.id', 'agency.name'])
    .orderBy(sql`count(*)`, 'desc')
    .execute();
}

export function unreadNotifications(
  db: Conn,
  areaIds: string[],
  role: string | null,
  agencyId: string | null,
) {
  return db
    .selectFrom('front_door_notification')
    .leftJoin('contact', 'contact.id', 'front_door_notification.contact_id')
    .select([
      'front_door_notification.id',
      'front_door_notification.kind',
      'front_door_notification.message',
      'front_door_notification.created_at',
      'front_door_notification.contact_id',
      'contact.reference',
    ])
    .where('front_door_notification.read_at', 'is', null)
    .where((eb) =>
      eb.or([
        ...(role && areaIds.length
          ? [
              eb.and([
                eb('front_door_notification.audience_role', '=', role),
                eb('front_door_notification.area_id', 'in', areaIds),
              ]),
            ]
          : []),
        ...(agencyId ? [eb('front_door_notification.audience_agency_id', '=', agencyId)] : []),
        // Neither audience: an empty `or` is false (Kysely writes 1 = 0), so nothing is shown.
      ]),
    )
    .orderBy('front_door_notification.created_at', 'desc')
    .limit(100)
    .execute();
}
