import { DateTime } from 'luxon';
import { transaction } from '../../db/database.ts';
import type { Forum } from '../../db/schema/marac.ts';
import { missingInformation } from '../../domain/marac/referral.ts';
import { isMinorityEthnic, quarterRange, safeLivesReturn } from '../../domain/marac/safelives.ts';
import { TIME_ZONE } from '../../domain/time-zone.ts';
import { assertAllowed, maracResearchVisible } from '../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { auditCase, casePersonIds, caseRelationships } from './case-relationships.ts';
import type { MaracCollaborators } from './collaborators.ts';
import { meetingService } from './meetings.ts';
import { caseSource, referralService } from './referrals.ts';
import * as repo from './repository.ts';
import type { Referral } from './schemas.ts';
import { maracSettings } from './settings.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const ageOn = (dob: string | null, at: Date) =>
  dob
    ? Math.floor(
        DateTime.fromJSDate(at, { zone: TIME_ZONE }).diff(DateTime.fromISO(dob, { zone: TIME_ZONE }), 'years')
          .years,
      )
    : null;

/** MARAC and the below-MARAC panel, from referral to actions done (docs/marac.md). */
export function maracService(deps: Deps, collaborators: MaracCollaborators) {
  return {
    ...buildMarac(deps, collaborators),
    /** The same service on another clock: the demo seed's meetings that happened last week. */
    onClock: (now: () => Date) => buildMarac({ ...deps, now }, collaborators),
  };
}

function buildMarac(deps: Deps, collaborators: MaracCollaborators) {
  const { db } = deps;
  const { people } = collaborators;
  const settings = maracSettings(deps);
  const referrals = referralService(deps, collaborators, settings);
  const meetings = meetingService(deps, collaborators, settings);
  const inTrx =
    <A extends unknown[], R>(
      fn: (trx: Parameters<Parameters<typeof transaction>[1]>[0], ...args: A) => Promise<R>,
    ) =>
    (...args: A) =>
      transaction(db, (trx) => fn(trx, ...args));

  /** A case, as the policy sees it: its area and the agencies taking part (its episode's relationships). */
  async function caseFor(context: AuditContext, caseId: string) {
    const theCase = await repo.findCase(db, caseId);
    if (!theCase) throw new NotFoundError('The case');
    const relationships = await people.relationshipsOfEpisode(caseId);
    assertAllowed(
      context.principal,
      'marac:view',
      { areaId: theCase.area_id, relationships, asOf: deps.now() },
      { type: 'marac-case', id: caseId, personIds: [theCase.victim_person_id], areaId: theCase.area_id },
    );
    return { theCase, relationships };
  }

  /** A case's research, each request named by its agency (the directory's), sorted by that name. */
  async function researchOfCase(caseId: string) {
    const rows = await repo.researchOfCase(db, caseId);
    const agencies = new Map(
      (await collaborators.directory.agenciesByIds(rows.map((r) => r.agency_id))).map((a) => [a.id, a]),
    );
    return rows
      .map((r) => ({
        ...r,
        agency_name: agencies.get(r.agency_id)?.name ?? 'Unknown agency',
        agency_kind: agencies.get(r.agency_id)?.kind ?? 'unknown',
      }))
      .sort((a, b) => a.agency_name.localeCompare(b.agency_name));
  }

  return {
    settings,
    refer: (context: AuditContext, input: Referral) =>
      transaction(db, (trx) => referrals.refer(trx, context, input)),
    scheduleMeeting: inTrx(meetings.schedule),
    listOnMeeting: inTrx(meetings.list),
    startMeeting: inTrx(meetings.start),
    recordDiscussion: inTrx(meetings.discuss),
    addAction: inTrx(meetings.addAction),
    finishMeeting: inTrx(meetings.finish),
    reviewAction: inTrx(meetings.reviewAction),
    publishMinutes: inTrx(meetings.publishMinutes),
    viewMeeting: meetings.view,
    meetingsFrom: meetings.from,

    /** The coordinator's queue: awaiting a meeting, with criteria, missing information and duplicates. */
    async queue(context: AuditContext, forum: Forum) {
      const { principal } = context;
      assertAllowed(principal, 'marac:coordinate', undefined, { type: 'marac-queue' });
      const rows = await repo.queue(db, principal.areaIds, forum);
      const names = new Map(
        (await people.personNames(rows.map((r) => r.victim_person_id))).map((p) => [p.id, p]),
      );
      await recordAudit(db, context, {
        action: 'marac.queue.view',
        personIds: rows.map((r) => r.victim_person_id),
        details: { forum, cases: rows.length },
      });
      return rows.map((r) => ({
        ...r,
        victim: names.get(r.victim_person_id) ?? null,
        criteriaMet: r.criterion !== 'below-threshold' || r.engine_criteria.length > 0,
        missing: missingInformation({
          forum: r.forum,
          criterion: r.criterion,
          dashScore: r.dash_score,
          hasAssessment: r.risk_assessment_id !== null,
          childCount: r.child_person_ids.length,
          perpetratorCount: r.perpetrator_person_ids.length,
          consent: r.consent,
          sharingReason: r.sharing_reason,
        }),
      }));
    },

    /**
     * A case with the research the caller may see: its own agency's, and every agency's once the
     * meeting has started (the coordinator sees all of it as it arrives).
     */
    async viewCase(context: AuditContext, caseId: string) {
      const { theCase } = await caseFor(context, caseId);
      const meeting = theCase.meeting_id ? await repo.findMeeting(db, theCase.meeting_id) : null;
      const started = meeting !== null && meeting !== undefined && meeting.status !== 'scheduled';
      const research = (await researchOfCase(caseId)).filter((r) =>
        maracResearchVisible(
          context.principal,
          { agencyId: r.agency_id },
          { areaId: theCase.area_id, meetingStarted: started || theCase.status === 'discussed' },
        ),
      );
      const personIds = casePersonIds(theCase);
      const named = new Map((await people.personNames(personIds)).map((p) => [p.id, p]));
      await auditCase(db, context, 'marac.case.view', theCase, personIds, { researchShown: research.length });
      return {
        theCase,
        meeting: meeting ?? null,
        research,
        victim: named.get(theCase.victim_person_id) ?? null,
        perpetrators: theCase.perpetrator_person_ids
          .map((id) => named.get(id))
          .filter((p) => p !== undefined),
        children: theCase.child_person_ids.map((id) => named.get(id)).filter((p) => p !== undefined),
      };
    },

    /** An agency returns its research for a case (its own request only). */
    async returnResearch(context: AuditContext, caseId: string, information: string) {
      const { theCase, relationships } = await caseFor(context, caseId);
      const { principal } = context;
      assertAllowed(
        principal,
        'marac:research',
        { areaId: theCase.area_id, relationships, asOf: deps.now() },
        { type: 'marac-case', id: caseId, areaId: theCase.area_id },
      );
      if (!information.trim())
        throw new ValidationError([{ field: 'information', message: 'Enter what your agency knows' }]);
      if (information.length > 20_000)
        throw new ValidationError([
          { field: 'information', message: 'Keep the research to 20,000 characters' },
        ]);
      return transaction(db, async (trx) => {
        const updated = await repo.returnResearch(trx, {
          caseId,
          agencyId: principal.agencyId!,
          information: information.trim(),
          at: deps.now(),
          byName: principal.name,
        });
        if (!updated) throw new ConflictError('Your agency has not been asked for research on this case');
        await auditCase(trx, context, 'marac.research.return', theCase, [
          theCase.victim_person_id,
          ...theCase.child_person_ids,
        ]);
      });
    },

    /** MARAC-to-MARAC transfer: the victim has moved; the case joins the new area's queue. */
    async transfer(context: AuditContext, caseId: string, input: { toAreaId: string; reason: string }) {
      const known =
        UUID.test(input.toAreaId) && (await collaborators.directory.areasByIds([input.toAreaId])).length > 0;
      return transaction(db, async (trx) => {
        const theCase = await repo.lockCase(trx, caseId);
        if (!theCase) throw new NotFoundError('The case');
        assertAllowed(
          context.principal,
          'marac:coordinate',
          { areaId: theCase.area_id },
          {
            type: 'marac-case',
            id: caseId,
            areaId: theCase.area_id,
          },
        );
        const errors = [];
        if (input.toAreaId === theCase.area_id)
          errors.push({ field: 'toAreaId', message: 'Choose the area the victim has moved to' });
        else if (!known)
          errors.push({ field: 'toAreaId', message: 'Choose the area the victim has moved to' });
        if (!input.reason.trim())
          errors.push({ field: 'reason', message: 'Say why the case is transferred' });
        if (errors.length) throw new ValidationError(errors);
        if (theCase.status === 'closed') throw new ConflictError('A closed case is not transferred');
        await repo.insertTransfer(trx, {
          case_id: caseId,
          area_id: theCase.area_id,
          to_area_id: input.toAreaId,
          reason: input.reason.trim(),
          transferred_at: deps.now(),
          transferred_by_name: context.principal.name,
        });
        await repo.moveCase(trx, caseId, input.toAreaId);
        // The receiving area's MARAC agencies take part in the case from now; the sending area's
        // (those not serving the receiving area too) keep sight of it only for the grace, as when
        // a case closes (docs/marac.md).
        const now = deps.now();
        const kinds = new Set(settings.participatingAgencyKinds);
        const receiving = (await collaborators.directory.agenciesInArea(input.toAreaId, trx))
          .filter((a) => kinds.has(a.kind))
          .map((a) => a.id);
        const sending = [
          ...new Set((await people.relationshipsOfEpisode(caseId, trx)).map((r) => r.agencyId)),
        ];
        const leaving = sending.filter((id) => !receiving.includes(id));
        await people.expireEpisode(
          trx,
          caseId,
          new Date(now.getTime() + settings.graceDays * DAY_MS),
          leaving,
        );
        await people.grantRelationships(
          trx,
          caseRelationships(theCase, input.toAreaId, receiving, context, now),
        );
        await auditCase(
          trx,
          context,
          'marac.case.transfer',
          theCase,
          [theCase.victim_person_id, ...theCase.child_person_ids],
          {
            toAreaId: input.toAreaId,
            agenciesJoining: receiving.length,
            agenciesLeaving: leaving.length,
          },
        );
      });
    },

    /** The SafeLives quarterly data return for an area's forum, from the cases heard in the quarter. */
    async safeLivesReturn(context: AuditContext, input: { areaId: string; quarter: string; forum: Forum }) {
      assertAllowed(
        context.principal,
        'marac:coordinate',
        { areaId: input.areaId },
        { type: 'marac-return', areaId: input.areaId },
      );
      const range = quarterRange(input.quarter);
      if (!range) throw new ValidationError([{ field: 'quarter', message: 'Enter a quarter like 2026-Q3' }]);
      const from = DateTime.fromISO(range.from, { zone: TIME_ZONE }).toJSDate();
      const to = DateTime.fromISO(range.to, { zone: TIME_ZONE }).toJSDate();
      const rows = await repo.casesHeard(db, input.areaId, input.forum, from, to);
      // Equality facts come from the person record, not from what a referral said.
      const facts = new Map(
        (
          await people.equalityFacts([
            ...new Set(rows.flatMap((r) => [r.victim_person_id, ...r.perpetrator_person_ids])),
          ])
        ).map((p) => [p.id, p]),
      );
      const figures = safeLivesReturn(
        rows.map((r) => {
          const at = new Date(r.referred_at);
          const victim = facts.get(r.victim_person_id);
          return {
            repeat: r.repeat,
            childCount: r.child_person_ids.length,
            referringAgencyKind: r.referring_agency_kind,
            victimSex: victim?.sex ?? null,
            victimAge: ageOn(victim?.date_of_birth ?? null, at),
            perpetratorAges: r.perpetrator_person_ids.map((id) =>
              ageOn(facts.get(id)?.date_of_birth ?? null, at),
            ),
            bme: isMinorityEthnic(victim?.ethnicity ?? null),
            // The person record holds no sexual orientation: the referral's answer is the only source.
            lgbt: r.diversity.lgbt === true,
            disability: Boolean(victim?.disability?.trim()),
          };
        }),
      );
      // Counts only, no person: audited as a report.
      await recordAudit(db, context, {
        action: 'marac.return',
        areaId: input.areaId,
        details: { quarter: input.quarter, forum: input.forum, cases: figures.cases },
      });
      return { ...range, ...figures };
    },

    /** The caller's agency's own actions (shared actions module). */
    actionsForAgency(context: AuditContext, query: { status: 'open' | 'done' | 'overdue'; page: number }) {
      if (!collaborators.actions) throw new ConflictError('Actions are not available in this build');
      return collaborators.actions.forAgency(context, query);
    },

    /** The action plan of a case, to track between meetings and review at the next. */
    async actionsOfCase(context: AuditContext, caseId: string) {
      const { theCase } = await caseFor(context, caseId);
      return collaborators.actions ? collaborators.actions.forSource(context, caseSource(theCase)) : null;
    },
  };
}

export type MaracService = ReturnType<typeof maracService>;
