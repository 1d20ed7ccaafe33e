import { type Db, type Trx, transaction } from '../../db/database.ts';
import type { ChronologyEvent } from '../../domain/chronology-event.ts';
import type { RiskLevel } from '../../domain/instruments/bands.ts';
import {
  assertAllowed,
  type ChronologyEventScope,
  chronologyEventScope,
  eventVisible,
  grantedScopes,
} from '../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { auditOnSubject, personRecordSubject } from '../../platform/audit-subject.ts';
import type { Deps } from '../../platform/deps.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { Principal } from '../../platform/principal.ts';
import { SYSTEM_PRINCIPAL } from '../../platform/principal.ts';
import type { PeopleService } from '../people/service.ts';
import {
  assessmentService,
  type ExpectAssessment,
  type NewAssessment,
  type RiskCollaborators,
} from './assessments.ts';
import { type CumulativeAssessment, cumulativeRisk, levelAbove } from './cumulative.ts';
import * as repo from './repository.ts';
import { releaseForRetention } from './retention-repository.ts';
import { subjectAccessAssessments } from './subject-access-repository.ts';

// What other modules use of risk: its queue names and the summary as pages show it.
export { DASH_ESCALATION_QUEUE, DASH_REMINDER_QUEUE } from './assessments.ts';
export { type PresentedSummary, presentSummary } from './present.ts';

export type PersonAccessFacts = Awaited<ReturnType<PeopleService['accessFacts']>>;
export type {
  ContactAccessFacts,
  ExpectAssessment,
  NewAssessment,
  RiskCollaborators,
} from './assessments.ts';

/** An event a finding points at, as shown beside the finding. */
export interface EvidenceEvent {
  id: string;
  personId: string;
  type: ChronologyEvent['type'];
  occurredAt: Date;
  summary: string;
  sourceAgencyKind: string | null;
}

/** The events findings rest on, as far as the chronology's sharing rules let this principal see them. */
function evidenceOf(
  assessment: CumulativeAssessment,
  scope: ChronologyEventScope,
): Record<string, EvidenceEvent> {
  const wanted = new Set(assessment.result.findings.flatMap((f) => f.eventIds));
  for (const c of assessment.result.marac.criteria) for (const id of c.eventIds) wanted.add(id);
  const out: Record<string, EvidenceEvent> = {};
  for (const e of assessment.events) {
    if (!wanted.has(e.id)) continue;
    if (
      !eventVisible(scope, {
        sourceAgencyId: e.sourceAgencyId ?? null,
        sourceAgencyKind: e.sourceAgencyKind,
        sharedWithAgencyIds: e.sharedWithAgencyIds ?? [],
      })
    )
      continue;
    out[e.id] = {
      id: e.id,
      personId: e.personId,
      type: e.type,
      occurredAt: e.occurredAt,
      summary: e.summary,
      sourceAgencyKind: e.sourceAgencyKind,
    };
  }
  return out;
}

export function riskService(deps: Deps, collaborators: RiskCollaborators) {
  const { db } = deps;
  const { people } = collaborators;
  const cumulative = cumulativeRisk(deps, collaborators);
  const assessments = assessmentService(deps, cumulative, collaborators);

  /** Re-runs the engine for one child after their (or a linked adult's) chronology changed. */
  async function reassessChild(trx: Trx, childId: string, triggerEventIds: readonly string[]) {
    const assessment = await cumulative.assess(trx, childId, deps.now());
    const { summaryId } = await cumulative.snapshot(trx, assessment);
    const { result, child } = assessment;
    const decision = cumulative.lastDecision(assessment);
    const open = await repo.openTaskFor(trx, childId);
    const system = { principal: SYSTEM_PRINCIPAL };
    if (!decision) return { level: result.level, task: open?.id ?? null };
    const decisionLevel = decision.data.riskGrade as RiskLevel;
    if (!levelAbove(result.level, decisionLevel)) {
      if (open) {
        await trx
          .updateTable('risk_review_task')
          .set({
            status: 'closed',
            closed_at: deps.now(),
            closing_note: `A decision at ${decisionLevel} level now covers the cumulative level (${result.level}).`,
          })
          .where('id', '=', open.id)
          .execute();
        await recordAudit(trx, system, {
          action: 'risk.review-task.close',
          subjectType: 'risk-review-task',
          subjectId: open.id,
          personIds: [childId],
          areaId: child.area_id,
        });
      }
      return { level: result.level, task: null };
    }
    const reasons = result.findings
      .filter((f) => f.kind === 'risk' && f.impliedLevel !== null)
      .map((f) => f.title)
      .join('; ');
    if (open) {
      await trx
        .updateTable('risk_review_task')
        .set({
          cumulative_level: result.level,
          decision_level: decisionLevel,
          decision_event_id: decision.id,
          summary_id: summaryId,
          trigger_event_ids: [...new Set([...open.trigger_event_ids, ...triggerEventIds])],
          reasons,
          updated_at: deps.now(),
        })
        .where('id', '=', open.id)
        .execute();
      return { level: result.level, task: open.id };
    }
    // A worker who already reviewed this picture against this decision is not asked again.
    const reviewed = await trx
      .selectFrom('risk_review_task')
      .select('cumulative_level')
      .where('child_person_id', '=', childId)
      .where('decision_event_id', '=', decision.id)
      .where('status', '=', 'closed')
      .execute();
    if (reviewed.some((r) => !levelAbove(result.level, r.cumulative_level)))
      return { level: result.level, task: null };
    const task = await trx
      .insertInto('risk_review_task')
      .values({
        area_id: child.area_id,
        child_person_id: childId,
        cumulative_level: result.level,
        decision_level: decisionLevel,
        decision_event_id: decision.id,
        summary_id: summaryId,
        trigger_event_ids: [...triggerEventIds],
        reasons,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, system, {
      action: 'risk.review-task.open',
      subjectType: 'risk-review-task',
      subjectId: task.id,
      personIds: [childId],
      areaId: child.area_id,
      details: { cumulativeLevel: result.level, decisionLevel, triggerEventIds },
    });
    return { level: result.level, task: task.id };
  }

  return {
    /** Assessments and summaries naming these records (subject access). Not access-checked. */
    subjectAccessAssessments: (personIds: readonly string[]) => subjectAccessAssessments(db, personIds),
    /** Retention (decision 0012): let go of events and children about to be removed, in the caller's transaction. */
    releaseForRetention: (trx: Trx, of: { eventIds: readonly string[]; childIds: readonly string[] }) =>
      releaseForRetention(trx, of),
    /** Scores, stores and records a risk assessment in its own transaction (API and form). */
    createAssessment(context: AuditContext, input: NewAssessment) {
      return transaction(db, (trx) => assessments.recordAssessment(trx, context, input));
    },
    /** The same, inside a caller's transaction (a DAN submitted with its assessment). */
    recordAssessment: assessments.recordAssessment,

    /**
     * A DAN arrived with its assessment "to follow". Records the expectation, schedules the
     * reminder (at the due time, to the police supervisors of `supervisorAgencyId`) and the
     * escalation (a further period later, also to the area's MASH managers), all in `trx`.
     */
    expectAssessment(trx: Trx, context: AuditContext, input: ExpectAssessment) {
      return assessments.expectAssessment(trx, context, input);
    },

    /** Job handler: remind or escalate an awaited assessment that has not arrived. */
    chaseAwaited(expectationId: string, kind: 'reminder' | 'escalation') {
      return transaction(db, (trx) => assessments.chase(trx, expectationId, kind));
    },

    /** The person a new assessment is about, and their linked children: access-checked and audited. */
    async assessmentSubject(context: AuditContext, personId: string) {
      const { person, resource } = await people.accessFacts(personId);
      assertAllowed(context.principal, 'risk-assessment:create', resource, {
        type: 'risk-assessment',
        personIds: [personId],
        areaId: person.area_id,
      });
      const children = await people.personNames(await people.linkedChildren([personId]));
      await recordAudit(db, context, {
        action: 'risk-assessment.start',
        subjectType: 'person',
        subjectId: personId,
        personIds: [personId, ...children.map((c) => c.id)],
        areaId: person.area_id,
      });
      return { person, children };
    },

    async findAssessment(context: AuditContext, id: string) {
      const row = await repo.findAssessment(db, id);
      if (!row) throw new NotFoundError('The risk assessment');
      const { resource } = await people.accessFacts(row.victim_person_id);
      const subject = personRecordSubject('risk-assessment', id, row.victim_person_id, row.area_id);
      assertAllowed(context.principal, 'person:view', resource, subject);
      await recordAudit(db, context, {
        action: 'risk-assessment.view',
        subjectType: 'risk-assessment',
        subjectId: id,
        personIds: [row.victim_person_id, ...row.child_person_ids],
        areaId: row.area_id,
      });
      return row;
    },

    /** Awaited assessments, oldest first, for police supervisors (their force) and MASH managers (their areas). */
    async awaitedReport(context: AuditContext, options: { includeReceived?: boolean } = {}) {
      const { principal } = context;
      assertAllowed(principal, 'dash-awaited:view');
      const supervisorAgencyId = principal.agencyKind === 'police' ? principal.agencyId : null;
      const rows = await repo.awaitedReport(db, {
        areaIds: principal.areaIds,
        supervisorAgencyId,
        includeReceived: options.includeReceived ?? false,
      });
      const names = new Map(
        (await people.personNames([...new Set(rows.flatMap((r) => r.person_ids))])).map((p) => [p.id, p]),
      );
      const now = deps.now();
      const report = rows.map((r) => ({
        ...r,
        officer: r.officer_display_name ?? r.officer_name ?? 'Not recorded',
        people: r.person_ids.map((id) => names.get(id)).filter((p) => p !== undefined),
        ageMs: (r.received_at ?? now).getTime() - r.awaited_since.getTime(),
        state:
          r.status === 'received'
            ? ('received' as const)
            : now.getTime() > r.escalate_at.getTime()
              ? ('escalated' as const)
              : now.getTime() > r.due_at.getTime()
                ? ('overdue' as const)
                : ('awaited' as const),
      }));
      if (principal.userId) {
        await db
          .updateTable('dash_awaited_notice')
          .set({ read_at: now })
          .where('user_id', '=', principal.userId)
          .where('read_at', 'is', null)
          .execute();
      }
      await recordAudit(db, context, {
        action: 'dash-awaited.report',
        personIds: [...new Set(rows.flatMap((r) => r.person_ids))],
        details: { rows: rows.length },
      });
      return report;
    },

    /** Unread reminders and escalations for a user (home page panel). */
    async noticesFor(principal: Principal) {
      if (!principal.userId) return [];
      return repo.unreadNotices(db, principal.userId);
    },

    /**
     * The cumulative-risk summary for a child, as shown beside a decision: the engine's result,
     * the events each finding rests on, and `summaryId`/`hash` identifying exactly what was shown
     * (a decision stores `summaryId`). Access-checked (risk:view) and audited.
     */
    /** `known`: the person and their access facts when the caller has just read them (the person page). */
    async summaryFor(context: AuditContext, childId: string, known?: PersonAccessFacts) {
      const { person, resource } = known ?? (await people.accessFacts(childId));
      const subject = personRecordSubject('cumulative-risk', childId, childId, person.area_id);
      assertAllowed(context.principal, 'risk:view', resource, subject);
      const assessment = await cumulative.assess(db, childId, deps.now());
      const { summaryId, hash } = await transaction(db, (trx) => cumulative.snapshot(trx, assessment));
      // The same decision as /chronology: a partner sees the evidence its sharing group may see.
      const evidence = evidenceOf(assessment, chronologyEventScope(context.principal, resource));
      const shown = (ids: readonly string[]) => ids.filter((id) => id in evidence);
      await recordAudit(db, context, {
        action: 'risk.view',
        subjectType: 'person',
        subjectId: childId,
        personIds: [childId, ...assessment.adults.map((a) => a.id)],
        areaId: person.area_id,
        details: { summaryId, level: assessment.result.level },
      });
      return {
        summaryId,
        hash,
        child: assessment.child,
        adults: assessment.adults,
        result: {
          ...assessment.result,
          findings: assessment.result.findings.map((f) => ({ ...f, eventIds: shown(f.eventIds) })),
          marac: {
            ...assessment.result.marac,
            criteria: assessment.result.marac.criteria.map((c) => ({ ...c, eventIds: shown(c.eventIds) })),
          },
        },
        evidence,
        /** Some evidence is withheld by the sharing rules (the level still reflects every event). */
        partial: Object.keys(evidence).length < Object.keys(evidenceOf(assessment, { kind: 'all' })).length,
        eventsConsidered: assessment.events.length,
      };
    },

    /** A stored summary (what a worker saw), for the decision record. */
    async findSummary(context: AuditContext, summaryId: string) {
      const row = await repo.findSummary(db, summaryId);
      if (!row) throw new NotFoundError('The risk summary');
      const { resource } = await people.accessFacts(row.child_person_id);
      const subject = personRecordSubject(
        'cumulative-risk',
        row.child_person_id,
        row.child_person_id,
        row.area_id,
      );
      assertAllowed(context.principal, 'risk:view', resource, subject);
      return row;
    },

    /** Job handler for risk.reassess: re-run the engine for every child these people are linked to. */
    async reassess(data: { personIds: string[]; eventIds?: string[] }) {
      const changed = await people.peopleByIds(data.personIds);
      const children = new Set(changed.filter((p) => p.kind !== 'adult').map((p) => p.id));
      const adults = changed.filter((p) => p.kind === 'adult').map((p) => p.id);
      for (const id of await people.linkedChildren(adults)) children.add(id);
      const outcome: Record<string, { level: RiskLevel; task: string | null }> = {};
      for (const childId of children) {
        outcome[childId] = await transaction(db, (trx) => reassessChild(trx, childId, data.eventIds ?? []));
      }
      return outcome;
    },

    /** Open "history suggests higher risk" review tasks in an area, oldest first (front-door queue). */
    async openReviewTasks(context: AuditContext, areaId: string) {
      assertAllowed(context.principal, 'queue:view', { areaId }, { type: 'risk-review-tasks', areaId });
      const rows = await repo.openTasksInArea(db, areaId);
      await recordAudit(db, context, {
        action: 'risk.review-task.list',
        personIds: rows.map((r) => r.child_person_id),
        areaId,
        details: { tasks: rows.length },
      });
      return rows;
    },

    async closeReviewTask(context: AuditContext, taskId: string, note: string) {
      const task = await repo.findTask(db, taskId);
      if (!task) throw new NotFoundError('The review task');
      const subject = personRecordSubject('risk-review-task', taskId, task.child_person_id, task.area_id);
      assertAllowed(context.principal, 'contact:decide', { areaId: task.area_id }, subject);
      await transaction(db, async (trx) => {
        await trx
          .updateTable('risk_review_task')
          .set({
            status: 'closed',
            closed_at: deps.now(),
            closed_by_user_id: context.principal.userId,
            closing_note: note.trim() || null,
          })
          .where('id', '=', taskId)
          .where('status', '=', 'open')
          .execute();
        await auditOnSubject(
          trx,
          context,
          'risk.review-task.close',
          subject,
          note.trim() ? { reason: note.trim() } : {},
        );
      });
    },

    /**
     * The queue marker for each child: the last computed cumulative level, whether it is above the
     * latest recorded level, and any open review task. Cheap (one indexed read); not audited or
     * access-checked, because it reveals no detail — the caller has already been allowed queue:view.
     */
    async historyMarkers(childIds: readonly string[]) {
      const rows = await repo.childStates(db, childIds);
      return new Map(
        rows.map((r) => [
          r.child_person_id,
          {
            level: r.level,
            raisedAboveRecorded: r.raised_above_recorded,
            reviewTaskId: r.review_task_id,
            historySuggestsHigherRisk: r.raised_above_recorded || r.review_task_id !== null,
            computedAt: r.computed_at,
          },
        ]),
      );
    },

    /**
     * For a MARAC referral: the criteria the cumulative engine finds met for any of these children
     * (ids only, no evidence), and the facts of a referenced DASH. Not access-checked: the MARAC
     * module checks the referrer may refer the victim and audits the referral.
     */
    async maracCriteriaMet(childIds: readonly string[], conn: Db | Trx = db) {
      const met = new Set<string>();
      for (const childId of childIds) {
        const assessment = await cumulative.assess(conn, childId, deps.now());
        for (const c of assessment.result.marac.criteria) if (c.met) met.add(c.id);
      }
      return [...met];
    },
    async assessmentFacts(id: string, conn: Db | Trx = db) {
      const row = await repo.findAssessment(conn, id);
      return row ? { victimPersonId: row.victim_person_id, score: row.score, level: row.level } : null;
    },

    mayViewRisk(principal: Principal | null) {
      return principal !== null && grantedScopes(principal, 'risk:view').length > 0;
    },
  };
}

export type RiskService = ReturnType<typeof riskService>;
