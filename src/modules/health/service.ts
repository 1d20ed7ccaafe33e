import { DateTime } from 'luxon';
import { type Trx, transaction } from '../../db/database.ts';
import { isValidNhsNumber, normaliseNhsNumber } from '../../domain/identifiers.ts';
import { TIME_ZONE } from '../../domain/time-zone.ts';
import { assertAllowed, assertAllowedInPersonArea, decide, type Resource } from '../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { auditOnSubject, personRecordSubject } from '../../platform/audit-subject.ts';
import type { Deps } from '../../platform/deps.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { referenceFor } from '../actions/index.ts';
import type { ChronologyService } from '../chronology/service.ts';
import type { DirectoryService } from '../directory/service.ts';
import type { FlagsService, FlagView } from '../flags/service.ts';
import type { PeopleService } from '../people/service.ts';
import type { HealthOutbox } from './outbox.ts';
import * as repo from './repository.ts';

/**
 * The honest answers of the unscheduled-care lookup: never "no results" for someone known. A
 * lookup by name and date of birth that finds more than one person answers `several-known`:
 * that the partnership holds several people so described and whether any of them has a flag,
 * never which of them or what.
 */
export type LookupAnswer = 'flags' | 'known-no-flags' | 'not-known' | 'several-known';

/** A lookup by name and date of birth, when the NHS number is not to hand. */
export interface NameAndBirth {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
}

export interface LookupResult {
  answer: LookupAnswer;
  searchedBy: 'nhs-number' | 'name-and-date-of-birth';
  /** The NHS number looked up (null for a lookup by name and date of birth). */
  nhsNumber: string | null;
  /** The record found, only as far as the caller may know it: its id and kind, never its content. */
  person: { id: string; kind: string; areaId: string } | null;
  flags: FlagView[];
  /** Only for `several-known`: whether any of the people found has a current flag. */
  anyFlagged: boolean;
  /** Only for `several-known`: the MASH (children's social care) of the areas they are held in. */
  mashAgencies: string[];
  /** Whether the caller may already open the record (a relationship or the MASH of the area). */
  mayViewRecord: boolean;
  /** Whether the caller may ask for break-glass access to more than the flag. */
  mayBreakGlass: boolean;
}

/** Checks a lookup by name and date of birth; throws a 400 naming every missing or bad field. */
export function checkedNameAndBirth(input: Partial<NameAndBirth>, today: string): NameAndBirth {
  const errors: { field: string; message: string }[] = [];
  const givenName = input.givenName?.trim() ?? '';
  const familyName = input.familyName?.trim() ?? '';
  const dateOfBirth = input.dateOfBirth?.trim() ?? '';
  if (!givenName || givenName.length > 100)
    errors.push({ field: 'givenName', message: 'Enter the patient’s first name' });
  if (!familyName || familyName.length > 100)
    errors.push({ field: 'familyName', message: 'Enter the patient’s last name' });
  const date = /^\d{4}-\d{2}-\d{2}$/.test(dateOfBirth) ? new Date(`${dateOfBirth}T00:00:00Z`) : null;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== dateOfBirth)
    errors.push({ field: 'dateOfBirth', message: 'Enter the date of birth as a real date, like 2019-03-27' });
  else if (dateOfBirth > today)
    errors.push({ field: 'dateOfBirth', message: 'The date of birth must be today or in the past' });
  if (errors.length) throw new ValidationError(errors);
  return { givenName, familyName, dateOfBirth };
}

export interface HealthCollaborators {
  people: PeopleService;
  chronology: ChronologyService;
  directory: DirectoryService;
  flags: FlagsService;
  /** The notifications outbox, or null where none is built (the audit event is kept either way). */
  outbox: HealthOutbox | null;
}

/** Checks an NHS number; throws a 400 naming `field` when it is not a real one. */
export function checkedNhsNumber(input: string | undefined, field = 'nhsNumber'): string {
  const normalised = input ? normaliseNhsNumber(input) : null;
  if (!normalised || !isValidNhsNumber(normalised))
    throw new ValidationError([{ field, message: 'Enter a real NHS number: 10 digits, like 943 476 5919' }]);
  return normalised;
}

export function healthService(
  deps: Deps,
  { people, chronology, directory, flags, outbox }: HealthCollaborators,
) {
  const { db, config } = deps;
  const today = () => DateTime.fromJSDate(deps.now()).setZone(TIME_ZONE).toISODate()!;

  /**
   * Whom an attendance is told to: the agencies holding an allocated worker for the person, or
   * else the MASH (children's social care serving the person's area). A message to each inbox
   * through the outbox, in the caller's transaction (a reference and a link; the hospital and
   * time only in `sensitiveDetail`), and the recipients in the audit event.
   */
  async function notifyAttendance(
    trx: Trx,
    context: AuditContext,
    person: { id: string; areaId: string },
    eventId: string,
    resource: Resource,
  ): Promise<string[]> {
    const allocated = (resource.relationships ?? [])
      .filter((r) => r.basis === 'allocated-worker')
      .map((r) => r.agencyId);
    const recipients = allocated.length
      ? [...new Set(allocated)]
      : await directory.agencyIdsServingArea(person.areaId, 'childrens_social_care', trx);
    await auditOnSubject(
      trx,
      context,
      'health.ed-attendance.notify',
      personRecordSubject('chronology_event', eventId, person.id, person.areaId),
      {
        details: { messageType: 'health.ed-attendance', to: recipients, link: `/people/${person.id}` },
      },
    );
    for (const agencyId of recipients)
      await outbox?.enqueue(trx, context, {
        type: 'health.ed-attendance',
        to: { agencyId },
        reference: referenceFor('ED', eventId),
        subject: 'An emergency department attendance to review',
        link: `/people/${person.id}`,
        sensitiveDetail: `Looked up at ${context.principal.agencyName ?? 'a hospital'} by ${context.principal.name} on ${deps.now().toISOString()}.`,
      });
    return recipients;
  }

  /**
   * The emergency department's (or any health user's) lookup, by NHS number or by name and date of
   * birth. Audited with what was searched for whatever the answer. When the caller is an acute
   * trust and one person is known, the attendance is written to their chronology (shared with each
   * flag's owner) and the allocated worker or the MASH is told — CP-IS does this for
   * child-protection plans; Harbour for every flag.
   */
  async function lookup(
    context: AuditContext,
    key: string | Partial<NameAndBirth>,
    options: { channel: 'ed-view' | 'api' | 'fhir'; recordAttendance?: boolean } = { channel: 'api' },
  ): Promise<LookupResult> {
    assertAllowed(context.principal, 'flag:lookup', {}, { type: 'nhs-number' });
    const byNhs = typeof key === 'string';
    const nhsNumber = byNhs ? checkedNhsNumber(key) : null;
    const named = byNhs ? null : checkedNameAndBirth(key, today());
    const searched = nhsNumber ? { nhsNumber } : { ...named! };
    const searchedBy = nhsNumber ? ('nhs-number' as const) : ('name-and-date-of-birth' as const);
    const found = nhsNumber
      ? await people.liveIdsByNhsNumber(nhsNumber)
      : await people.liveIdsByNameAndBirth(named!);
    const nobody = {
      searchedBy,
      nhsNumber,
      person: null,
      flags: [],
      anyFlagged: false,
      mashAgencies: [],
      mayViewRecord: false,
      mayBreakGlass: false,
    };
    return transaction(db, async (trx) => {
      if (found.length === 0) {
        await recordAudit(trx, context, {
          action: 'health.lookup',
          details: { ...searched, answer: 'not-known', channel: options.channel },
        });
        return { ...nobody, answer: 'not-known' as const };
      }
      const personIds = found.map((p) => p.id);
      const current = await flags.currentFlagsOf(personIds, trx);
      if (!nhsNumber && found.length > 1) {
        // Several people share this name and date of birth: which of them is the patient cannot be
        // told, so nothing about any one of them is shown and no attendance is recorded; whether
        // any has a flag is, so that the answer is never falsely reassuring.
        const areas = [...new Set(found.map((p) => p.area_id))];
        const mash = (
          await Promise.all(
            areas.map((areaId) => directory.agencyIdsServingArea(areaId, 'childrens_social_care', trx)),
          )
        ).flat();
        const mashAgencies = (await directory.agenciesByIds([...new Set(mash)], trx)).map((a) => a.name);
        await recordAudit(trx, context, {
          action: 'health.lookup',
          personIds,
          details: {
            ...searched,
            answer: 'several-known',
            matches: found.length,
            flagIds: current.map((f) => f.id),
            channel: options.channel,
          },
        });
        return {
          ...nobody,
          answer: 'several-known' as const,
          anyFlagged: current.length > 0,
          mashAgencies: mashAgencies.sort(),
        };
      }
      // Two live records with one NHS number are a matching problem: the lookup shows the flags of
      // both, so a duplicate cannot hide a flag.
      const first = found[0]!;
      const { resource } = await people.accessFacts(first.id, trx);
      const answer: LookupAnswer = current.length ? 'flags' : 'known-no-flags';
      await recordAudit(trx, context, {
        action: 'health.lookup',
        subjectType: 'person',
        subjectId: first.id,
        personIds,
        areaId: first.area_id,
        details: { ...searched, answer, flagIds: current.map((f) => f.id), channel: options.channel },
      });
      const attendance = options.recordAttendance ?? context.principal.agencyKind === 'acute_trust';
      if (attendance && context.principal.agencyId) {
        const [eventId] = await chronology.record(trx, context, [
          {
            personId: first.id,
            areaId: first.area_id,
            type: 'ed-attendance',
            occurredAt: deps.now(),
            significance: current.length ? 'high' : 'medium',
            summary: `Attended the emergency department at ${context.principal.agencyName ?? 'a hospital'}; looked up by ${context.principal.name}.`,
            sharedWithAgencyIds: [...new Set(current.map((f) => f.owningAgency.id))],
          },
        ]);
        await repo.insertReceipts(trx, [
          {
            agency_id: context.principal.agencyId,
            sender_reference: `lookup:${eventId}`,
            area_id: first.area_id,
            person_id: first.id,
            event_id: eventId!,
            received_at: deps.now(),
          },
        ]);
        await notifyAttendance(trx, context, { id: first.id, areaId: first.area_id }, eventId!, resource);
      }
      return {
        ...nobody,
        answer,
        person: { id: first.id, kind: first.kind, areaId: first.area_id },
        flags: current,
        mayViewRecord: decide(context.principal, 'person:view', resource).allowed,
        mayBreakGlass: decide(context.principal, 'health:break-glass', {
          areaId: first.area_id,
          relationships: [],
        }).allowed,
      };
    });
  }

  /** Records that exist about an adult (F22): what, when and who holds it, never its content. */
  const HELD_TYPES = {
    'risk-assessment': 'DASH risk assessment',
    'marac-referral': 'MARAC referral',
    'marac-discussion': 'MARAC discussion',
    'safety-plan': 'Safety plan',
  } as const;

  return {
    lookup,
    notifyAttendance,

    /**
     * The person page's panel for an agency working with an adult (substance misuse, adult mental
     * health): that a DASH assessment, MARAC discussion or safety plan exists, its date and who
     * holds it, for any agency that may see the record; the content stays with the holder.
     */
    async heldPlansFor(
      context: AuditContext,
      known: { person: { id: string; kind: string }; resource: Resource },
    ) {
      if (known.person.kind !== 'adult') return null;
      if (!decide(context.principal, 'person:view', known.resource).allowed) return null;
      const events = (await chronology.eventsForRisk([known.person.id], deps.now())).filter((e) =>
        Object.hasOwn(HELD_TYPES, e.type),
      );
      if (events.length === 0) return null;
      const agencies = new Map(
        (
          await directory.agenciesByIds([
            ...new Set(events.flatMap((e) => (e.sourceAgencyId ? [e.sourceAgencyId] : []))),
          ])
        ).map((a) => [a.id, a.name]),
      );
      return {
        personId: known.person.id,
        items: events
          .sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime())
          .map((e) => ({
            eventId: e.id,
            what: HELD_TYPES[e.type as keyof typeof HELD_TYPES],
            on: e.occurredAt,
            holder: e.sourceAgencyId
              ? (agencies.get(e.sourceAgencyId) ?? 'Unknown agency')
              : 'Unknown agency',
            mayAsk: e.sourceAgencyId !== null && e.sourceAgencyId !== context.principal.agencyId,
          })),
      };
    },

    /** Asks the holder of an assessment or plan for it: a message to the holder's inbox, audited. */
    async askHolder(context: AuditContext, personId: string, eventId: string) {
      const { person, resource } = await people.accessFacts(personId);
      assertAllowed(context.principal, 'person:view', resource, {
        type: 'person',
        id: personId,
        personIds: [personId],
        areaId: person.area_id,
      });
      const event = (await chronology.eventsForRisk([personId], deps.now())).find((e) => e.id === eventId);
      if (!event || !Object.hasOwn(HELD_TYPES, event.type) || !event.sourceAgencyId)
        throw new NotFoundError('The assessment or plan');
      const holder = event.sourceAgencyId;
      await transaction(db, async (trx) => {
        await auditOnSubject(
          trx,
          context,
          'health.ask-holder',
          personRecordSubject('chronology_event', eventId, personId, person.area_id),
          {
            details: { messageType: 'health.ask-holder', to: [holder], link: `/people/${personId}` },
          },
        );
        await outbox?.enqueue(trx, context, {
          type: 'health.ask-holder',
          to: { agencyId: holder },
          reference: referenceFor('HELD', eventId),
          subject: `${context.principal.agencyName ?? 'An agency'} asks for a ${HELD_TYPES[event.type as keyof typeof HELD_TYPES]} you hold`,
          link: `/people/${personId}`,
          sensitiveDetail: `Asked by ${context.principal.name} (${context.principal.agencyName ?? 'unknown agency'}).`,
        });
      });
      const [agency] = await directory.agenciesByIds([holder]);
      return { holder: agency?.name ?? 'the holder' };
    },

    /**
     * A clinician who needs more than the flag records why; they see the record and chronology for
     * health.breakGlassHours, and the MASH health lead reviews every use.
     */
    async breakGlass(context: AuditContext, personId: string, reason: string) {
      const trimmed = reason?.trim() ?? '';
      if (!trimmed || trimmed.length > 1000)
        throw new ValidationError([
          { field: 'reason', message: 'Enter why you need more than the flag (up to 1,000 characters)' },
        ]);
      const { person } = await people.accessFacts(personId);
      const principal = context.principal;
      assertAllowedInPersonArea(principal, 'health:break-glass', person);
      const now = deps.now();
      const expiresAt = new Date(now.getTime() + config.partnership.health.breakGlassHours * 3_600_000);
      return transaction(db, async (trx) => {
        const id = await repo.insertBreakGlass(trx, {
          area_id: person.area_id,
          person_id: personId,
          agency_id: principal.agencyId!,
          user_id: principal.userId,
          user_name: principal.name,
          reason: trimmed,
          granted_at: now,
          expires_at: expiresAt,
        });
        await people.grantRelationships(trx, [
          {
            personId,
            areaId: person.area_id,
            agencyId: principal.agencyId!,
            basis: 'break-glass',
            episodeType: 'break-glass',
            episodeId: id,
            grantedByAgencyId: principal.agencyId,
            grantedByName: principal.name,
            grantedAt: now,
            expiresAt,
          },
        ]);
        await auditOnSubject(
          trx,
          context,
          'health.break-glass',
          personRecordSubject('person', personId, personId, person.area_id),
          {
            reason: trimmed,
            details: { breakGlassId: id, expiresAt: expiresAt.toISOString() },
          },
        );
        return { id, expiresAt };
      });
    },

    /**
     * The MASH health practitioner's task counts (no person named, so not audited): break-glass
     * uses to review and health events (ED attendances, missed appointments) received this week.
     */
    async mashHealthTasks(principal: { areaIds: string[] }) {
      const since = new Date(deps.now().getTime() - 7 * 86_400_000);
      const [reviews, received] = await Promise.all([
        repo.unreviewedBreakGlass(db, principal.areaIds),
        repo.recentReceipts(db, principal.areaIds, since),
      ]);
      return { reviews: reviews.length, received: received.length };
    },

    /** Break-glass uses awaiting the MASH health lead's review, in their areas. */
    async breakGlassToReview(context: AuditContext) {
      assertAllowed(context.principal, 'health:review-break-glass');
      const rows = await repo.unreviewedBreakGlass(db, context.principal.areaIds);
      const names = new Map((await people.personNames(rows.map((r) => r.person_id))).map((p) => [p.id, p]));
      const agencies = new Map(
        (await directory.agenciesByIds([...new Set(rows.map((r) => r.agency_id))])).map((a) => [
          a.id,
          a.name,
        ]),
      );
      if (rows.length)
        await recordAudit(db, context, {
          action: 'health.break-glass-list',
          personIds: rows.map((r) => r.person_id),
        });
      return rows.map((r) => ({
        ...r,
        person: names.get(r.person_id) ?? null,
        agencyName: agencies.get(r.agency_id) ?? '',
      }));
    },

    async reviewBreakGlass(
      context: AuditContext,
      id: string,
      input: { outcome: 'appropriate' | 'inappropriate'; note?: string },
    ) {
      const row = await repo.breakGlassById(db, id);
      if (!row) throw new NotFoundError('The break-glass request');
      assertAllowed(context.principal, 'health:review-break-glass', {
        areaId: row.area_id,
        relationships: [],
      });
      if (!['appropriate', 'inappropriate'].includes(input.outcome))
        throw new ValidationError([{ field: 'outcome', message: 'Say whether the access was appropriate' }]);
      await transaction(db, async (trx) => {
        const done = await repo.reviewBreakGlass(trx, id, {
          reviewed_at: deps.now(),
          reviewed_by_name: context.principal.name,
          review_outcome: input.outcome,
          review_note: input.note?.trim() || null,
        });
        if (!done) throw new ConflictError('This break-glass request has already been reviewed');
        await auditOnSubject(
          trx,
          context,
          'health.break-glass-review',
          personRecordSubject('break_glass_access', id, row.person_id, row.area_id),
          {
            details: { outcome: input.outcome },
          },
        );
      });
    },
  };
}

export type HealthService = ReturnType<typeof healthService>;
