import { type Insertable, sql, type Updateable } from 'kysely';
import { rowsWhere, rowWhere, updateWhere } from '../../db/common-queries.ts';
import type { Db, Trx } from '../../db/database.ts';
import type {
  Forum,
  MaracActionReviewTable,
  MaracCaseTable,
  MaracMeetingTable,
} from '../../db/schema/marac.ts';

type Conn = Db | Trx;

/** Every referral of this victim (either forum), newest first: repeats and duplicates. */
export function referralsOfVictim(db: Conn, victimPersonId: string) {
  const referrals = db.selectFrom('marac_case').select(['id', 'referred_at', 'status', 'forum']);
  return rowsWhere(referrals, { victim_person_id: victimPersonId }, 'referred_at desc');
}

export function findCase(db: Conn, id: string) {
  return rowWhere(db.selectFrom('marac_case').selectAll(), { id });
}

export function lockCase(trx: Trx, id: string) {
  return rowWhere(trx.selectFrom('marac_case').selectAll().forUpdate(), { id });
}

/** The coordinator's queue: referrals of the areas not yet on a meeting, oldest first. */
export function queue(db: Conn, areaIds: readonly string[], forum: Forum) {
  const cases = db.selectFrom('marac_case').selectAll();
  return rowsWhere(cases, { area_id: areaIds, forum, status: 'referred' }, 'referred_at');
}

export function findMeeting(db: Conn, id: string) {
  return rowWhere(db.selectFrom('marac_meeting').selectAll(), { id });
}

export function lockMeeting(trx: Trx, id: string) {
  return rowWhere(trx.selectFrom('marac_meeting').selectAll().forUpdate(), { id });
}

export function meetingsFrom(
  db: Conn,
  filter: { areaIds: readonly string[]; agencyId: string | null; from: Date; forum?: Forum },
) {
  let query = db
    .selectFrom('marac_meeting as m')
    .select([
      'm.id',
      'm.reference',
      'm.area_id',
      'm.forum',
      'm.starts_at',
      'm.status',
      'm.minutes_due_at',
      'm.minutes_published_at',
      sql<number>`(select count(*) from marac_case c where c.meeting_id = m.id)`.as('case_count'),
    ])
    .where('m.starts_at', '>=', filter.from)
    .where((eb) =>
      eb.or([
        ...(filter.areaIds.length ? [eb('m.area_id', 'in', [...filter.areaIds])] : []),
        // An agency asked for research on a case of the meeting takes part in it.
        ...(filter.agencyId
          ? [
              eb.exists(
                eb
                  .selectFrom('marac_case as c')
                  .innerJoin('marac_research as r', 'r.case_id', 'c.id')
                  .select(sql`1`.as('one'))
                  .whereRef('c.meeting_id', '=', 'm.id')
                  .where('r.agency_id', '=', filter.agencyId),
              ),
            ]
          : []),
        eb.val(false),
      ]),
    )
    .orderBy('m.starts_at');
  if (filter.forum) query = query.where('m.forum', '=', filter.forum);
  return query.limit(200).execute();
}

/** The latest meeting of an area's forum (the next is scheduled after it). */
export function lastMeeting(db: Conn, areaId: string, forum: Forum) {
  const latest = db.selectFrom('marac_meeting').selectAll().orderBy('starts_at', 'desc').limit(1);
  return rowWhere(latest, { area_id: areaId, forum });
}

export function casesOfMeeting(db: Conn, meetingId: string) {
  return rowsWhere(db.selectFrom('marac_case').selectAll(), { meeting_id: meetingId }, 'agenda_position');
}

/** A case's research requests; the service names each agency through the directory. */
export function researchOfCase(db: Conn, caseId: string) {
  return db
    .selectFrom('marac_research as r')
    .select([
      'r.id',
      'r.agency_id',
      'r.requested_at',
      'r.due_at',
      'r.returned_at',
      'r.returned_by_name',
      'r.information',
    ])
    .where('r.case_id', '=', caseId)
    .execute();
}

export function participantAgencyIds(db: Conn, meetingId: string) {
  return db
    .selectFrom('marac_research as r')
    .innerJoin('marac_case as c', 'c.id', 'r.case_id')
    .select('r.agency_id')
    .distinct()
    .where('c.meeting_id', '=', meetingId)
    .execute()
    .then((rows) => rows.map((r) => r.agency_id));
}

/** Cases heard (discussed) in an area's forum between two dates; the victims' facts come from people. */
export function casesHeard(db: Conn, areaId: string, forum: Forum, from: Date, to: Date) {
  return db
    .selectFrom('marac_case as c')
    .select([
      'c.id',
      'c.victim_person_id',
      'c.repeat',
      'c.child_person_ids',
      'c.perpetrator_person_ids',
      'c.referring_agency_kind',
      'c.referred_at',
      'c.diversity',
    ])
    .where('c.area_id', '=', areaId)
    .where('c.forum', '=', forum)
    .where('c.discussed_at', '>=', from)
    .where('c.discussed_at', '<', to)
    .execute();
}

// --- writes -------------------------------------------------------------------------------

export type NewCase = Insertable<MaracCaseTable>;

export function insertCase(trx: Trx, row: NewCase) {
  return trx.insertInto('marac_case').values(row).returning(['id', 'reference']).executeTakeFirstOrThrow();
}

export function insertMeeting(
  trx: Trx,
  row: { reference: string; area_id: string; forum: Forum; starts_at: Date },
) {
  return trx
    .insertInto('marac_meeting')
    .values(row)
    .returning(['id', 'reference', 'starts_at'])
    .executeTakeFirstOrThrow();
}

/** Changes one case: each step of a case's way through its meetings is one of these. */
function updateCase(trx: Trx, caseId: string, changes: Updateable<MaracCaseTable>) {
  return updateWhere(trx.updateTable('marac_case').set(changes), { id: caseId });
}

/** Changes one meeting (started, held, minutes published). */
function updateMeeting(trx: Trx, meetingId: string, changes: Updateable<MaracMeetingTable>) {
  return updateWhere(trx.updateTable('marac_meeting').set(changes), { id: meetingId });
}

export function putOnMeeting(trx: Trx, caseId: string, meetingId: string) {
  return updateCase(trx, caseId, { meeting_id: meetingId, status: 'listed' });
}

export async function setAgendaPositions(trx: Trx, caseIdsInOrder: readonly string[]) {
  for (const [index, id] of caseIdsInOrder.entries())
    await updateCase(trx, id, { agenda_position: index + 1 });
}

/** Research requests of a case; an agency already asked keeps its first request. */
export async function requestResearch(
  trx: Trx,
  rows: readonly { case_id: string; area_id: string; agency_id: string; requested_at: Date; due_at: Date }[],
) {
  if (rows.length === 0) return;
  await trx
    .insertInto('marac_research')
    .values([...rows])
    .onConflict((oc) => oc.columns(['case_id', 'agency_id']).doNothing())
    .execute();
}

/** The agency's research returned; undefined when the agency was not asked. */
export function returnResearch(
  trx: Trx,
  input: { caseId: string; agencyId: string; information: string; at: Date; byName: string },
) {
  return trx
    .updateTable('marac_research')
    .set({ information: input.information, returned_at: input.at, returned_by_name: input.byName })
    .where('case_id', '=', input.caseId)
    .where('agency_id', '=', input.agencyId)
    .returning('id')
    .executeTakeFirst();
}

export function setMeetingStarted(trx: Trx, meetingId: string, at: Date) {
  return updateMeeting(trx, meetingId, { status: 'in-progress', started_at: at });
}

export function setMeetingHeld(trx: Trx, meetingId: string, at: Date, minutesDueAt: Date) {
  return updateMeeting(trx, meetingId, { status: 'held', ended_at: at, minutes_due_at: minutesDueAt });
}

/** Cases listed but not heard go back to the queue for the next meeting. */
export function requeueUnheard(trx: Trx, meetingId: string) {
  const requeued = trx
    .updateTable('marac_case')
    .set({ status: 'referred', meeting_id: null, agenda_position: null });
  return updateWhere(requeued, { meeting_id: meetingId, status: 'listed' });
}

export function setMinutes(trx: Trx, meetingId: string, minutes: string, at: Date) {
  return updateMeeting(trx, meetingId, { minutes, minutes_published_at: at });
}

export function setDiscussed(trx: Trx, caseId: string, notes: string, at: Date) {
  return updateCase(trx, caseId, { status: 'discussed', discussion_notes: notes, discussed_at: at });
}

export function insertTransfer(
  trx: Trx,
  row: {
    case_id: string;
    area_id: string;
    to_area_id: string;
    reason: string;
    transferred_at: Date;
    transferred_by_name: string;
  },
) {
  return trx.insertInto('marac_transfer').values(row).execute();
}

/** The case moves to the receiving area's queue. */
export function moveCase(trx: Trx, caseId: string, toAreaId: string) {
  return updateCase(trx, caseId, {
    area_id: toAreaId,
    status: 'referred',
    meeting_id: null,
    agenda_position: null,
  });
}

// --- actions reviewed at the next meeting ---------------------------------------------------

/**
 * Cases heard at earlier meetings of the meeting's area and forum, not closed: their open actions
 * are reviewed at this meeting. The newest first, at most 200.
 */
export function casesHeardBefore(
  db: Conn,
  meeting: { id: string; area_id: string; forum: Forum; starts_at: Date },
) {
  return db
    .selectFrom('marac_case as c')
    .innerJoin('marac_meeting as m', 'm.id', 'c.meeting_id')
    .select([
      'c.id',
      'c.reference',
      'c.forum',
      'c.victim_person_id',
      'c.child_person_ids',
      'm.reference as meeting_reference',
    ])
    .where('c.area_id', '=', meeting.area_id)
    .where('c.forum', '=', meeting.forum)
    .where('c.status', '=', 'discussed')
    .where('m.id', '<>', meeting.id)
    .where('m.starts_at', '<', meeting.starts_at)
    .orderBy('m.starts_at', 'desc')
    .limit(200)
    .execute();
}

export function reviewsOfMeeting(db: Conn, meetingId: string) {
  return rowsWhere(db.selectFrom('marac_action_review').selectAll(), { meeting_id: meetingId });
}

/** The chair's review of an action at this meeting; a second review at the same meeting replaces the first. */
export function recordReview(trx: Trx, row: Insertable<MaracActionReviewTable>) {
  return trx
    .insertInto('marac_action_review')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['meeting_id', 'action_id']).doUpdateSet({
        status: row.status,
        note: row.note ?? null,
        reviewed_at: row.reviewed_at,
        reviewed_by_name: row.reviewed_by_name,
      }),
    )
    .execute();
}
