import { DateTime } from 'luxon';
import { type Db, type Trx, transaction } from '../../db/database.ts';
import {
  type ChronologyEvent,
  type ChronologyEventData,
  type ChronologyEventType,
  checkEventDate,
  type EventDateProblem,
  isChronologyEventType,
  type Significance,
} from '../../domain/chronology-event.ts';
import { TIME_ZONE } from '../../domain/time-zone.ts';
import { assertAllowed, chronologyEventScope } from '../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { type FieldError, ValidationError } from '../../platform/errors.ts';
import type { AgencyKind } from '../../platform/roles.ts';
import type { DirectoryService } from '../directory/service.ts';
import type { PeopleService } from '../people/service.ts';
import * as repo from './repository.ts';
import * as retention from './retention-repository.ts';
import { subjectAccessEvents } from './subject-access-repository.ts';

/**
 * Queue the risk module works: "these people's chronologies changed, their children's cumulative
 * level may have changed". Data: { personIds: string[], eventIds: string[] }.
 */
export const RISK_REASSESS_QUEUE = 'risk.reassess';

export const SIGNIFICANCE_LEVELS: readonly Significance[] = ['low', 'medium', 'high'];
const SUMMARY_MAX = 4000;

export interface NewChronologyEvent {
  personId: string;
  areaId: string;
  type: ChronologyEventType;
  occurredAt: Date;
  significance: Significance;
  summary: string;
  data?: ChronologyEventData;
  /** The record the event came from, e.g. 'contact' and its id. */
  subjectType?: string;
  subjectId?: string;
  /** Defaults to the acting principal's agency. */
  sourceAgencyId?: string | null;
  /** Agencies outside the source's sharing group that may see this event (a school told of a custody episode). */
  sharedWithAgencyIds?: string[];
}

export interface RecordOptions {
  /** How a field is named in errors; default `events[i].field`. */
  fieldName?: (index: number, field: string, reason?: EventDateProblem['reason']) => string;
}

export interface ChronologyFilters extends repo.EventFilters {
  page?: number;
  pageSize?: number;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** A date-only birth date as the instant the day began in the UK. */
function birthInstant(dateOfBirth: string | null): Date | undefined {
  if (!dateOfBirth) return undefined;
  return DateTime.fromISO(dateOfBirth, { zone: TIME_ZONE }).toJSDate();
}

type RiskEventRow = Awaited<ReturnType<typeof repo.eventsOfPeople>>[number];

export function toDomainEvent(row: RiskEventRow, survivorOf?: ReadonlySet<string>): ChronologyEvent {
  const personId =
    row.merged_into_id && survivorOf?.has(row.merged_into_id) ? row.merged_into_id : row.person_id;
  return {
    id: row.id,
    personId,
    type: row.type as ChronologyEventType,
    occurredAt: new Date(row.occurred_at),
    sourceAgencyKind: row.source_agency_kind as AgencyKind | null,
    sourceAgencyId: row.source_agency_id,
    sharedWithAgencyIds: row.shared_with_agency_ids ?? [],
    significance: row.significance,
    summary: row.summary,
    data: (typeof row.data === 'string' ? JSON.parse(row.data) : row.data) ?? {},
  };
}

export interface ChronologyCollaborators {
  people: PeopleService;
  directory: DirectoryService;
}

export function chronologyService(deps: Deps, { people, directory }: ChronologyCollaborators) {
  const { db } = deps;

  /** Field checks that need no database: every problem at once. */
  function validateShape(events: readonly NewChronologyEvent[], name: (i: number, f: string) => string) {
    const errors: FieldError[] = [];
    events.forEach((event, i) => {
      if (!isChronologyEventType(event.type))
        errors.push({ field: name(i, 'type'), message: 'Choose a type of event from the list' });
      if (!SIGNIFICANCE_LEVELS.includes(event.significance))
        errors.push({ field: name(i, 'significance'), message: 'Choose low, medium or high significance' });
      if (!event.summary?.trim())
        errors.push({ field: name(i, 'summary'), message: 'Enter a summary of what happened' });
      else if (event.summary.length > SUMMARY_MAX)
        errors.push({
          field: name(i, 'summary'),
          message: `Summary must be ${SUMMARY_MAX} characters or fewer`,
        });
      if (!(event.occurredAt instanceof Date) || Number.isNaN(event.occurredAt.getTime()))
        errors.push({ field: name(i, 'occurredAt'), message: 'Enter a real date and time' });
    });
    return errors;
  }

  /**
   * Writes events in the caller's transaction, audits them and signals the risk module. It does
   * not check access: the caller has already been allowed the action that produced the events
   * (submitting a contact, recording an assessment). Invalid events throw ValidationError and
   * nothing is written.
   */
  async function record(
    trx: Trx,
    context: AuditContext,
    events: NewChronologyEvent[],
    options: RecordOptions = {},
  ): Promise<string[]> {
    if (events.length === 0) return [];
    const name = options.fieldName ?? ((i: number, f: string) => `events[${i}].${f}`);
    const errors = validateShape(events, name);
    const subjects = new Map(
      (await people.peopleByIds([...new Set(events.map((e) => e.personId))], trx)).map((p) => [p.id, p]),
    );
    const now = deps.now();
    events.forEach((event, i) => {
      const person = subjects.get(event.personId);
      if (!person) {
        errors.push({ field: name(i, 'personId'), message: 'No person has this id' });
        return;
      }
      if (event.occurredAt instanceof Date && !Number.isNaN(event.occurredAt.getTime())) {
        const birth = birthInstant(person.date_of_birth);
        const problem = checkEventDate(event.occurredAt, {
          now,
          ...(birth ? { dateOfBirth: birth } : {}),
          preBirth: event.data?.preBirth === true || person.kind === 'unborn',
        });
        if (problem) errors.push({ field: name(i, problem.field, problem.reason), message: problem.message });
      }
    });
    if (errors.length > 0) throw new ValidationError(errors);

    const principal = context.principal;
    const sourceIds = [
      ...new Set(events.map((e) => (e.sourceAgencyId === undefined ? principal.agencyId : e.sourceAgencyId))),
    ].filter((id): id is string => id !== null);
    const kinds = new Map((await directory.agenciesByIds(sourceIds, trx)).map((a) => [a.id, a.kind]));
    const unknownSource = events.findIndex((e) => e.sourceAgencyId && !kinds.has(e.sourceAgencyId));
    if (unknownSource >= 0)
      throw new ValidationError([
        { field: name(unknownSource, 'sourceAgencyId'), message: 'No agency has this id' },
      ]);

    const ids = await repo.insertEvents(
      trx,
      events.map((e) => {
        const source = e.sourceAgencyId === undefined ? principal.agencyId : e.sourceAgencyId;
        return {
          area_id: e.areaId,
          person_id: e.personId,
          type: e.type,
          occurred_at: e.occurredAt,
          source_agency_id: source,
          source_agency_kind: source ? (kinds.get(source) ?? null) : null,
          significance: e.significance,
          summary: e.summary.trim(),
          data: e.data ?? {},
          subject_type: e.subjectType ?? null,
          subject_id: e.subjectId ?? null,
          recorded_by_user_id: principal.userId,
          shared_with_agency_ids: e.sharedWithAgencyIds ?? [],
        };
      }),
    );
    const personIds = [...new Set(events.map((e) => e.personId))];
    await recordAudit(trx, context, {
      action: 'chronology.record',
      subjectType: 'chronology_event',
      ...(ids.length === 1 ? { subjectId: ids[0]! } : {}),
      personIds,
      areaId: events[0]!.areaId,
      details: { eventIds: ids, types: [...new Set(events.map((e) => e.type))] },
    });
    if (deps.jobs) await deps.jobs.enqueue(trx, RISK_REASSESS_QUEUE, { personIds, eventIds: ids });
    return ids;
  }

  /** The person behind a chronology and their access facts, once the principal may take `action` on it. */
  async function accessChecked(
    context: AuditContext,
    personId: string,
    action: 'chronology:view' | 'chronology:record',
  ) {
    const facts = await people.accessFacts(personId);
    assertAllowed(context.principal, action, facts.resource, {
      type: 'chronology',
      id: personId,
      personIds: [personId],
      areaId: facts.person.area_id,
    });
    return facts;
  }

  return {
    record,
    validateShape,

    /** An agency records an event directly (page or API): access-checked, one transaction. */
    async recordForPerson(
      context: AuditContext,
      personId: string,
      input: Omit<NewChronologyEvent, 'personId' | 'areaId'>,
    ): Promise<string> {
      const { person } = await accessChecked(context, personId, 'chronology:record');
      // Provenance is the caller's: an event is recorded by the agency recording it (finding 3).
      if (input.sourceAgencyId !== undefined && input.sourceAgencyId !== context.principal.agencyId)
        throw new ValidationError([
          {
            field: 'sourceAgencyId',
            message:
              'An event is recorded as your own agency’s; leave the source agency out or give your own',
          },
        ]);
      const [id] = await transaction(db, (trx) =>
        record(trx, context, [{ ...input, personId, areaId: person.area_id }], { fieldName: (_, f) => f }),
      );
      return id!;
    },

    /** The person behind a chronology, after the access check (for page headings). */
    async personFor(
      context: AuditContext,
      personId: string,
      action: 'chronology:view' | 'chronology:record',
    ) {
      return (await accessChecked(context, personId, action)).person;
    },

    /** A person's chronology as the principal may see it, newest first; the read is audited. */
    async forPerson(context: AuditContext, personId: string, filters: ChronologyFilters = {}) {
      const { person, resource } = await accessChecked(context, personId, 'chronology:view');
      const scope = chronologyEventScope(context.principal, resource);
      const pageSize = Math.min(Math.max(1, filters.pageSize ?? DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
      const page = Math.max(1, filters.page ?? 1);
      const [result, agencies] = await Promise.all([
        repo.eventsForPerson(db, personId, scope, filters, {
          limit: pageSize,
          offset: (page - 1) * pageSize,
        }),
        repo.sourceAgencies(db, personId, scope),
      ]);
      await recordAudit(db, context, {
        action: 'chronology.view',
        subjectType: 'person',
        subjectId: personId,
        personIds: [personId],
        areaId: person.area_id,
        details: {
          scope: scope.kind,
          events: result.rows.length,
          filters: { ...filters, page: undefined, pageSize: undefined },
        },
      });
      return {
        person,
        events: result.rows.map((row) => ({
          ...row,
          data: (typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as ChronologyEventData,
        })),
        total: result.total,
        page,
        pageSize,
        /** Whether some of the person's events are hidden from this principal by the sharing rules. */
        partial: scope.kind !== 'all',
        agencies,
      };
    },

    /**
     * Every event of these people up to `asOf`, in the risk engine's shape. Not access-checked:
     * for the risk module, whose callers hold risk:view.
     */
    async eventsForRisk(
      personIds: readonly string[],
      asOf: Date,
      conn: Db | Trx = db,
    ): Promise<ChronologyEvent[]> {
      const survivors = new Set(personIds);
      const rows = await repo.eventsOfPeople(conn, personIds, asOf);
      return rows.map((row) => toDomainEvent(row, survivors));
    },

    /** Retention (decision 0012): the long-retention check, and removal in the caller's transaction. */
    retention: {
      peopleWithEventTypes: (personIds: readonly string[], types: readonly string[]) =>
        retention.peopleWithEventTypes(db, personIds, types),
      eventIdsOf: (trx: Trx, of: { personIds: readonly string[]; contactIds: readonly string[] }) =>
        retention.eventIdsOf(trx, of),
      removeEvents: (trx: Trx, eventIds: readonly string[]) => retention.removeEvents(trx, eventIds),
    },

    /** Every event on these records, for a subject access export. Not access-checked. */
    subjectAccessEvents(personIds: readonly string[]) {
      return subjectAccessEvents(db, personIds);
    },

    /** How many events the person's own record holds, for the person page. Not access-checked. */
    eventCount(personId: string) {
      return repo.eventCount(db, personId);
    },

    /** Events written from one record (e.g. every person's entry for one contact). */
    eventsFor(subjectType: string, subjectId: string) {
      return repo.eventsBySubject(db, subjectType, subjectId);
    },
  };
}

export type ChronologyService = ReturnType<typeof chronologyService>;
