import { type Expression, type SqlBool, sql } from 'kysely';
import { countWhere, rowsWhere } from '../../db/common-queries.ts';
import type { Db, Trx } from '../../db/database.ts';
import { pageWithTotal } from '../../db/paging.ts';
import type {
  ChronologyEventData,
  ChronologyEventType,
  Significance,
} from '../../domain/chronology-event.ts';
import type { ChronologyEventScope } from '../../platform/access.ts';

type Conn = Db | Trx;

export interface NewEventRow {
  area_id: string;
  person_id: string;
  type: ChronologyEventType;
  occurred_at: Date;
  source_agency_id: string | null;
  source_agency_kind: string | null;
  significance: Significance;
  summary: string;
  data: ChronologyEventData;
  subject_type: string | null;
  subject_id: string | null;
  recorded_by_user_id: string | null;
  shared_with_agency_ids: string[];
}

export async function insertEvents(trx: Trx, rows: NewEventRow[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted = await trx
    .insertInto('chronology_event')
    .values(rows.map((r) => ({ ...r, data: JSON.stringify(r.data) })))
    .returning('id')
    .execute();
  return inserted.map((r) => r.id);
}

export interface EventFilters {
  agencyIds?: readonly string[];
  agencyKinds?: readonly string[];
  types?: readonly string[];
  from?: Date;
  to?: Date;
  minimumSignificance?: Significance;
}

const SIGNIFICANCE_AT_LEAST: Record<Significance, Significance[]> = {
  low: ['low', 'medium', 'high'],
  medium: ['medium', 'high'],
  high: ['high'],
};

/**
 * A person's events (and those of records merged into them) the scope allows, filtered. Every
 * predicate sits beside person_id so the (person_id, occurred_at desc) index drives the query.
 */
function visibleEvents(db: Conn, personId: string, scope: ChronologyEventScope, filters: EventFilters) {
  let q = db
    .selectFrom('chronology_event as e')
    // One = any(array) keeps the (person_id, occurred_at) index usable; an OR with a sub-select
    // made PostgreSQL scan every event (docs/performance.md).
    .where(
      sql<SqlBool>`e.person_id = any(array[${personId}]::uuid[] || array(select m.id from person m where m.merged_into_id = ${personId}))`,
    );
  if (scope.kind === 'none') q = q.where(sql<SqlBool>`false`);
  if (scope.kind === 'shared') {
    q = q.where((eb) => {
      const ors: Expression<SqlBool>[] = [
        eb('e.source_agency_id', '=', scope.agencyId),
        sql<SqlBool>`${scope.agencyId}::uuid = any(e.shared_with_agency_ids)`,
      ];
      if (scope.sourceKinds.length > 0) ors.push(eb('e.source_agency_kind', 'in', scope.sourceKinds));
      return eb.or(ors);
    });
  }
  if (filters.agencyIds?.length) q = q.where('e.source_agency_id', 'in', [...filters.agencyIds]);
  if (filters.agencyKinds?.length) q = q.where('e.source_agency_kind', 'in', [...filters.agencyKinds]);
  if (filters.types?.length) q = q.where('e.type', 'in', [...filters.types]);
  if (filters.from) q = q.where('e.occurred_at', '>=', filters.from);
  if (filters.to) q = q.where('e.occurred_at', '<', filters.to);
  if (filters.minimumSignificance && filters.minimumSignificance !== 'low')
    q = q.where('e.significance', 'in', SIGNIFICANCE_AT_LEAST[filters.minimumSignificance]);
  return q;
}

export function eventsForPerson(
  db: Conn,
  personId: string,
  scope: ChronologyEventScope,
  filters: EventFilters,
  page: { limit: number; offset: number },
) {
  return pageWithTotal(visibleEvents(db, personId, scope, filters), page, (q) =>
    q
      .leftJoin('agency', 'agency.id', 'e.source_agency_id')
      .select([
        'e.id',
        'e.person_id',
        'e.area_id',
        'e.type',
        'e.occurred_at',
        'e.recorded_at',
        'e.source_agency_id',
        'e.source_agency_kind',
        'e.significance',
        'e.summary',
        'e.data',
        'e.subject_type',
        'e.subject_id',
        'agency.name as source_agency_name',
      ])
      .orderBy('e.occurred_at', 'desc')
      .orderBy('e.id', 'desc'),
  );
}

/** The agencies whose events the principal can see on this chronology, for the filter. */
export function sourceAgencies(db: Conn, personId: string, scope: ChronologyEventScope) {
  return visibleEvents(db, personId, scope, {})
    .innerJoin('agency', 'agency.id', 'e.source_agency_id')
    .select(['agency.id', 'agency.name', 'agency.kind'])
    .distinct()
    .orderBy('agency.name')
    .execute();
}

/** Every event of these people (and records merged into them) up to `asOf`, for the risk engine. */
export function eventsOfPeople(db: Conn, personIds: readonly string[], asOf: Date) {
  if (personIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('chronology_event as e')
    .innerJoin('person as p', 'p.id', 'e.person_id')
    .select([
      'e.id',
      'e.person_id',
      'p.merged_into_id',
      'e.type',
      'e.occurred_at',
      'e.source_agency_kind',
      'e.source_agency_id',
      'e.shared_with_agency_ids',
      'e.significance',
      'e.summary',
      'e.data',
    ])
    .where(
      sql<SqlBool>`e.person_id = any(${[...personIds]}::uuid[] || array(select m.id from person m where m.merged_into_id = any(${[...personIds]}::uuid[])))`,
    )
    .where('e.occurred_at', '<=', asOf)
    .execute();
}

export function eventsBySubject(db: Conn, subjectType: string, subjectId: string) {
  const events = db.selectFrom('chronology_event').select(['id', 'person_id', 'type', 'occurred_at']);
  return rowsWhere(events, { subject_type: subjectType, subject_id: subjectId });
}

/** How many events are recorded on this person's own record (not records merged into it). */
export async function eventCount(db: Conn, personId: string): Promise<number> {
  return countWhere(db.selectFrom('chronology_event'), { person_id: personId });
}
