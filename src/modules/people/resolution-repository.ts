import { type SelectQueryBuilder, sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import type { PersonTable } from '../../db/schema/people.ts';
import type { DB } from '../../db/schema.ts';
import { currentFirst, type PersonFacts } from './match-records.ts';

type Conn = Db | Trx;

export interface StoredFactsRow {
  id: string;
  area_id: string;
  kind: PersonTable['kind'];
  given_name: string;
  family_name: string;
  date_of_birth: string | null;
  expected_date: string | null;
  sex: PersonTable['sex'];
  created_at: Date;
  names: { givenName: string; familyName: string }[];
  identifiers: { scheme: string; value: string }[];
  addresses: { line1: string; postcode: string; fromDate: string | null; toDate: string | null }[];
}

const NAMES = sql<
  StoredFactsRow['names']
>`coalesce((select json_agg(json_build_object('givenName', n.given_name, 'familyName', n.family_name))
      from person_name n where n.person_id = person.id and n.kind <> 'current'), '[]'::json)`;
const IDENTIFIERS = sql<
  StoredFactsRow['identifiers']
>`coalesce((select json_agg(json_build_object('scheme', i.scheme, 'value', i.value) order by i.recorded_at, i.id)
      from person_identifier i where i.person_id = person.id), '[]'::json)`;
const ADDRESSES = sql<
  StoredFactsRow['addresses']
>`coalesce((select json_agg(json_build_object('line1', a.line1, 'postcode', a.postcode, 'fromDate', a.from_date, 'toDate', a.to_date))
      from person_address a where a.person_id = person.id), '[]'::json)`;

/** Every fact matching needs, in one row per person (correlated subqueries use the person_id indexes). */
function selectFacts(q: SelectQueryBuilder<DB, 'person', object>) {
  return q.select([
    'person.id',
    'person.area_id',
    'person.kind',
    'person.given_name',
    'person.family_name',
    'person.date_of_birth',
    'person.expected_date',
    'person.sex',
    'person.created_at',
    NAMES.as('names'),
    IDENTIFIERS.as('identifiers'),
    ADDRESSES.as('addresses'),
  ]);
}

function parsed<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

function normaliseRow(row: StoredFactsRow): StoredFactsRow {
  return {
    ...row,
    names: parsed(row.names),
    identifiers: parsed(row.identifiers),
    addresses: currentFirst(parsed(row.addresses)),
  };
}

/** The matcher's view of a stored person. */
export function factsOfRow(row: StoredFactsRow): PersonFacts {
  return {
    givenName: row.given_name,
    familyName: row.family_name,
    dateOfBirth: row.date_of_birth,
    expectedDate: row.expected_date,
    sex: row.sex,
    otherNames: row.names,
    addresses: row.addresses,
    identifiers: row.identifiers,
  };
}

/**
 * Live records sharing at least one blocking key: one statement on the GIN index. Every area of
 * the partnership is searched, because a child moves between its areas; what the caller may see of
 * the result is decided by the service. Keys whose measured block is larger than `maxBlockSize`
 * (blocking_key_size, see block-sizes.ts) are left out in the same statement. A common name can
 * still make a big block, so the block is ranked by how many keys each record shares with the
 * query and only the best `limit` have their facts read and are scored.
 */
export async function candidatesByKeys(
  db: Conn,
  keys: readonly string[],
  limit: number,
  maxBlockSize: number,
) {
  if (keys.length === 0) return [];
  const usable = sql`array(select k from unnest(${[...keys]}::text[]) as k where not exists (
    select from blocking_key_size as size where size.key = k and size.people > ${maxBlockSize}))`;
  const rows = await selectFacts(db.selectFrom('person'))
    .where('person.id', 'in', (eb) =>
      eb
        .selectFrom('person as block')
        .select('block.id')
        .where(sql<boolean>`block.blocking_keys && ${usable}`)
        .where('block.merged_into_id', 'is', null)
        .orderBy(
          sql`(select count(*) from unnest(block.blocking_keys) as k where k = any(${usable}))`,
          'desc',
        )
        .orderBy('block.id')
        .limit(limit),
    )
    .execute();
  return (rows as StoredFactsRow[]).map(normaliseRow);
}

/**
 * `candidatesByKeys` for several queries in one statement (the people of one submission): for
 * each set of keys, the keys left after the over-large ones are dropped and the same best `limit`
 * live records, with their facts. A record found by two queries comes back once for each.
 */
export async function candidatesForQueries(
  db: Conn,
  keySets: readonly (readonly string[])[],
  limit: number,
  maxBlockSize: number,
): Promise<{ usable: string[]; rows: StoredFactsRow[] }[]> {
  if (keySets.length === 0) return [];
  // Each query's block is found first (hits); the facts of a record several queries found are
  // then read once, not once per query: a fifth fewer correlated reads for a batch of 1,000.
  const { rows } = await sql<StoredFactsRow & { query: number; usable: string[] }>`
    with hits as (
      select q.ord::int as query, u.usable, hit.id, hit.shared
      from json_array_elements(${JSON.stringify(keySets)}::json) with ordinality as q(keys, ord)
      cross join lateral (
        select array(select k from json_array_elements_text(q.keys) as k where not exists (
          select from blocking_key_size as size where size.key = k and size.people > ${maxBlockSize}))::text[] as usable
      ) as u
      left join lateral (
        select block.id,
               (select count(*) from unnest(block.blocking_keys) as k where k = any(u.usable)) as shared
        from person as block
        where block.blocking_keys && u.usable and block.merged_into_id is null
        order by shared desc, block.id
        limit ${limit}
      ) as hit on true
    ), facts as (
      select person.id, person.area_id, person.kind, person.given_name, person.family_name,
             person.date_of_birth, person.expected_date, person.sex, person.created_at,
             ${NAMES} as names, ${IDENTIFIERS} as identifiers, ${ADDRESSES} as addresses
      from person where person.id in (select id from hits)
    )
    select hits.query, hits.usable, facts.*
    from hits left join facts on facts.id = hits.id
    order by hits.query, hits.shared desc, hits.id`.execute(db);
  const result = keySets.map(() => ({ usable: [] as string[], rows: [] as StoredFactsRow[] }));
  for (const { query, usable, ...row } of rows) {
    const entry = result[query - 1]!;
    entry.usable = usable;
    if (row.id) entry.rows.push(normaliseRow(row));
  }
  return result;
}

export async function storedFacts(db: Conn, personIds: readonly string[]) {
  if (personIds.length === 0) return [];
  const rows = await selectFacts(db.selectFrom('person'))
    .where('person.id', 'in', [...personIds])
    .execute();
  return (rows as StoredFactsRow[]).map(normaliseRow);
}

/** The next `limit` live people after `after` in id order: the pages a re-keying walks. */
export async function liveIdsAfter(db: Conn, after: string | null, limit: number): Promise<string[]> {
  let query = db.selectFrom('person').select('id').where('merged_into_id', 'is', null);
  if (after !== null) query = query.where('id', '>', after);
  const rows = await query.orderBy('id').limit(limit).execute();
  return rows.map((r) => r.id);
}
