import type { Trx } from '../../db/database.ts';
import type { ActionReviewStatus, Forum } from '../../db/schema/marac.ts';
import { addWorkingDays, isWorkingDay, localDateOf } from '../../domain/calendar.ts';
import { agendaSlots, minutesState, nextMeetingAfter, orderAgenda } from '../../domain/marac/agenda.ts';
import { assertAllowed, decideInArea, decideMaracMeeting, ForbiddenError } from '../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { ConflictError, type FieldError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { auditCase, casePersonIds, caseRelationships } from './case-relationships.ts';
import type { MaracCollaborators } from './collaborators.ts';
import { caseSource, newReference } from './referrals.ts';
import * as repo from './repository.ts';
import { forumSettings, type MaracSettings } from './settings.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What the chair may record of an earlier meeting's action when it is reviewed. */
export const ACTION_REVIEW_STATUSES: readonly { value: ActionReviewStatus; text: string }[] = [
  { value: 'completed', text: 'Completed' },
  { value: 'in-progress', text: 'In progress' },
  { value: 'not-started', text: 'Not started' },
  { value: 'no-longer-needed', text: 'No longer needed' },
];

/** Meetings: scheduling, the agenda, research requests, the meeting itself, minutes and the flag. */
export function meetingService(deps: Deps, collaborators: MaracCollaborators, settings: MaracSettings) {
  const { db } = deps;
  const { people, directory, calendar, chronology } = collaborators;

  const coordinate = (context: AuditContext, areaId: string, subject: { type: string; id?: string }) =>
    assertAllowed(context.principal, 'marac:coordinate', { areaId }, { ...subject, areaId });

  /** `days` working days before `instant`, at the same time of day. */
  function workingDaysBefore(instant: Date, days: number): Date {
    let at = instant;
    for (let left = days; left > 0; ) {
      at = new Date(at.getTime() - DAY_MS);
      if (isWorkingDay(at, calendar)) left -= 1;
    }
    return at;
  }

  async function lockedMeeting(trx: Trx, context: AuditContext, meetingId: string) {
    const meeting = await repo.lockMeeting(trx, meetingId);
    if (!meeting) throw new NotFoundError('The meeting');
    coordinate(context, meeting.area_id, { type: 'marac-meeting', id: meetingId });
    return meeting;
  }

  /** Renumbers a meeting's agenda: repeats, then highest risk, then longest waiting. */
  async function reorder(trx: Trx, meetingId: string) {
    const cases = await repo.casesOfMeeting(trx, meetingId);
    const ordered = orderAgenda(
      cases.map((c) => ({
        id: c.id,
        repeat: c.repeat,
        level: c.risk_level,
        dashScore: c.dash_score,
        referredAt: new Date(c.referred_at),
      })),
    );
    await repo.setAgendaPositions(
      trx,
      ordered.map((c) => c.id),
    );
  }

  type MeetingRow = NonNullable<Awaited<ReturnType<typeof repo.findMeeting>>>;

  /**
   * The actions this meeting reviews: every action of a case heard at an earlier meeting of the
   * area's forum that is still open, or that this meeting has already reviewed, with its review.
   */
  async function actionsToReview(context: AuditContext, meeting: MeetingRow, conn: Trx | typeof db = db) {
    if (!collaborators.actions) return [];
    const cases = await repo.casesHeardBefore(conn, meeting);
    const reviews = new Map((await repo.reviewsOfMeeting(conn, meeting.id)).map((r) => [r.action_id, r]));
    const out = [];
    for (const c of cases)
      for (const action of await collaborators.actions.forSource(context, caseSource(c), conn)) {
        const review = reviews.get(action.id) ?? null;
        if (action.status !== 'open' && !review) continue;
        out.push({
          ...action,
          caseId: c.id,
          caseReference: c.reference,
          meetingReference: c.meeting_reference,
          personIds: [c.victim_person_id, ...c.child_person_ids],
          review,
        });
      }
    return out.sort((a, b) => a.dueBy.getTime() - b.dueBy.getTime() || a.id.localeCompare(b.id));
  }

  async function areaCode(areaId: string, conn: Trx | typeof db = db) {
    return (await directory.areaCode(areaId, conn)) ?? '';
  }

  return {
    /** Schedules an area's next meeting of a forum: at `startsAt`, or one cadence after the last. */
    async schedule(
      trx: Trx,
      context: AuditContext,
      input: { areaId: string; forum: Forum; startsAt?: Date },
    ) {
      coordinate(context, input.areaId, { type: 'marac-meeting' });
      const last = await repo.lastMeeting(trx, input.areaId, input.forum);
      const { cadence } = forumSettings(settings, await areaCode(input.areaId, trx), input.forum);
      const startsAt =
        input.startsAt ??
        (last
          ? nextMeetingAfter(new Date(last.starts_at), cadence)
          : addWorkingDays(deps.now(), 5, calendar));
      if (startsAt.getTime() < deps.now().getTime())
        throw new ValidationError([
          { field: 'startsAt', message: 'A meeting is scheduled for a future time' },
        ]);
      const row = await repo.insertMeeting(trx, {
        reference: newReference(input.forum === 'marac' ? 'MM' : 'PM'),
        area_id: input.areaId,
        forum: input.forum,
        starts_at: startsAt,
      });
      await recordAudit(trx, context, {
        action: 'marac.meeting.schedule',
        subjectType: 'marac-meeting',
        subjectId: row.id,
        areaId: input.areaId,
      });
      return row;
    },

    /**
     * Lists a referral on a meeting: the agenda is reordered, every participating agency serving
     * the area (and the referrer) is asked for its research by a deadline before the meeting and
     * takes part in the case (a 'marac' relationship with its people for the case's episode).
     */
    async list(trx: Trx, context: AuditContext, caseId: string, meetingId: string) {
      const meeting = await lockedMeeting(trx, context, meetingId);
      const theCase = await repo.lockCase(trx, caseId);
      if (!theCase) throw new NotFoundError('The referral');
      coordinate(context, theCase.area_id, { type: 'marac-case', id: caseId });
      if (theCase.status !== 'referred') throw new ConflictError('The referral is already on a meeting');
      if (
        meeting.status !== 'scheduled' ||
        meeting.area_id !== theCase.area_id ||
        meeting.forum !== theCase.forum
      )
        throw new ValidationError([
          { field: 'meetingId', message: 'Choose a scheduled meeting of the case’s forum and area' },
        ]);
      await repo.putOnMeeting(trx, caseId, meetingId);
      await reorder(trx, meetingId);
      const kinds = new Set(settings.participatingAgencyKinds);
      const agencies = (await directory.agenciesInArea(theCase.area_id, trx)).filter((a) =>
        kinds.has(a.kind),
      );
      const agencyIds = [...new Set([theCase.referring_agency_id, ...agencies.map((a) => a.id)])];
      const now = deps.now();
      const dueAt = workingDaysBefore(new Date(meeting.starts_at), settings.researchDueWorkingDaysBefore);
      await repo.requestResearch(
        trx,
        agencyIds.map((agencyId) => ({
          case_id: caseId,
          area_id: theCase.area_id,
          agency_id: agencyId,
          requested_at: now,
          due_at: dueAt,
        })),
      );
      await people.grantRelationships(
        trx,
        caseRelationships(theCase, theCase.area_id, agencyIds, context, now),
      );
      for (const agencyId of agencyIds)
        await collaborators.notifications?.enqueue(trx, context, {
          type: 'marac.research-request',
          to: { agencyId },
          reference: theCase.reference,
          subject: `Research requested for ${theCase.reference} before ${meeting.reference}`,
          link: `/marac/cases/${caseId}`,
          dueBy: dueAt,
        });
      await auditCase(trx, context, 'marac.case.list', theCase, casePersonIds(theCase), {
        meetingId,
        agencies: agencyIds.length,
      });
      return { researchDueAt: dueAt, agencyIds };
    },

    async start(trx: Trx, context: AuditContext, meetingId: string) {
      const meeting = await lockedMeeting(trx, context, meetingId);
      if (meeting.status !== 'scheduled') throw new ConflictError('The meeting has already started');
      await repo.setMeetingStarted(trx, meetingId, deps.now());
      await recordAudit(trx, context, {
        action: 'marac.meeting.start',
        subjectType: 'marac-meeting',
        subjectId: meetingId,
        areaId: meeting.area_id,
      });
    },

    /**
     * The chair records a case's discussion: the notes, a 'marac-discussion' event on the victim's
     * and each child's chronology, and (MARAC, not the panel) a MARAC flag on each of them.
     */
    async discuss(trx: Trx, context: AuditContext, caseId: string, notes: string) {
      const theCase = await repo.lockCase(trx, caseId);
      if (!theCase?.meeting_id) throw new NotFoundError('The case on a meeting');
      const meeting = await lockedMeeting(trx, context, theCase.meeting_id);
      if (meeting.status !== 'in-progress')
        throw new ConflictError('Start the meeting before recording discussions');
      if (!notes.trim())
        throw new ValidationError([{ field: 'notes', message: 'Enter the discussion notes' }]);
      const now = deps.now();
      await repo.setDiscussed(trx, caseId, notes.trim(), now);
      const discussed = [theCase.victim_person_id, ...theCase.child_person_ids];
      await chronology.record(
        trx,
        context,
        discussed.map((personId) => ({
          personId,
          areaId: theCase.area_id,
          type: 'marac-discussion' as const,
          occurredAt: now,
          significance: 'high' as const,
          summary: theCase.forum === 'marac' ? 'Discussed at MARAC' : 'Discussed at the domestic abuse panel',
          data: { victimIds: [theCase.victim_person_id], perpetratorIds: theCase.perpetrator_person_ids },
          subjectType: 'marac-case',
          subjectId: caseId,
        })),
      );
      if (theCase.forum === 'marac' && collaborators.flags) {
        const start = localDateOf(now, calendar);
        const review = localDateOf(
          new Date(
            new Date(`${start}T12:00:00Z`).setUTCMonth(
              new Date(`${start}T12:00:00Z`).getUTCMonth() + settings.flagReviewMonths,
            ),
          ),
          calendar,
        );
        const { contactPoint } = forumSettings(settings, await areaCode(theCase.area_id, trx), 'marac');
        for (const personId of discussed)
          await collaborators.flags.raise(trx, context, {
            personId,
            type: 'marac',
            start,
            review,
            contact: contactPoint,
            owningAgencyId: context.principal.agencyId!,
            source: { kind: 'marac-case', id: caseId },
          });
      }
      await auditCase(trx, context, 'marac.case.discuss', theCase, discussed);
    },

    /** An action of the case's plan, owned by an agency, through the shared actions module. */
    async addAction(
      trx: Trx,
      context: AuditContext,
      caseId: string,
      input: { ownerAgencyId: string; description: string; dueBy: Date },
    ) {
      const theCase = await repo.findCase(trx, caseId);
      if (!theCase) throw new NotFoundError('The case');
      coordinate(context, theCase.area_id, { type: 'marac-case', id: caseId });
      if (!collaborators.actions) throw new ConflictError('Actions are not available in this build');
      return collaborators.actions.create(trx, context, {
        source: caseSource(theCase),
        areaId: theCase.area_id,
        personIds: [theCase.victim_person_id, ...theCase.child_person_ids],
        ownerAgencyId: input.ownerAgencyId,
        description: input.description,
        dueBy: input.dueBy,
      });
    },

    /**
     * The chair records, during the meeting, where an earlier meeting's action stands. The action
     * itself stays its owner's to mark done; the review is the meeting's record of it.
     */
    async reviewAction(
      trx: Trx,
      context: AuditContext,
      meetingId: string,
      input: { actionId: string; status: string; note: string },
    ) {
      const meeting = await lockedMeeting(trx, context, meetingId);
      const errors: FieldError[] = [];
      const status = ACTION_REVIEW_STATUSES.find((s) => s.value === input.status)?.value;
      if (!status) errors.push({ field: 'status', message: 'Choose where the action stands' });
      if (input.note.length > 2000)
        errors.push({ field: 'note', message: 'Keep the note to 2,000 characters' });
      const action = (await actionsToReview(context, meeting, trx)).find((a) => a.id === input.actionId);
      if (!action)
        errors.push({ field: 'actionId', message: 'Choose an action of an earlier meeting to review' });
      if (errors.length) throw new ValidationError(errors);
      if (meeting.status !== 'in-progress')
        throw new ConflictError('Actions are reviewed during the meeting: start it first');
      await repo.recordReview(trx, {
        meeting_id: meetingId,
        case_id: action!.caseId,
        area_id: meeting.area_id,
        action_id: action!.id,
        status: status!,
        note: input.note.trim() || null,
        reviewed_at: deps.now(),
        reviewed_by_name: context.principal.name,
      });
      await recordAudit(trx, context, {
        action: 'marac.action.review',
        subjectType: 'marac-meeting',
        subjectId: meetingId,
        personIds: action!.personIds,
        areaId: meeting.area_id,
        details: { actionId: action!.id, status },
      });
    },

    /** The meeting ends: its minutes fall due N working days later; cases not heard go back to the queue. */
    async finish(trx: Trx, context: AuditContext, meetingId: string) {
      const meeting = await lockedMeeting(trx, context, meetingId);
      if (meeting.status !== 'in-progress') throw new ConflictError('The meeting is not in progress');
      const now = deps.now();
      const minutesDueAt = addWorkingDays(now, settings.minutesDueWorkingDays, calendar);
      await repo.setMeetingHeld(trx, meetingId, now, minutesDueAt);
      await repo.requeueUnheard(trx, meetingId);
      await recordAudit(trx, context, {
        action: 'marac.meeting.finish',
        subjectType: 'marac-meeting',
        subjectId: meetingId,
        areaId: meeting.area_id,
      });
      return { minutesDueAt };
    },

    async publishMinutes(trx: Trx, context: AuditContext, meetingId: string, minutes: string) {
      const meeting = await lockedMeeting(trx, context, meetingId);
      if (meeting.status !== 'held') throw new ConflictError('Minutes follow the meeting');
      if (!minutes.trim()) throw new ValidationError([{ field: 'minutes', message: 'Enter the minutes' }]);
      await repo.setMinutes(trx, meetingId, minutes.trim(), deps.now());
      const personIds = (await repo.casesOfMeeting(trx, meetingId)).flatMap((c) => [
        c.victim_person_id,
        ...c.child_person_ids,
      ]);
      await recordAudit(trx, context, {
        action: 'marac.meeting.minutes',
        subjectType: 'marac-meeting',
        subjectId: meetingId,
        personIds,
        areaId: meeting.area_id,
      });
    },

    /** The meeting with its agenda in order, for the coordinator or an agency taking part. */
    async view(context: AuditContext, meetingId: string) {
      const meeting = await repo.findMeeting(db, meetingId);
      if (!meeting) throw new NotFoundError('The meeting');
      const coordinating = decideInArea(context.principal, 'marac:coordinate', meeting.area_id).allowed;
      const participantAgencyIds = coordinating ? [] : await repo.participantAgencyIds(db, meetingId);
      const decision = decideMaracMeeting(context.principal, {
        areaId: meeting.area_id,
        participantAgencyIds,
      });
      if (!decision.allowed)
        throw new ForbiddenError('marac:view', decision.reason, {
          type: 'marac-meeting',
          id: meetingId,
          areaId: meeting.area_id,
        });
      const cases = await repo.casesOfMeeting(db, meetingId);
      const { minutesPerCase } = forumSettings(settings, await areaCode(meeting.area_id), meeting.forum);
      const agenda = agendaSlots(cases, new Date(meeting.starts_at), minutesPerCase);
      // The agencies taking part see the review too: the actions are part of the meeting.
      const reviews = await actionsToReview(context, meeting);
      await recordAudit(db, context, {
        action: 'marac.meeting.view',
        subjectType: 'marac-meeting',
        subjectId: meetingId,
        personIds: [
          ...new Set([
            ...cases.flatMap((c) => [c.victim_person_id, ...c.child_person_ids]),
            ...reviews.flatMap((r) => r.personIds),
          ]),
        ],
        areaId: meeting.area_id,
      });
      return {
        meeting,
        coordinating,
        agenda,
        reviews,
        minutes: minutesState(
          {
            minutesDueAt: meeting.minutes_due_at ? new Date(meeting.minutes_due_at) : null,
            minutesPublishedAt: meeting.minutes_published_at ? new Date(meeting.minutes_published_at) : null,
          },
          deps.now(),
        ),
      };
    },

    /** Meetings from a date: the coordinator's areas, and any an agency is taking part in. */
    async from(context: AuditContext, from: Date, forum?: Forum) {
      const { principal } = context;
      const areaIds = principal.areaIds.filter((a) => decideInArea(principal, 'marac:coordinate', a).allowed);
      const rows = await repo.meetingsFrom(db, {
        areaIds,
        agencyId: principal.agencyId,
        from,
        ...(forum ? { forum } : {}),
      });
      const now = deps.now();
      return rows.map((m) => ({
        ...m,
        minutes: minutesState(
          {
            minutesDueAt: m.minutes_due_at ? new Date(m.minutes_due_at) : null,
            minutesPublishedAt: m.minutes_published_at ? new Date(m.minutes_published_at) : null,
          },
          now,
        ),
      }));
    },
  };
}
