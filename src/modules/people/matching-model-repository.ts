/**
 * Storage of learnt matching models and of the thresholds a manager set (migration 0018), and the
 * samples training reads: random people, and for some of them the candidates blocking finds.
 */
import { sql } from 'kysely';
import { countWhere } from '../../db/common-queries.ts';
import type { Db, Trx } from '../../db/database.ts';
import type { MatchModel } from '../../domain/matching/model.ts';

type Conn = Db | Trx;

export interface StoredModel {
  version: number;
  trainedAt: Date;
  recordCount: number;
  parameters: Record<string, unknown>;
  model: MatchModel;
}

export interface StoredThresholds {
  autoLink: number;
  review: number;
  modelVersion: number | null;
  setAt: Date;
  setByUserId: string | null;
}

function parsed<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** A stored model: the one of `version`, or without a version the latest trained. */
export async function storedModel(db: Conn, version?: number): Promise<StoredModel | null> {
  const row = await db
    .selectFrom('matching_model')
    .selectAll()
    .$if(version !== undefined, (qb) => qb.where('version', '=', version!))
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  return {
    version: row.version,
    trainedAt: row.trained_at,
    recordCount: row.record_count,
    parameters: parsed(row.parameters),
    model: parsed(row.model),
  };
}

export async function insertModel(
  trx: Trx,
  model: { trainedAt: Date; recordCount: number; parameters: object; model: MatchModel },
): Promise<number> {
  const row = await trx
    .insertInto('matching_model')
    .values({
      trained_at: model.trainedAt,
      record_count: model.recordCount,
      parameters: JSON.stringify(model.parameters),
      model: JSON.stringify(model.model),
    })
    .returning('version')
    .executeTakeFirstOrThrow();
  return row.version;
}

export async function latestThresholds(db: Conn): Promise<StoredThresholds | null> {
  const row = await db
    .selectFrom('matching_thresholds')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  return {
    autoLink: Number(row.auto_link),
    review: Number(row.review),
    modelVersion: row.model_version,
    setAt: row.set_at,
    setByUserId: row.set_by_user_id,
  };
}

export async function insertThresholds(
  trx: Trx,
  value: {
    autoLink: number;
    review: number;
    modelVersion: number | null;
    setAt: Date;
    setByUserId: string | null;
  },
): Promise<void> {
  await trx
    .insertInto('matching_thresholds')
    .values({
      auto_link: value.autoLink,
      review: value.review,
      model_version: value.modelVersion,
      set_at: value.setAt,
      set_by_user_id: value.setByUserId,
    })
    .execute();
}

export async function livePeopleCount(db: Conn): Promise<number> {
  return countWhere(db.selectFrom('person'), { merged_into_id: null });
}

/** A uniform random sample of live people's ids (one sort over the table; no rows are read into JS). */
export async function randomPeopleIds(db: Conn, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('person')
    .select('id')
    .where('merged_into_id', 'is', null)
    .orderBy(sql`random()`)
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * For each query person, the candidates the production candidate query would score (the same
 * large-block rule and ranking by shared keys, at most `perQuery`): one statement for all queries.
 */
export async function blockedCandidateIds(
  db: Conn,
  queryIds: readonly string[],
  perQuery: number,
  maxBlockSize: number,
): Promise<{ queryId: string; candidateId: string }[]> {
  if (queryIds.length === 0) return [];
  const { rows } = await sql<{ query_id: string; candidate_id: string }>`
    select q.id as query_id, c.id as candidate_id
    from person q
    cross join lateral (
      select array(select k from unnest(q.blocking_keys) as k where not exists (
        select from blocking_key_size as size where size.key = k and size.people > ${maxBlockSize})) as keys
    ) usable
    cross join lateral (
      select b.id from person b
      where b.blocking_keys && usable.keys and b.id <> q.id and b.merged_into_id is null
      order by (select count(*) from unnest(b.blocking_keys) as k where k = any(usable.keys)) desc, b.id
      limit ${perQuery}
    ) c
    where q.id = any(${[...queryIds]}::uuid[])`.execute(db);
  return rows.map((r) => ({ queryId: r.query_id, candidateId: r.candidate_id }));
}
