import { type ExpressionBuilder, sql } from 'kysely';
import { rowsWhere, rowWhere } from '../../db/common-queries.ts';
import type { Db, Trx } from '../../db/database.ts';
import { pageWithTotal } from '../../db/paging.ts';
import { personNameColumns } from '../../db/person-columns.ts';
import type { DB } from '../../db/schema.ts';
import type { RowScope } from '../../platform/access.ts';
import { relatedPerson, relationshipListing } from './relationships.ts';

type Conn = Db | Trx;

export function findPerson(db: Conn, id: string) {
  return rowWhere(db.selectFrom('person').selectAll(), { id });
}

/** Live records (not merged away) holding this NHS number: the health lookup's and FHIR's key. */
export function liveIdsByNhsNumber(db: Conn, nhsNumber: string) {
  const records = db.selectFrom('person').select(['id', 'area_id', 'kind']);
  return rowsWhere(records, { nhs_number: nhsNumber, merged_into_id: null }, 'id');
}

/**
 * Live records born on this date holding this name as any of their names (current, alias,
 * previous, preferred), compared without case: the health lookup when there is no NHS number.
 */
export function liveIdsByNameAndBirth(
  db: Conn,
  query: { givenName: string; familyName: string; dateOfBirth: string },
) {
  return db
    .selectFrom('person')
    .select(['person.id', 'person.area_id', 'person.kind'])
    .where('person.date_of_birth', '=', query.dateOfBirth)
    .where('person.merged_into_id', 'is', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('person_name as n')
          .select('n.id')
          .whereRef('n.person_id', '=', 'person.id')
          .where(sql<string>`lower(n.given_name)`, '=', query.givenName.trim().toLowerCase())
          .where(sql<string>`lower(n.family_name)`, '=', query.familyName.trim().toLowerCase()),
      ),
    )
    .orderBy('person.id')
    .execute();
}

/** The identifying columns other modules need about people (checks, headings, the risk engine). */
export function peopleByIds(db: Conn, ids: readonly string[]) {
  const identifying = db
    .selectFrom('person')
    .select([
      'id',
      'area_id',
      'kind',
      'given_name',
      'family_name',
      'date_of_birth',
      'expected_date',
      'disability',
      'merged_into_id',
    ]);
  return rowsWhere(identifying, { id: ids });
}

/** The equality facts the person record holds (sex, date of birth, ethnicity, disability), for returns. */
export function equalityFacts(db: Conn, ids: readonly string[]) {
  return rowsWhere(
    db.selectFrom('person').select(['id', 'sex', 'date_of_birth', 'ethnicity', 'disability']),
    {
      id: ids,
    },
  );
}

/** Names and dates of birth, for lists and headings. */
export function personNames(db: Conn, ids: readonly string[]) {
  const names = db.selectFrom('person').select(['id', 'given_name', 'family_name', 'date_of_birth', 'kind']);
  return rowsWhere(names, { id: ids });
}

/** Adults linked to a child: relationships recorded from the child's side (parent, step-parent, lives-with, incident roles). */
export function linkedAdults(db: Conn, childId: string) {
  return db
    .selectFrom('person_relationship as r')
    .innerJoin('person as p', 'p.id', 'r.related_person_id')
    .select(['r.related_person_id as id', 'r.kind'])
    .where('r.person_id', '=', childId)
    .where('p.kind', '=', 'adult')
    .where('p.merged_into_id', 'is', null)
    .execute();
}

const CHILD_KINDS = ['child', 'step-child', 'child-in-household'];
const CARER_KINDS = ['parent', 'step-parent', 'lives-with', 'perpetrator', 'victim'];

/** Children linked to adults, from either side of the relationship. */
export async function linkedChildren(db: Conn, adultIds: readonly string[]): Promise<string[]> {
  if (adultIds.length === 0) return [];
  const rows = await db
    .selectFrom('person_relationship as r')
    .innerJoin('person as p', 'p.id', 'r.related_person_id')
    .select('r.related_person_id as id')
    .where('r.person_id', 'in', [...adultIds])
    .where('r.kind', 'in', CHILD_KINDS)
    .where('p.kind', 'in', ['child', 'unborn'])
    .union(
      db
        .selectFrom('person_relationship as r')
        .innerJoin('person as p', 'p.id', 'r.person_id')
        .select('r.person_id as id')
        .where('r.related_person_id', 'in', [...adultIds])
        .where('r.kind', 'in', CARER_KINDS)
        .where('p.kind', 'in', ['child', 'unborn']),
    )
    .execute();
  return rows.map((r) => r.id);
}

/** The postcode of the person's current address (else the most recent), or null. */
export async function latestPostcode(db: Conn, personId: string): Promise<string | null> {
  const address = await db
    .selectFrom('person_address')
    .select(['postcode'])
    .where('person_id', '=', personId)
    .orderBy(sql`to_date is null`, 'desc')
    .orderBy('from_date', 'desc')
    .executeTakeFirst();
  return address?.postcode ?? null;
}

/** A person as the people module's lists show one (household, search, demo residents): who, and child or adult. */
const LISTED_PERSON = ['person.id', ...personNameColumns('person'), 'person.kind'] as const;

/** People of an area with a date of birth, one row per address, ordered by address: for demo data. */
export function residentsWithAddresses(db: Conn, areaId: string) {
  return db
    .selectFrom('person')
    .innerJoin('person_address', 'person_address.person_id', 'person.id')
    .select([
      ...LISTED_PERSON,
      'person.sex',
      'person_address.line1',
      'person_address.town',
      'person_address.postcode',
    ])
    .where('person.area_id', '=', areaId)
    .where('person.date_of_birth', 'is not', null)
    .orderBy('person_address.postcode')
    .orderBy('person_address.line1')
    .orderBy('person.date_of_birth')
    .execute();
}

export async function personDetails(db: Conn, personId: string) {
  const [names, identifiers, addresses, contacts, relationships, links, incidentRoles] = await Promise.all([
    db
      .selectFrom('person_name')
      .leftJoin('agency', 'agency.id', 'person_name.source_agency_id')
      .select([
        'person_name.id',
        'person_name.kind',
        'given_name',
        'family_name',
        'valid_from',
        'valid_to',
        'recorded_at',
        'agency.name as source',
      ])
      .where('person_id', '=', personId)
      .orderBy('recorded_at')
      .execute(),
    db
      .selectFrom('person_identifier')
      .leftJoin('agency', 'agency.id', 'person_identifier.source_agency_id')
      .select(['person_identifier.id', 'scheme', 'value', 'recorded_at', 'agency.name as source'])
      .where('person_id', '=', personId)
      .orderBy('scheme')
      .orderBy('recorded_at')
      .execute(),
    db
      .selectFrom('person_address')
      .leftJoin('agency', 'agency.id', 'person_address.source_agency_id')
      .select([
        'person_address.id',
        'line1',
        'line2',
        'town',
        'postcode',
        'from_date',
        'to_date',
        'recorded_at',
        'agency.name as source',
      ])
      .where('person_id', '=', personId)
      .orderBy('from_date', 'desc')
      .execute(),
    db
      .selectFrom('person_contact_detail')
      .leftJoin('agency', 'agency.id', 'person_contact_detail.source_agency_id')
      .select([
        'person_contact_detail.id',
        'person_contact_detail.kind',
        'value',
        'recorded_at',
        'agency.name as source',
      ])
      .where('person_id', '=', personId)
      .execute(),
    db
      .selectFrom('person_relationship')
      .innerJoin('person as other', 'other.id', 'person_relationship.related_person_id')
      .leftJoin('agency', 'agency.id', 'person_relationship.source_agency_id')
      .select([
        'person_relationship.id',
        'person_relationship.kind',
        'person_relationship.incident_reference',
        'person_relationship.from_date',
        'person_relationship.to_date',
        'person_relationship.recorded_at',
        'other.id as other_id',
        'other.given_name as other_given_name',
        'other.family_name as other_family_name',
        'other.date_of_birth as other_date_of_birth',
        'other.kind as other_kind',
        'agency.name as source',
      ])
      .where('person_relationship.person_id', '=', personId)
      .orderBy('person_relationship.kind')
      .execute(),
    relationshipListing(db, personId),
    db
      .selectFrom('person_incident_role')
      .leftJoin('agency', 'agency.id', 'person_incident_role.source_agency_id')
      .select([
        'person_incident_role.id',
        'person_incident_role.incident_reference',
        'person_incident_role.role',
        'person_incident_role.occurred_on',
        'person_incident_role.contact_id',
        'person_incident_role.recorded_at',
        'agency.name as source',
      ])
      .where('person_id', '=', personId)
      .orderBy('person_incident_role.occurred_on', 'desc')
      .execute(),
  ]);
  return { names, identifiers, addresses, contacts, relationships, links, incidentRoles };
}

/** Who lives (or lived) at the person's addresses: everyone recorded at the same postcode and first line. */
export function household(db: Conn, personId: string) {
  return db
    .selectFrom('person_address as mine')
    .innerJoin('person_address as theirs', (join) =>
      join.onRef('theirs.postcode', '=', 'mine.postcode').onRef('theirs.line1', '=', 'mine.line1'),
    )
    .innerJoin('person', 'person.id', 'theirs.person_id')
    .select([...LISTED_PERSON, 'theirs.from_date', 'theirs.to_date', 'theirs.line1', 'theirs.postcode'])
    .where('mine.person_id', '=', personId)
    .where('person.merged_into_id', 'is', null)
    .orderBy('theirs.to_date', 'desc')
    .orderBy('person.date_of_birth')
    .execute();
}

export interface PersonSearch {
  name?: string;
  dateOfBirth?: string;
  postcode?: string;
  identifier?: string;
  kind?: 'child' | 'unborn' | 'adult';
  /** Only people in this area. */
  areaId?: string;
  /** Only people this agency holds a standing relationship with (a school's pupils, a GP's patients). */
  agencyId?: string;
  sort?: 'name' | 'dateOfBirth';
  order?: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

/** A search counts its matches up to here: beyond it, "more than 1,000" is what a practitioner needs. */
export const SEARCH_COUNT_CAP = 1000;

/** The least string above every string that starts with `prefix`, in code-point (byte) order. */
function prefixEnd(prefix: string): string {
  const chars = Array.from(prefix);
  let next = chars.pop()!.codePointAt(0)! + 1;
  if (next >= 0xd800 && next <= 0xdfff) next = 0xe000;
  return chars.join('') + String.fromCodePoint(next);
}

/** `column` starts with `word`, as a range the text_pattern_ops indexes answer (migration 0014). */
function startsWith(column: string, word: string) {
  const ref = sql.ref(column);
  return sql<boolean>`lower(${ref}) ~>=~ ${word} and lower(${ref}) ~<~ ${prefixEnd(word)}`;
}

/**
 * The people one search word can find, as a union of queries that each use one index: trigram
 * similarity of surname and given name (GIN), and a prefix of the current or any other name
 * (btree). The full condition is applied afterwards, to these candidates only.
 */
function nameCandidates(db: Conn, word: string) {
  return db
    .selectFrom('person')
    .select('person.id')
    .where(sql<boolean>`lower(person.family_name) % ${word}`)
    .union(
      db.selectFrom('person').select('person.id').where(sql<boolean>`lower(person.given_name) % ${word}`),
    )
    .union(db.selectFrom('person').select('person.id').where(startsWith('person.family_name', word)))
    .union(db.selectFrom('person').select('person.id').where(startsWith('person.given_name', word)))
    .union(
      db
        .selectFrom('person_name')
        .select('person_name.person_id as id')
        .where(startsWith('person_name.family_name', word)),
    )
    .union(
      db
        .selectFrom('person_name')
        .select('person_name.person_id as id')
        .where(startsWith('person_name.given_name', word)),
    );
}

/** The people holding this identifier (any scheme): by the index on its value. */
function identifierHolders(db: Conn, value: string) {
  return db
    .selectFrom('person_identifier')
    .select('person_identifier.person_id as id')
    .where('person_identifier.value', '=', value);
}

/** The people recorded at an address with this postcode (current or past): by the index on it. */
function postcodeHolders(db: Conn, postcode: string) {
  return db
    .selectFrom('person_address')
    .select('person_address.person_id as id')
    .where('person_address.postcode', '=', postcode);
}

/**
 * Where a search's candidates come from: the most selective criterion given, by one or more index
 * scans. Every criterion must hold of a result, so any one of them bounds the set; the rest are
 * checked on the candidates. An exact identifier beats a postcode, a date of birth, then the name:
 * every word must match, so the candidates are the people every word's union finds (intersected
 * by id, in memory). One word's union alone can be tens of thousands of people for a common
 * surname, each of whom the full condition then had to read through the primary key.
 */
function candidateIds(db: Conn, query: PersonSearch, words: readonly string[]) {
  if (query.identifier) return identifierHolders(db, query.identifier);
  if (query.postcode) return postcodeHolders(db, query.postcode);
  if (query.dateOfBirth)
    return db.selectFrom('person').select('person.id').where('person.date_of_birth', '=', query.dateOfBirth);
  if (words.length === 0) return null;
  const [first, ...rest] = [...new Set(words)].map((word, i) =>
    db.selectFrom(nameCandidates(db, word).as(`w${i}`)).select(`w${i}.id as id`),
  );
  return rest.reduce((all, next) => all.intersect(next), first!);
}

/**
 * Fuzzy search, filtered in SQL by what the principal may see: candidates from indexed queries
 * (candidateIds), then every criterion and the access scope applied to those, sorted and paged.
 * The count stops at SEARCH_COUNT_CAP (`capped` says there are more).
 */
export async function searchPeople(db: Conn, query: PersonSearch, scope: RowScope) {
  if (scope.kind === 'none') return { rows: [], total: 0, capped: false };
  const words = (query.name ?? '').trim().toLowerCase().split(/\s+/).filter(Boolean);
  let q = db.selectFrom('person').where('person.merged_into_id', 'is', null);
  const candidates = candidateIds(db, query, words);
  if (candidates) q = q.where('person.id', 'in', candidates);
  if (scope.kind === 'filtered') {
    q = q.where((eb) => {
      const ors = [];
      if (scope.areaIds.length > 0) ors.push(eb('person.area_id', 'in', scope.areaIds));
      if (scope.relatedAgencyId) ors.push(relatedPerson(scope, 'person.id')(eb));
      return eb.or(ors);
    });
  }
  for (const word of words) {
    q = q.where((eb) =>
      eb.or([
        sql<boolean>`lower(person.family_name) % ${word}`,
        sql<boolean>`lower(person.given_name) % ${word}`,
        startsWith('person.family_name', word),
        startsWith('person.given_name', word),
        eb.exists(
          eb
            .selectFrom('person_name')
            .select(sql`1`.as('one'))
            .whereRef('person_name.person_id', '=', 'person.id')
            .where((inner) =>
              inner.or([
                startsWith('person_name.family_name', word),
                startsWith('person_name.given_name', word),
              ]),
            ),
        ),
      ]),
    );
  }
  if (query.dateOfBirth) q = q.where('person.date_of_birth', '=', query.dateOfBirth);
  if (query.kind) q = q.where('person.kind', '=', query.kind);
  if (query.areaId) q = q.where('person.area_id', '=', query.areaId);
  if (query.agencyId) {
    const agencyId = query.agencyId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('access_relationship as link')
          .select(sql`1`.as('one'))
          .whereRef('link.person_id', '=', 'person.id')
          .where('link.agency_id', '=', agencyId)
          .where('link.expires_at', 'is', null),
      ),
    );
  }
  // The same sets of people that bound the candidates, each a criterion every result must meet.
  if (query.postcode) q = q.where('person.id', 'in', postcodeHolders(db, query.postcode));
  if (query.identifier) q = q.where('person.id', 'in', identifierHolders(db, query.identifier));
  // One statement: the matches are found once (a CTE, materialised because it is read twice), the
  // page is sorted out of them and the count stops at the cap.
  const order = query.order ?? 'asc';
  const found = await db
    .with('hit', () => q.select([...LISTED_PERSON, 'person.area_id']))
    .selectFrom('hit')
    .select(['hit.id', 'hit.given_name', 'hit.family_name', 'hit.date_of_birth', 'hit.kind', 'hit.area_id'])
    .select((eb) =>
      eb
        .selectFrom('person_address')
        .select('postcode')
        .whereRef('person_address.person_id', '=', 'hit.id')
        .orderBy('from_date', 'desc')
        .limit(1)
        .as('postcode'),
    )
    .select(
      sql<number>`(select count(*) from (select 1 from hit limit ${SEARCH_COUNT_CAP + 1}) as capped)`.as(
        'found',
      ),
    )
    .$call((qb) => {
      const byName = (b: typeof qb) => b.orderBy('hit.family_name', order).orderBy('hit.given_name', order);
      return query.sort === 'dateOfBirth'
        ? byName(qb.orderBy(sql`hit.date_of_birth ${sql.raw(order)} nulls last`))
        : byName(qb).orderBy('hit.date_of_birth');
    })
    .orderBy('hit.id')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  // A page past the end has no row to carry the count: count on its own then.
  const count =
    found.length > 0
      ? Number(found[0]!.found)
      : Number(
          (
            await db
              .selectFrom(
                q
                  .select('person.id')
                  .limit(SEARCH_COUNT_CAP + 1)
                  .as('hit'),
              )
              .select((eb) => eb.fn.countAll<number>().as('count'))
              .executeTakeFirstOrThrow()
          ).count,
        );
  const rows = found.map(({ found: _, ...row }) => row);
  return { rows, total: Math.min(count, SEARCH_COUNT_CAP), capped: count > SEARCH_COUNT_CAP };
}

export function accessLog(db: Conn, personId: string, page: number, pageSize: number) {
  const base = db
    .selectFrom('audit_event')
    .leftJoin('agency', 'agency.id', 'audit_event.actor_agency_id')
    .where(sql<boolean>`audit_event.person_ids @> array[${personId}]::uuid[]`);
  return pageWithTotal(base, { page, pageSize }, (q) =>
    q
      .select([
        'audit_event.occurred_at',
        'audit_event.actor_name',
        'audit_event.channel',
        'audit_event.action',
        'audit_event.outcome',
        'audit_event.reason',
        'agency.name as agency_name',
      ])
      .orderBy('audit_event.seq', 'desc'),
  );
}

/** Person rows joined twice (a pair): the columns a list or a comparison shows. */
function areaFilter(scope: RowScope, column: string) {
  return (eb: ExpressionBuilder<DB, never>) => {
    if (scope.kind === 'all') return sql<boolean>`true`;
    if (scope.kind === 'none' || scope.areaIds.length === 0) return sql<boolean>`false`;
    return eb(sql.ref(column), 'in', scope.areaIds);
  };
}

/** Merges with both records joined: the one that survived and the one merged into it. */
function mergesOfRecords(db: Conn) {
  return db
    .selectFrom('person_merge')
    .innerJoin('person as survivor', 'survivor.id', 'person_merge.survivor_id')
    .innerJoin('person as merged', 'merged.id', 'person_merge.merged_id');
}

/** How a merge names its two records, on the history list and on the merge's page. */
const MERGED_RECORD_NAMES = [
  'survivor.given_name as survivor_given_name',
  'survivor.family_name as survivor_family_name',
  'merged.given_name as merged_given_name',
  'merged.family_name as merged_family_name',
] as const;

export function mergeHistory(db: Conn, scope: RowScope, page: number, pageSize: number) {
  const base = mergesOfRecords(db).where(areaFilter(scope, 'person_merge.area_id') as never);
  return pageWithTotal(base, { page, pageSize }, (q) =>
    q
      .select([
        'person_merge.id',
        'person_merge.survivor_id',
        'person_merge.merged_id',
        'person_merge.reason',
        'person_merge.merged_at',
        'person_merge.merged_by_name',
        'person_merge.unmerged_at',
        'person_merge.unmerged_by_name',
        ...MERGED_RECORD_NAMES,
      ])
      .orderBy('person_merge.merged_at', 'desc')
      .orderBy('person_merge.id'),
  );
}

export function findMerge(db: Conn, id: string) {
  return mergesOfRecords(db)
    .selectAll('person_merge')
    .select([...MERGED_RECORD_NAMES, 'survivor.merged_into_id as survivor_merged_into_id'])
    .where('person_merge.id', '=', id)
    .executeTakeFirst();
}

export type ReviewSort = 'score' | 'created';

export interface ReviewQuery {
  status: 'pending' | 'decided';
  sort: ReviewSort;
  order: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

/**
 * The match review queue: pairs where both records are still live (pending), or decided pairs.
 * A pair is in reach when either record is in an area the principal serves.
 */
/** Review pairs with both records joined: the one that came in and the one it may match. */
function reviewPairs(db: Conn) {
  return db
    .selectFrom('match_review')
    .innerJoin('person as incoming', 'incoming.id', 'match_review.person_id')
    .innerJoin('person as existing', 'existing.id', 'match_review.candidate_id');
}

/** The pairs still to decide: pending, with both records live (neither merged away since). */
function stillPending(pairs: ReturnType<typeof reviewPairs>) {
  return pairs
    .where('match_review.status', '=', 'pending')
    .where('incoming.merged_into_id', 'is', null)
    .where('existing.merged_into_id', 'is', null);
}

export function reviewQueue(db: Conn, scope: RowScope, query: ReviewQuery) {
  let base = reviewPairs(db).where((eb) =>
    eb.or([
      areaFilter(scope, 'incoming.area_id')(eb as never),
      areaFilter(scope, 'existing.area_id')(eb as never),
    ]),
  );
  if (query.status === 'pending') base = stillPending(base);
  else base = base.where('match_review.status', '<>', 'pending');
  const sortColumn = query.sort === 'score' ? 'match_review.score' : 'match_review.created_at';
  return pageWithTotal(base, query, (q) =>
    q
      .select([
        'match_review.id',
        'match_review.score',
        'match_review.band',
        'match_review.status',
        'match_review.origin',
        'match_review.created_at',
        'match_review.decided_at',
        'match_review.decided_by_name',
        'incoming.id as incoming_id',
        'incoming.area_id as incoming_area_id',
        'existing.area_id as existing_area_id',
        'incoming.given_name as incoming_given_name',
        'incoming.family_name as incoming_family_name',
        'incoming.date_of_birth as incoming_date_of_birth',
        'existing.id as existing_id',
        'existing.given_name as existing_given_name',
        'existing.family_name as existing_family_name',
        'existing.date_of_birth as existing_date_of_birth',
      ])
      .orderBy(sortColumn, query.order)
      .orderBy('match_review.id'),
  );
}

export function findReview(db: Conn, id: string) {
  return rowWhere(db.selectFrom('match_review').selectAll(), { id });
}

/** Pending review pairs with either record in the areas, both records live (the home panel). */
export async function pendingReviewCount(db: Conn, areaIds: readonly string[]): Promise<number> {
  if (areaIds.length === 0) return 0;
  const pending = await stillPending(reviewPairs(db))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) =>
      eb.or([eb('incoming.area_id', 'in', [...areaIds]), eb('existing.area_id', 'in', [...areaIds])]),
    )
    .executeTakeFirstOrThrow();
  return Number(pending.n);
}
