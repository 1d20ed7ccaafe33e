import type { Trx } from '../../db/database.ts';
import type { ChronologyEventData, EventRole, Significance } from '../../domain/chronology-event.ts';
import { addTimescale, deadlinesFor, type Rag } from '../../domain/clock.ts';
import { normalisePostcode, postcodeDistrict } from '../../domain/identifiers.ts';
import { assertAllowed, type RelationshipBasis } from '../../platform/access.ts';
import { type AuditContext, batchingAudits, flushAudits, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { ValidationError } from '../../platform/errors.ts';
import type { NewChronologyEvent } from '../chronology/service.ts';
import type { NewPerson } from '../people/service.ts';
import type { Integrations } from './integrations.ts';
import { DEADLINE_QUEUE, type DeadlineJob } from './job-names.ts';
import * as repo from './repository.ts';
import { feedbackDueAt, frontDoorConfig, type RouteDecision } from './settings.ts';
import type { IntakeResult, MatchedPerson, PersonRole } from './types.ts';

/** One person named in a submission, ready for identity resolution. */
export interface IntakePerson {
  role: PersonRole;
  person: NewPerson;
  /** Already known (an early-help child stepped up): no identity resolution needed. */
  existingPersonId?: string;
  /** Kept on the contact: the child's section of a DAN, an adult's relationship. */
  details: Record<string, unknown>;
  /** Postcode that routes this person when it differs from the contact's. */
  postcode?: string;
  /** The name the caller sent this person under (`children[0]`), for errors found after validation. */
  field?: string;
  /**
   * Agencies the submission names as having a standing relationship with this person (a child's
   * school, GP). Recorded with this contact as their provenance, granted by the submitter, and
   * never to the submitter itself: submitting never grants access (docs/access.md).
   */
  relationships?: { agencyId: string; basis: RelationshipBasis }[];
  chronology: {
    role: EventRole;
    summary: string;
    significance: Significance;
    data?: ChronologyEventData;
  } | null;
}

export interface Submission {
  kind: 'contact' | 'dan';
  action: 'dan:submit' | 'contact:create';
  sourceCode: string;
  referrer: Record<string, unknown>;
  /** Routes the contact to an area; `postcodeField` names it in errors. */
  postcode: string;
  postcodeField: string;
  /** The field `occurredAt` came from (`incident.occurredAt`); unset when it is the time received. */
  occurredAtField?: string;
  concerns: string[];
  details: Record<string, unknown>;
  incidentRef: string | null;
  incidentDate: string | null;
  occurredAt: Date;
  riskGrade: 'standard' | 'medium' | 'high' | null;
  dashStatus: string | null;
  route: RouteDecision;
  rag: Rag | null;
  people: IntakePerson[];
  chronologyType: 'dan' | 'contact';
  summary: string;
}

const DUPLICATE_TYPE = { dan: 'duplicate-dan', contact: 'contact' } as const;

/** The person as the submitter described them, kept on the contact (the source is the contact's). */
function suppliedFacts(person: NewPerson) {
  return {
    givenName: person.givenName,
    familyName: person.familyName,
    ...(person.dateOfBirth ? { dateOfBirth: person.dateOfBirth } : {}),
    ...(person.expectedDate ? { expectedDate: person.expectedDate } : {}),
    ...(person.addresses?.length ? { addresses: person.addresses } : {}),
    ...(person.contactDetails?.length ? { contactDetails: person.contactDetails } : {}),
    ...(person.identifiers?.length ? { identifiers: person.identifiers } : {}),
  };
}

/**
 * A person's field as the caller sent it. Identity resolution and the chronology check their own
 * shapes (`addresses[0].postcode`, `events[2].occurredAt`); a refusal from either must name the
 * submission's field (`children[0].address.postcode`, `children[0].dateOfBirth`) instead.
 */
function submittedField(entry: IntakePerson, field: string): string {
  const prefix = entry.field ? `${entry.field}.` : '';
  const address = /^addresses\[\d+\]\.(.+)$/.exec(field);
  if (address) return `${prefix}address.${address[1]}`;
  const identifier = /^identifiers\[(\d+)\]/.exec(field);
  if (identifier) {
    const scheme = entry.person.identifiers?.[Number(identifier[1])]?.scheme;
    return `${prefix}${scheme === 'nhs' ? 'nhsNumber' : scheme === 'upn' ? 'upn' : 'identifiers'}`;
  }
  const detail = /^contactDetails\[(\d+)\]/.exec(field);
  if (detail) return `${prefix}${entry.person.contactDetails?.[Number(detail[1])]?.kind ?? 'phone'}`;
  return `${prefix}${field}`;
}

/**
 * Accepts a contact or DAN in the caller's transaction: routes it to an area, resolves every
 * person, links duplicates, starts the clock, writes each person's chronology entry, enqueues the
 * deadline jobs and audits. Any failure throws and the caller's transaction writes nothing.
 */
export async function intake(
  deps: Deps,
  integrations: Integrations,
  trx: Trx,
  callerContext: AuditContext,
  submission: Submission,
): Promise<IntakeResult> {
  // Every person resolved or created, the chronology entries and the submission itself are audited
  // in this transaction; the rows are written together at the end, in one insert.
  const context = batchingAudits(callerContext, trx);
  const config = frontDoorConfig(deps);
  const { directory } = integrations;
  const principal = context.principal;
  const district = postcodeDistrict(normalisePostcode(submission.postcode) ?? '');
  const areas = new Map<string, string | null>();
  const areaOf = async (d: string | null) => {
    if (!d) return null;
    if (!areas.has(d)) areas.set(d, (await directory.areaForPostcodeDistrict(d, trx))?.id ?? null);
    return areas.get(d)!;
  };
  const areaId = await areaOf(district);
  if (!areaId) {
    throw new ValidationError([
      {
        field: submission.postcodeField,
        message: 'This postcode is outside every area this partnership serves',
      },
    ]);
  }
  assertAllowed(principal, submission.action, { areaId }, { type: 'contact', areaId });

  const receivedAt = deps.now();
  // Everyone to resolve, in the order named, resolved together (batched reads, one insert per table).
  const toResolve: { position: number; input: NewPerson }[] = [];
  for (const [position, entry] of submission.people.entries()) {
    if (entry.existingPersonId) continue;
    const personArea = entry.postcode
      ? await areaOf(postcodeDistrict(normalisePostcode(entry.postcode) ?? ''))
      : null;
    toResolve.push({ position, input: { ...entry.person, areaId: personArea ?? areaId } });
  }
  const resolutions = await integrations.resolvePeople(
    trx,
    context,
    toResolve.map((r) => r.input),
    (k, field) => submittedField(submission.people[toResolve[k]!.position]!, field),
  );
  const resolvedAt = new Map(toResolve.map((r, k) => [r.position, resolutions[k]!]));
  const matched: (MatchedPerson & { score?: number })[] = submission.people.map((entry, position) => {
    if (entry.existingPersonId)
      return { role: entry.role, position, personId: entry.existingPersonId, outcome: 'linked' };
    const resolution = resolvedAt.get(position)!;
    return {
      role: entry.role,
      position,
      personId: resolution.personId,
      outcome: resolution.outcome,
      ...(resolution.score !== undefined ? { score: resolution.score } : {}),
    };
  });
  const childIds = matched.filter((m) => m.role === 'child').map((m) => m.personId);

  const original = await repo.findOriginal(trx, {
    incidentRef: submission.incidentRef,
    sourceAgencyId: principal.agencyId,
    incidentDate: submission.incidentDate,
    childIds,
  });
  // A repeated DAN is a duplicate; a referral about an incident still being worked joins it (F8).
  let linkKind: IntakeResult['linkKind'] = null;
  if (original && submission.kind === 'dan') linkKind = 'duplicate';
  else if (original && ['screening', 'gathering', 'awaiting-sign-off'].includes(original.status))
    linkKind = 'joined';
  const linkedTo = linkKind ? original! : null;

  const deadlines = deadlinesFor(
    { receivedAt, ...(submission.rag ? { rag: submission.rag } : {}) },
    config.timescales,
    config.calendar,
  );
  const screeningDueAt = addTimescale(receivedAt, config.timescales.screening, config.calendar);
  const contact = await trx
    .insertInto('contact')
    .values({
      area_id: areaId,
      kind: submission.kind,
      status: linkKind === 'duplicate' ? 'duplicate' : linkKind === 'joined' ? 'joined' : 'screening',
      route: submission.route.route,
      route_reason: submission.route.reason,
      source_code: submission.sourceCode,
      source_agency_id: principal.agencyId,
      submitted_by_user_id: principal.channel === 'api' ? null : principal.userId,
      submitted_by_name: principal.name,
      channel: principal.channel,
      referrer: JSON.stringify(submission.referrer),
      received_at: receivedAt,
      concerns: submission.concerns,
      details: JSON.stringify(submission.details),
      incident_ref: submission.incidentRef,
      incident_date: submission.incidentDate,
      risk_grade: submission.riskGrade,
      dash_status: submission.dashStatus,
      rag: submission.rag,
      rag_source: submission.rag ? 'routing-rule' : null,
      screened_at: null,
      screened_by_name: null,
      screening_due_at: screeningDueAt,
      enquiries_due_at: deadlines.enquiriesDueAt ?? null,
      decision_due_at: deadlines.decisionDueAt,
      feedback_due_at: feedbackDueAt(config, receivedAt),
      screening_breached_at: null,
      decision_breached_at: null,
      assigned_user_id: null,
      assigned_name: null,
      duplicate_of_id: linkedTo?.id ?? null,
      level_of_need: null,
      outcome: null,
      decided_at: null,
      feedback: null,
      feedback_sent_at: null,
      rescreen_requested_at: null,
      rescreen_reason: null,
      closed_at: null,
    })
    .returning(['id', 'reference'])
    .executeTakeFirstOrThrow();

  // Chronology: one entry per person, in this transaction (F9: every DAN reaches every chronology).
  const victimIds = matched.filter((m) => m.role === 'victim').map((m) => m.personId);
  const perpetratorIds = matched.filter((m) => m.role === 'suspect').map((m) => m.personId);
  const originalEvents =
    linkKind === 'duplicate' && linkedTo
      ? new Map(
          (
            await trx
              .selectFrom('contact_person')
              .select(['person_id', 'chronology_event_id'])
              .where('contact_id', '=', linkedTo.id)
              .execute()
          ).map((r) => [r.person_id, r.chronology_event_id]),
        )
      : new Map<string, string | null>();
  const events: NewChronologyEvent[] = [];
  const eventOwners: number[] = [];
  submission.people.forEach((entry, i) => {
    if (!entry.chronology) return;
    const m = matched[i]!;
    const duplicateOf = originalEvents.get(m.personId);
    const type =
      linkKind === 'duplicate' ? DUPLICATE_TYPE[submission.chronologyType] : submission.chronologyType;
    events.push({
      personId: m.personId,
      areaId,
      type,
      occurredAt: submission.occurredAt,
      significance: linkKind === 'duplicate' ? 'low' : entry.chronology.significance,
      summary:
        linkKind === 'duplicate'
          ? `Duplicate of ${linkedTo!.reference}. ${entry.chronology.summary}`
          : linkKind === 'joined'
            ? `Joined ${linkedTo!.reference}. ${entry.chronology.summary}`
            : entry.chronology.summary,
      data: {
        ...entry.chronology.data,
        role: entry.chronology.role,
        ...(submission.incidentRef ? { incidentRef: submission.incidentRef } : {}),
        ...(submission.riskGrade ? { riskGrade: submission.riskGrade } : {}),
        ...(submission.kind === 'dan' ? { victimIds, perpetratorIds } : {}),
        relatedPersonIds: matched.filter((o) => o.personId !== m.personId).map((o) => o.personId),
        ...(duplicateOf ? { duplicateOfEventId: duplicateOf } : {}),
      },
      subjectType: 'contact',
      subjectId: contact.id,
    });
    eventOwners.push(i);
  });
  const eventIds = await integrations.recordChronology(trx, context, events, {
    fieldName: (k, field, reason) => {
      const entry = submission.people[eventOwners[k]!]!;
      if (field === 'occurredAt' && reason === 'before-birth') return submittedField(entry, 'dateOfBirth');
      if (field === 'occurredAt') return submission.occurredAtField ?? 'occurredAt';
      return submittedField(entry, field);
    },
  });
  const eventOf = new Map(eventOwners.map((owner, k) => [owner, eventIds[k] ?? null]));

  await trx
    .insertInto('contact_person')
    .values(
      matched.map((m, i) => ({
        contact_id: contact.id,
        area_id: areaId,
        position: m.position,
        person_id: m.personId,
        role: m.role,
        match_outcome: m.outcome,
        match_score: m.score ?? null,
        details: JSON.stringify(submission.people[i]!.details),
        supplied: JSON.stringify(suppliedFacts(submission.people[i]!.person)),
        chronology_event_id: eventOf.get(i) ?? null,
      })),
    )
    .execute();

  await integrations.grantRelationships(
    trx,
    submission.people.flatMap((entry, i) =>
      (entry.relationships ?? [])
        .filter((r) => r.agencyId !== principal.agencyId)
        .map((r) => ({
          personId: matched[i]!.personId,
          areaId: areaId,
          agencyId: r.agencyId,
          basis: r.basis,
          contactId: contact.id,
          grantedByAgencyId: principal.agencyId,
          grantedByName: principal.name,
          grantedAt: receivedAt,
        })),
    ),
  );

  const history = [
    {
      area_id: areaId,
      contact_id: contact.id,
      at: receivedAt,
      actor_name: principal.name,
      kind: 'received',
      summary: linkKind
        ? `${submission.summary} Linked to ${linkedTo!.reference} as ${linkKind === 'joined' ? 'a joined referral' : 'a duplicate'}.`
        : `${submission.summary} Routed to ${submission.route.route === 'mash' ? 'the MASH' : 'early help triage'}: ${submission.route.reason}.`,
    },
  ];
  if (linkedTo) {
    await trx
      .updateTable('contact')
      .set((eb) => ({ duplicate_count: eb('duplicate_count', '+', 1), updated_at: receivedAt }))
      .where('id', '=', linkedTo.id)
      .execute();
    history.push({
      area_id: linkedTo.area_id,
      contact_id: linkedTo.id,
      at: receivedAt,
      actor_name: principal.name,
      kind: linkKind === 'joined' ? 'joined' : 'duplicate',
      summary:
        linkKind === 'joined'
          ? `${contact.reference} (a referral about the same incident) joined this contact.`
          : `Duplicate received: ${contact.reference}. It is linked here and not queued again.`,
    });
  } else if (deps.jobs) {
    const jobs: [Date, DeadlineJob][] = [
      [screeningDueAt, { contactId: contact.id, kind: 'screening' }],
      [deadlines.decisionDueAt, { contactId: contact.id, kind: 'decision' }],
    ];
    for (const [due, data] of jobs)
      await deps.jobs.enqueue(trx, DEADLINE_QUEUE, data, {
        startAfter: new Date(due.getTime() + 1000),
        singletonKey: `${data.kind}:${data.contactId}:${due.getTime()}`,
      });
  }
  await repo.addHistory(trx, history);

  if (!linkedTo && submission.kind === 'dan' && submission.dashStatus === 'awaited' && victimIds[0]) {
    await integrations.expectAssessment(trx, context, {
      contactId: contact.id,
      areaId,
      personIds: [...victimIds, ...childIds],
      awaitedSince: receivedAt,
    });
  }

  await recordAudit(trx, context, {
    action: submission.kind === 'dan' ? 'dan.submit' : 'contact.create',
    subjectType: 'contact',
    subjectId: contact.id,
    personIds: matched.map((m) => m.personId),
    areaId,
    details: {
      reference: contact.reference,
      route: submission.route.route,
      rag: submission.rag,
      ...(linkKind ? { linkKind, linkedTo: linkedTo!.id } : {}),
      outcomes: matched.map((m) => m.outcome),
    },
  });
  await flushAudits(context);

  return {
    contactId: contact.id,
    reference: contact.reference,
    areaId,
    status: linkKind === 'duplicate' ? 'duplicate' : linkKind === 'joined' ? 'joined' : 'screening',
    route: submission.route.route,
    people: matched.map(({ role, position, personId, outcome }) => ({ role, position, personId, outcome })),
    rag: submission.rag,
    receivedAt: receivedAt.toISOString(),
    screeningDueAt: screeningDueAt.toISOString(),
    decisionDueAt: deadlines.decisionDueAt.toISOString(),
    duplicateOf: linkedTo?.id ?? null,
    linkKind,
  };
}
