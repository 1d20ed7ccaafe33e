import { type Insertable, type SelectQueryBuilder, sql } from 'kysely';
import { countWhere, rowWhere, updateWhere } from '../../../db/common-queries.ts';
import type { Db, Trx } from '../../../db/database.ts';
import { pageWithTotal } from '../../../db/paging.ts';
import type { DB } from '../../../db/schema.ts';

export function insertEpisode(trx: Trx, row: Insertable<DB['early_help_episode']>) {
  return trx.insertInto('early_help_episode').values(row).returning('id').executeTakeFirstOrThrow();
}

export async function insertTransition(trx: Trx, row: Insertable<DB['early_help_transition']>) {
  await trx.insertInto('early_help_transition').values(row).execute();
}

export function stepDownOf(trx: Trx, contactId: string) {
  return rowWhere(trx.selectFrom('early_help_transition').select('id'), {
    contact_id: contactId,
    direction: 'step-down',
  });
}

/**
 * Episodes as every list and page of them shows one: with the child's name and the lead agency's
 * (decision 0007 lists these two joins). Each caller adds the episode's own columns it needs.
 */
function withChildAndLead<O>(episodes: SelectQueryBuilder<DB, 'early_help_episode', O>) {
  return episodes
    .innerJoin('person', 'person.id', 'early_help_episode.person_id')
    .innerJoin('agency', 'agency.id', 'early_help_episode.lead_agency_id')
    .select(['person.given_name', 'person.family_name', 'agency.name as agency_name']);
}

/** An episode, locked, with the child's name and the lead agency's. */
export function lockEpisode(trx: Trx, id: string) {
  return withChildAndLead(trx.selectFrom('early_help_episode'))
    .selectAll('early_help_episode')
    .where('early_help_episode.id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function markSteppedUp(trx: Trx, id: string, at: Date) {
  await updateWhere(trx.updateTable('early_help_episode').set({ status: 'stepped-up', closed_at: at }), {
    id,
  });
}

/** The open episodes in the areas: the early-help board's list and the inbox are both of these. */
function openEpisodesIn(db: Db, areaIds: readonly string[]) {
  return db
    .selectFrom('early_help_episode')
    .where('early_help_episode.area_id', 'in', [...areaIds])
    .where('early_help_episode.status', '=', 'open');
}

/** What every list of episodes shows of each, beside the child's and lead agency's names. */
const LISTED_EPISODE = [
  'early_help_episode.id',
  'early_help_episode.person_id',
  'early_help_episode.lead_practitioner',
  'early_help_episode.plan',
  'early_help_episode.started_at',
] as const;

export function openEpisodes(db: Db, areaIds: readonly string[]) {
  return withChildAndLead(openEpisodesIn(db, areaIds))
    .select(LISTED_EPISODE)
    .orderBy('early_help_episode.started_at', 'desc')
    .limit(200)
    .execute();
}

export function transitionCounts(db: Db, areaIds: readonly string[]) {
  return db
    .selectFrom('early_help_transition')
    .select([
      sql<number>`count(*) filter (where direction = 'step-up')::int`.as('stepUp'),
      sql<number>`count(*) filter (where direction = 'step-down')::int`.as('stepDown'),
    ])
    .where('area_id', 'in', areaIds)
    .executeTakeFirstOrThrow();
}

export function recentTransitions(db: Db, areaIds: readonly string[]) {
  return db
    .selectFrom('early_help_transition')
    .innerJoin('contact', 'contact.id', 'early_help_transition.contact_id')
    .select([
      'early_help_transition.direction',
      'early_help_transition.recorded_at',
      'early_help_transition.recorded_by_name',
      'early_help_transition.reason',
      'early_help_transition.handover',
      'contact.id as contact_id',
      'contact.reference',
    ])
    .where('early_help_transition.area_id', 'in', areaIds)
    .orderBy('early_help_transition.recorded_at', 'desc')
    .limit(20)
    .execute();
}

export type InboxShow = 'to-pick-up' | 'mine' | 'all';

/**
 * The early-help inbox: open episodes in the areas, newest first, each with the child, the lead
 * agency and practitioner, the contact it came from and the step-down's reason and handover.
 */
export function inboxEpisodes(
  db: Db,
  query: {
    areaIds: readonly string[];
    show: InboxShow;
    userId: string | null;
    leadAgencyId?: string;
    page: number;
    pageSize: number;
  },
) {
  let base = openEpisodesIn(db, query.areaIds);
  if (query.show === 'to-pick-up') base = base.where('early_help_episode.assigned_user_id', 'is', null);
  if (query.show === 'mine') base = base.where('early_help_episode.assigned_user_id', '=', query.userId);
  if (query.leadAgencyId) base = base.where('early_help_episode.lead_agency_id', '=', query.leadAgencyId);
  return pageWithTotal(base, query, (q) =>
    withChildAndLead(q)
      .leftJoin('contact', 'contact.id', 'early_help_episode.from_contact_id')
      .leftJoin('early_help_transition as t', (join) =>
        join.onRef('t.episode_id', '=', 'early_help_episode.id').on('t.direction', '=', 'step-down'),
      )
      .select([
        ...LISTED_EPISODE,
        'early_help_episode.lead_user_id',
        'early_help_episode.lead_team_id',
        'early_help_episode.recorded_by_name',
        'early_help_episode.assigned_user_id',
        'early_help_episode.assigned_name',
        'early_help_episode.assigned_at',
        'person.date_of_birth',
        'contact.id as contact_id',
        'contact.reference as contact_reference',
        't.reason',
        't.handover',
      ])
      .orderBy('early_help_episode.started_at', 'desc')
      .orderBy('early_help_episode.id'),
  );
}

export async function assignEpisode(
  trx: Trx,
  id: string,
  assignee: { userId: string | null; name: string; at: Date },
) {
  const assigned = trx
    .updateTable('early_help_episode')
    .set({ assigned_user_id: assignee.userId, assigned_name: assignee.name, assigned_at: assignee.at });
  await updateWhere(assigned, { id });
}

/** How many open episodes in the areas nobody has picked up yet (a count: no person's data). */
export async function toPickUpCount(db: Db, areaIds: readonly string[]) {
  return countWhere(db.selectFrom('early_help_episode'), {
    area_id: areaIds,
    status: 'open',
    assigned_user_id: null,
  });
}
