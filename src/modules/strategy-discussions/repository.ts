import type { Insertable, Updateable } from 'kysely';
import { insertReturningId, rowsWhere, rowWhere, updateWhere } from '../../db/common-queries.ts';
import type { Db, Trx } from '../../db/database.ts';
import type { ParticipantWhy, StrategyDiscussionTable } from '../../db/schema/strategy-discussions.ts';

export function insertDiscussion(trx: Trx, row: Insertable<StrategyDiscussionTable>) {
  return trx.insertInto('strategy_discussion').values(row).returning('id').executeTakeFirstOrThrow();
}

export function findDiscussion(conn: Db | Trx, id: string) {
  return rowWhere(conn.selectFrom('strategy_discussion').selectAll(), { id });
}

export type DiscussionRow = NonNullable<Awaited<ReturnType<typeof findDiscussion>>>;

export function lockDiscussion(trx: Trx, id: string) {
  return rowWhere(trx.selectFrom('strategy_discussion').selectAll().forUpdate(), { id });
}

export async function updateDiscussion(trx: Trx, id: string, patch: Updateable<StrategyDiscussionTable>) {
  await updateWhere(trx.updateTable('strategy_discussion').set(patch), { id });
}

export function participants(conn: Db | Trx, discussionId: string) {
  const invited = conn
    .selectFrom('strategy_discussion_participant')
    .select(['agency_id', 'why', 'invited_at']);
  return rowsWhere(invited, { discussion_id: discussionId }, 'invited_at', 'agency_id');
}

/** The discussion's area, as a sub-select, for the rows that belong to it. */
function areaOf(trx: Trx, discussionId: string) {
  return trx.selectFrom('strategy_discussion').select('area_id').where('id', '=', discussionId);
}

export async function addParticipants(
  trx: Trx,
  discussionId: string,
  rows: readonly { agencyId: string; why: ParticipantWhy }[],
  at: Date,
) {
  if (rows.length === 0) return;
  await trx
    .insertInto('strategy_discussion_participant')
    .values(
      rows.map((r) => ({
        discussion_id: discussionId,
        area_id: areaOf(trx, discussionId),
        agency_id: r.agencyId,
        why: r.why,
        invited_at: at,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export function contributions(conn: Db | Trx, discussionId: string) {
  const written = conn
    .selectFrom('strategy_discussion_contribution')
    .select(['id', 'agency_id', 'author_name', 'information', 'created_at']);
  return rowsWhere(written, { discussion_id: discussionId }, 'created_at');
}

export function addContribution(
  trx: Trx,
  row: { discussionId: string; agencyId: string | null; authorName: string; information: string; at: Date },
) {
  return insertReturningId(trx.insertInto('strategy_discussion_contribution'), {
    discussion_id: row.discussionId,
    area_id: areaOf(trx, row.discussionId),
    agency_id: row.agencyId,
    author_name: row.authorName,
    information: row.information,
    created_at: row.at,
  });
}

/** What the MASH manager oversees: requests to decide, meetings to hold, outcomes not yet shared. */
export function forOversight(conn: Db | Trx, areaIds: readonly string[]) {
  const toOversee = conn
    .selectFrom('strategy_discussion')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('status', 'in', ['requested', 'scheduled']),
        eb.and([eb('status', '=', 'held'), eb('outcome_shared_at', 'is', null)]),
      ]),
    )
    .limit(200);
  return rowsWhere(toOversee, { area_id: areaIds }, 'requested_at');
}

/** Discussions the agency asked for or was invited to, newest first. */
export function forAgency(conn: Db | Trx, agencyId: string) {
  return conn
    .selectFrom('strategy_discussion as d')
    .selectAll('d')
    .where((eb) =>
      eb.or([
        eb('d.requested_by_agency_id', '=', agencyId),
        eb.exists(
          eb
            .selectFrom('strategy_discussion_participant as p')
            .select('p.agency_id')
            .whereRef('p.discussion_id', '=', 'd.id')
            .where('p.agency_id', '=', agencyId),
        ),
      ]),
    )
    .orderBy('d.requested_at', 'desc')
    .limit(200)
    .execute();
}

/** Held discussions whose outcome is past its sharing deadline and not yet alerted. */
export function breachedUnalerted(conn: Db | Trx, asOf: Date) {
  const due = conn
    .selectFrom('strategy_discussion')
    .select('id')
    .where('outcome_due_at', '<=', asOf)
    .limit(200);
  return rowsWhere(due, { status: 'held', outcome_shared_at: null, breach_alerted_at: null });
}

/** Counts for the manager's home page: requests to decide, and outcomes past their sharing deadline. */
export async function oversightCounts(conn: Db | Trx, areaIds: readonly string[], asOf: Date) {
  if (areaIds.length === 0) return { requested: 0, breached: 0 };
  const row = await conn
    .selectFrom('strategy_discussion')
    .where('area_id', 'in', [...areaIds])
    .select((eb) => [
      eb.fn.count<number>(eb.case().when('status', '=', 'requested').then(1).end()).as('requested'),
      eb.fn
        .count<number>(
          eb
            .case()
            .when(
              eb.and([
                eb('status', '=', 'held'),
                eb('outcome_shared_at', 'is', null),
                eb('outcome_due_at', '<', asOf),
              ]),
            )
            .then(1)
            .end(),
        )
        .as('breached'),
    ])
    .executeTakeFirstOrThrow();
  return { requested: Number(row.requested), breached: Number(row.breached) };
}
