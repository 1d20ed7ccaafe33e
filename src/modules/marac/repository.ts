import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import type { Forum } from '../../db/schema/marac.ts';

type Conn = Db | Trx;

/** Every referral of this victim (either forum), newest first: repeats and duplicates. */
export function referralsOfVictim(db: Conn, victimPersonId: string) {
  return db
    .selectFrom('marac_case')
    .select(['id', 'referred_at', 'status', 'forum'])
    .where('victim_person_id', '=', victimPersonId)
    .orderBy('referred_at', 'desc')
    .execute();
}

export function findCase(db: Conn, id: string) {
  return db.selectFrom('marac_case').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockCase(trx: Trx, id: string) {
  return trx.selectFrom('marac_case').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The coordinator's queue: referrals of the areas not yet on a meeting, oldest first. */
export function queue(db: Conn, areaIds: readonly string[], forum: Forum) {
  if (areaIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('marac_case')
    .selectAll()
    .where('area_id', 'in', [...areaIds])
    .where('forum', '=', forum)
    .where('status', '=', 'referred')
    .orderBy('referred_at')
    .execute();
}

export function findMeeting(db: Conn, id: string) {
  return db.selectFrom('marac_meeting').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockMeeting(trx: Trx, id: string) {
  return trx.selectFrom('marac_meeting').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
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
  return db
    .selectFrom('marac_meeting')
    .selectAll()
    .where('area_id', '=', areaId)
    .where('forum', '=', forum)
    .orderBy('starts_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function casesOfMeeting(db: Conn, meetingId: string) {
  return db
    .selectFrom('marac_case')
    .selectAll()
    .where('meeting_id', '=', meetingId)
    .orderBy('agenda_position')
    .execute();
}

export function researchOfCase(db: Conn, caseId: string) {
  return db
    .selectFrom('marac_research as r')
    .innerJoin('agency', 'agency.id', 'r.agency_id')
    .select([
      'r.id',
      'r.agency_id',
      'agency.name as agency_name',
      'agency.kind as agency_kind',
      'r.requested_at',
      'r.due_at',
      'r.returned_at',
      'r.returned_by_name',
      'r.information',
    ])
    .where('r.case_id', '=', caseId)
    .orderBy('agency.name')
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

/** Cases heard (discussed) in an area's forum between two dates, with what the return counts. */
export function casesHeard(db: Conn, areaId: string, forum: Forum, from: Date, to: Date) {
  return db
    .selectFrom('marac_case as c')
    .innerJoin('person as v', 'v.id', 'c.victim_person_id')
    .select([
      'c.id',
      'c.repeat',
      'c.child_person_ids',
      'c.perpetrator_person_ids',
      'c.referring_agency_kind',
      'c.referred_at',
      'c.diversity',
      'v.sex as victim_sex',
      'v.date_of_birth as victim_dob',
    ])
    .where('c.area_id', '=', areaId)
    .where('c.forum', '=', forum)
    .where('c.discussed_at', '>=', from)
    .where('c.discussed_at', '<', to)
    .execute();
}
