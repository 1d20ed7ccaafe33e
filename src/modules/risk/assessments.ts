import { DateTime } from 'luxon';
import { insertRows } from '../../db/common-queries.ts';
import type { Trx } from '../../db/database.ts';
import { type AdultRiskIndicator, checkEventDate, type Significance } from '../../domain/chronology-event.ts';
import { DEFAULT_FRONT_DOOR_TIMESCALES, dashAwaitedClock, type Timescale } from '../../domain/clock.ts';
import {
  type AssessmentAnswers,
  applyProfessionalJudgement,
  getInstrument,
  type Instrument,
  isRiskLevel,
  listInstruments,
  type RiskLevel,
  scoreAssessment,
} from '../../domain/instruments/index.ts';
import { TIME_ZONE } from '../../domain/time-zone.ts';
import {
  assertAllowed,
  decide,
  decideReference,
  ForbiddenError,
  type Resource,
} from '../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { type FieldError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { SYSTEM_PRINCIPAL } from '../../platform/principal.ts';
import { type Outbox, referenceFor } from '../actions/index.ts';
import type { ChronologyService } from '../chronology/service.ts';
import type { DirectoryService } from '../directory/service.ts';
import type { PeopleService } from '../people/service.ts';
import type { cumulativeRisk } from './cumulative.ts';
import * as repo from './repository.ts';

/** Queues this module works or feeds. */
export const DASH_REMINDER_QUEUE = 'risk.dash-awaited.reminder';
export const DASH_ESCALATION_QUEUE = 'risk.dash-awaited.escalation';
/**
 * Consumed by the front door: an awaited (or any) assessment arrived for a contact, so re-screen it.
 * Data: { contactId, assessmentId, level, score }.
 */
export const FRONT_DOOR_RESCREEN_QUEUE = 'front-door.rescreen';

export interface NewAssessment {
  instrumentId: string;
  instrumentVersion: string;
  victimPersonId: string;
  perpetratorPersonIds?: string[];
  /** The children in the household; without it, the victim's linked children. */
  childPersonIds?: string[];
  contactId?: string;
  incidentReference?: string;
  assessedAt?: Date;
  answers: AssessmentAnswers;
  judgedLevel?: RiskLevel;
  judgementReason?: string;
}

export interface ExpectAssessment {
  contactId: string;
  /** When the DAN arrived saying the assessment would follow. */
  dueFrom: Date;
  officerUserId?: string;
  officerName?: string;
  /** The police agency whose supervisors are reminded. */
  supervisorAgencyId: string;
  personIds: string[];
  /** Defaults to the first person's area. */
  areaId?: string;
}

/** DASH answers that evidence an adult risk factor the cumulative engine reads. */
const INDICATOR_QUESTIONS: Readonly<Record<string, AdultRiskIndicator>> = {
  'breach-of-bail-or-orders': 'breach-of-bail-or-order',
  'abuser-hurt-others': 'other-victims',
};

const SIGNIFICANCE: Record<RiskLevel, Significance> = { standard: 'medium', medium: 'medium', high: 'high' };

function dashTimescales(deps: Deps): { due: Timescale; escalateAfter: Timescale } {
  const frontDoor = (
    deps.config.partnership as {
      frontDoor?: { timescales?: { dashAwaited?: { due: Timescale; escalateAfter: Timescale } } };
    }
  ).frontDoor;
  return frontDoor?.timescales?.dashAwaited ?? DEFAULT_FRONT_DOOR_TIMESCALES.dashAwaited;
}

/**
 * The policy's view of a contact an assessment refers to. The front door provides it; the
 * composition root hands it in, because the front door's service itself uses the risk service.
 */
export type ContactAccessFacts = (
  contactId: string,
  conn: Trx,
) => Promise<{
  contact: { area_id: string };
  resource: Resource & { areaId: string };
  personIds: string[];
} | null>;

export interface RiskCollaborators {
  people: PeopleService;
  chronology: ChronologyService;
  directory: DirectoryService;
  contactAccessFacts: ContactAccessFacts;
  /** The notifications outbox: each reminder and escalation also goes there (docs/notifications.md). */
  outbox?: Outbox | null;
}

export function assessmentService(
  deps: Deps,
  cumulative: ReturnType<typeof cumulativeRisk>,
  { people, chronology, directory, contactAccessFacts, outbox = null }: RiskCollaborators,
) {
  /** Validates, scores, stores and writes the chronology entries, in the caller's transaction. */
  async function recordAssessment(trx: Trx, context: AuditContext, input: NewAssessment) {
    const errors: FieldError[] = [];
    const instrument = getInstrument(input.instrumentId, input.instrumentVersion);
    if (!listInstruments().some((i) => i.id === input.instrumentId))
      errors.push({ field: 'instrumentId', message: `Unknown risk instrument "${input.instrumentId}"` });
    else if (!instrument)
      errors.push({
        field: 'instrumentVersion',
        message: `Instrument ${input.instrumentId} has no version "${input.instrumentVersion}"`,
      });

    const childIds = input.childPersonIds ?? [];
    const perpetratorIds = input.perpetratorPersonIds ?? [];
    const named = new Map(
      (await people.peopleByIds([input.victimPersonId, ...childIds, ...perpetratorIds], trx)).map((p) => [
        p.id,
        p,
      ]),
    );
    const victim = named.get(input.victimPersonId);
    if (!victim) errors.push({ field: 'victimPersonId', message: 'No person has this id' });
    childIds.forEach((id, i) => {
      if (!named.has(id)) errors.push({ field: `childPersonIds[${i}]`, message: 'No person has this id' });
    });
    perpetratorIds.forEach((id, i) => {
      if (!named.has(id))
        errors.push({ field: `perpetratorPersonIds[${i}]`, message: 'No person has this id' });
    });
    // Every record the write refers to must be one the caller may see (findings 2 and 3): the
    // contact, and each person (or a person on that contact, when the caller may see the contact).
    const subject = {
      type: 'risk-assessment',
      personIds: [input.victimPersonId, ...childIds, ...perpetratorIds],
      ...(victim ? { areaId: victim.area_id } : {}),
    };
    let onContact: Awaited<ReturnType<ContactAccessFacts>> = null;
    if (input.contactId) {
      onContact = await contactAccessFacts(input.contactId, trx);
      if (!onContact) throw new NotFoundError('The contact');
      assertAllowed(context.principal, 'contact:view', onContact.resource, {
        type: 'contact',
        id: input.contactId,
        personIds: onContact.personIds,
        areaId: onContact.contact.area_id,
      });
    }
    const resources = await people.accessResources([...named.keys()], trx);
    // A person may be named on the assessment when the caller may see their record, or they are on
    // the contact the caller may see.
    const referable = (access: typeof resources, id: string) => {
      const resource = access.get(id);
      return resource
        ? decideReference(
            context.principal,
            resource,
            onContact
              ? { contact: onContact.resource, personIsOnIt: onContact.personIds.includes(id) }
              : null,
          ).allowed
        : false;
    };
    if (victim) {
      // On the victim's record, or on a contact naming the victim that the caller may assess on.
      const onOwnContact =
        onContact?.personIds.includes(victim.id) &&
        decide(context.principal, 'risk-assessment:create', { ...onContact.resource, relationships: [] })
          .allowed;
      if (!onOwnContact)
        assertAllowed(context.principal, 'risk-assessment:create', resources.get(victim.id)!, {
          type: 'risk-assessment',
          personIds: [victim.id],
          areaId: victim.area_id,
        });
      for (const id of [victim.id, ...childIds, ...perpetratorIds].filter((id) => named.has(id)))
        if (!referable(resources, id))
          throw new ForbiddenError(
            'risk-assessment:create',
            'an assessment may name only people the agency may see, or people on a submission it may see',
            subject,
          );
    }

    const assessedAt = input.assessedAt ?? deps.now();
    if (victim) {
      const problem = checkEventDate(assessedAt, {
        now: deps.now(),
        ...(victim.date_of_birth
          ? { dateOfBirth: DateTime.fromISO(victim.date_of_birth, { zone: TIME_ZONE }).toJSDate() }
          : {}),
      });
      if (problem) errors.push({ field: 'assessedAt', message: problem.message });
    }

    let scored: ReturnType<typeof scoreAssessment> | undefined;
    let level: RiskLevel | undefined;
    if (instrument && victim) {
      const config = await cumulative.configFor(trx, victim.area_id);
      scored = scoreAssessment(instrument, input.answers ?? {}, { bands: config.bands });
      for (const problem of scored.invalidAnswers)
        errors.push({ field: `answers.${problem.questionId}`, message: problem.message });
      for (const id of scored.missingRequired) {
        const question = instrument.questions.find((q) => q.id === id)!;
        errors.push({
          field: `answers.${id}`,
          message: `Answer question ${question.number} (“${question.text}”), or say why it was not asked`,
        });
      }
      if (input.judgedLevel !== undefined && !isRiskLevel(input.judgedLevel)) {
        errors.push({ field: 'judgedLevel', message: 'Judged level must be standard, medium or high' });
      } else {
        const judged = applyProfessionalJudgement(scored.band, input.judgedLevel, input.judgementReason);
        if (judged.ok) level = judged.value.level;
        else
          for (const e of judged.errors)
            errors.push({
              field: e.field === 'reason' ? 'judgementReason' : 'judgedLevel',
              message: e.message,
            });
      }
    }
    if (errors.length > 0 || !instrument || !victim || !scored || !level) throw new ValidationError(errors);

    // The children the assessment is about: given, or the victim's linked children.
    const children = input.childPersonIds ?? (await people.linkedChildren([victim.id], trx));
    const row = await trx
      .insertInto('risk_assessment')
      .values({
        area_id: victim.area_id,
        instrument_id: instrument.id,
        instrument_version: instrument.version,
        victim_person_id: victim.id,
        perpetrator_person_ids: perpetratorIds,
        child_person_ids: children,
        contact_id: input.contactId ?? null,
        incident_reference: input.incidentReference?.trim() || null,
        assessed_at: assessedAt,
        answers: JSON.stringify(input.answers),
        score: scored.score,
        score_band: scored.band,
        judged_level: input.judgedLevel ?? null,
        judgement_reason: input.judgementReason?.trim() || null,
        level,
        prompts: scored.prompts.map((p) => p.id),
        assessor_user_id: context.principal.userId,
        assessor_agency_id: context.principal.agencyId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    const childAccess = await people.accessResources(children, trx);
    const visibleChildren = new Set(children.filter((id) => referable(childAccess, id)));
    const indicators = [
      ...new Set(
        Object.entries(INDICATOR_QUESTIONS)
          .filter(([question]) => input.answers[question]?.value === 'yes')
          .map(([, indicator]) => indicator),
      ),
    ];
    const judgedText =
      level !== scored.band ? `; professional judgement ${level} (${input.judgementReason?.trim()})` : '';
    const summary = `${instrument.title}: score ${scored.score} (${scored.band})${judgedText}.`;
    const data = {
      instrumentId: instrument.id,
      instrumentVersion: instrument.version,
      instrumentScore: scored.score,
      riskGrade: level,
      victimIds: [victim.id],
      ...(perpetratorIds.length ? { perpetratorIds } : {}),
      relatedPersonIds: [victim.id, ...children],
      ...(indicators.length ? { indicators } : {}),
      ...(input.incidentReference?.trim() ? { incidentRef: input.incidentReference.trim() } : {}),
    };
    const eventIds = await chronology.record(
      trx,
      context,
      [victim.id, ...children.filter((id) => id !== victim.id)].map((personId) => ({
        personId,
        areaId: victim.area_id,
        type: 'risk-assessment' as const,
        occurredAt: assessedAt,
        significance: SIGNIFICANCE[level!],
        summary,
        data: {
          ...data,
          role: personId === victim.id ? ('victim' as const) : ('child-in-household' as const),
        },
        subjectType: 'risk-assessment',
        subjectId: row.id,
      })),
    );

    let attachedTo: string | null = null;
    if (input.contactId) {
      const awaited = await repo.awaitedFor(trx, input.contactId);
      // Only the force that owes the DASH (it supplied the DAN) or the MASH of the area settles it.
      const maySettle =
        awaited &&
        decide(context.principal, 'dash-awaited:receive', {
          areaId: awaited.area_id,
          suppliedBy: awaited.supervisor_agency_id,
          relationships: [],
        }).allowed;
      if (awaited && awaited.status === 'awaited' && maySettle) {
        await trx
          .updateTable('dash_expectation')
          .set({ status: 'received', assessment_id: row.id, received_at: deps.now() })
          .where('id', '=', awaited.id)
          .execute();
        attachedTo = awaited.id;
      }
      if (deps.jobs)
        await deps.jobs.enqueue(trx, FRONT_DOOR_RESCREEN_QUEUE, {
          contactId: input.contactId,
          assessmentId: row.id,
          level,
          score: scored.score,
        });
    }
    await recordAudit(trx, context, {
      action: 'risk-assessment.create',
      subjectType: 'risk-assessment',
      subjectId: row.id,
      personIds: [victim.id, ...children, ...perpetratorIds],
      areaId: victim.area_id,
      details: {
        instrument: `${instrument.id} v${instrument.version}`,
        score: scored.score,
        level,
        ...(attachedTo ? { attachedToAwaited: attachedTo } : {}),
      },
    });
    return {
      id: row.id,
      score: scored.score,
      band: scored.band,
      level,
      prompts: scored.prompts,
      eventIds,
      // Linked children the caller may not see are written to but not named back to it.
      childPersonIds: children.filter((id) => visibleChildren.has(id)),
      attachedToAwaited: attachedTo,
    };
  }

  /** A DAN said "DASH to follow": record when it is due and schedule the chase, in the caller's transaction. */
  async function expectAssessment(trx: Trx, context: AuditContext, input: ExpectAssessment): Promise<string> {
    const existing = await repo.awaitedFor(trx, input.contactId);
    if (existing) return existing.id;
    let areaId = input.areaId;
    if (!areaId) {
      const [first] = await people.peopleByIds(input.personIds.slice(0, 1), trx);
      areaId = first?.area_id;
    }
    if (!areaId)
      throw new ValidationError([{ field: 'personIds', message: 'Give at least one person or the area' }]);
    const clock = dashAwaitedClock(input.dueFrom, deps.now(), {
      ...DEFAULT_FRONT_DOOR_TIMESCALES,
      dashAwaited: dashTimescales(deps),
    });
    let officerName = input.officerName ?? null;
    if (input.officerUserId && !officerName) {
      const [officer] = await directory.userNames([input.officerUserId], trx);
      officerName = officer?.display_name ?? null;
    }
    const row = await trx
      .insertInto('dash_expectation')
      .values({
        area_id: areaId,
        contact_id: input.contactId,
        person_ids: input.personIds,
        officer_user_id: input.officerUserId ?? null,
        officer_name: officerName,
        supervisor_agency_id: input.supervisorAgencyId,
        awaited_since: input.dueFrom,
        due_at: clock.dueAt,
        escalate_at: clock.escalateAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (deps.jobs) {
      await deps.jobs.enqueue(
        trx,
        DASH_REMINDER_QUEUE,
        { expectationId: row.id },
        { startAfter: clock.dueAt },
      );
      await deps.jobs.enqueue(
        trx,
        DASH_ESCALATION_QUEUE,
        { expectationId: row.id },
        { startAfter: clock.escalateAt },
      );
    }
    await recordAudit(trx, context, {
      action: 'dash-awaited.expect',
      subjectType: 'dash-expectation',
      subjectId: row.id,
      personIds: input.personIds,
      areaId,
      details: { contactId: input.contactId, dueAt: clock.dueAt, escalateAt: clock.escalateAt },
    });
    return row.id;
  }

  /** Reminder (to the officer's supervisors) or escalation (to them and the area's MASH managers). */
  async function chase(trx: Trx, expectationId: string, kind: 'reminder' | 'escalation') {
    const expectation = await repo.findExpectation(trx, expectationId);
    if (expectation?.status !== 'awaited') return 0;
    if (kind === 'reminder' && expectation.reminded_at) return 0;
    if (kind === 'escalation' && expectation.escalated_at) return 0;
    const supervisors = await directory.usersWithRole(
      [expectation.supervisor_agency_id],
      'police_supervisor',
      trx,
    );
    const managers =
      kind === 'escalation'
        ? await directory.usersWithRole(
            await directory.agencyIdsServingArea(expectation.area_id, 'childrens_social_care', trx),
            'mash_manager',
            trx,
          )
        : [];
    const recipients = [...new Set([...supervisors, ...managers].map((u) => u.id))];
    if (outbox) {
      // The same people, by the outbox's channels: a message to each, naming no one outside Harbour.
      const cscAgencies =
        kind === 'escalation'
          ? await directory.agencyIdsServingArea(expectation.area_id, 'childrens_social_care', trx)
          : [];
      const to: { agencyId: string; userId: string }[] = supervisors.map((u) => ({
        agencyId: expectation.supervisor_agency_id,
        userId: u.id,
      }));
      for (const agencyId of cscAgencies)
        for (const u of await directory.usersWithRole([agencyId], 'mash_manager', trx))
          if (!to.some((t) => t.userId === u.id)) to.push({ agencyId, userId: u.id });
      for (const recipient of to)
        await outbox.enqueue(
          trx,
          { principal: SYSTEM_PRINCIPAL },
          {
            type: `risk.dash-awaited.${kind}`,
            to: recipient,
            areaId: expectation.area_id,
            personIds: expectation.person_ids,
            reference: referenceFor('DASH', expectationId),
            subject:
              kind === 'reminder'
                ? 'A DASH risk assessment is overdue from your force'
                : 'An overdue DASH risk assessment has been escalated',
            link: '/risk/dash-awaited',
          },
        );
    }
    // A notice already sent to a recipient stays (none to send: no statement).
    await insertRows(
      trx.insertInto('dash_awaited_notice').onConflict((oc) => oc.doNothing()),
      recipients.map((user_id) => ({
        expectation_id: expectationId,
        area_id: expectation.area_id,
        user_id,
        kind,
      })),
    );
    await trx
      .updateTable('dash_expectation')
      .set(kind === 'reminder' ? { reminded_at: deps.now() } : { escalated_at: deps.now() })
      .where('id', '=', expectationId)
      .execute();
    await recordAudit(
      trx,
      { principal: SYSTEM_PRINCIPAL },
      {
        action: `dash-awaited.${kind}`,
        subjectType: 'dash-expectation',
        subjectId: expectationId,
        personIds: expectation.person_ids,
        areaId: expectation.area_id,
        details: { recipients: recipients.length, contactId: expectation.contact_id },
      },
    );
    return recipients.length;
  }

  return { recordAssessment, expectAssessment, chase };
}

export type { Instrument };
