import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import { type Db, type Trx, transaction } from '../../db/database.ts';
import type { NoticeContent, NoticeKind } from '../../db/schema/encompass.ts';
import { nextSchoolDayStart, type SchoolCalendar } from '../../domain/calendar.ts';
import {
  escalationStage,
  type NoticeAddressee,
  noticeAddressee,
  releaseDeadline,
  SCHOOL_PHASES,
  type SchoolPhase,
  schoolAgencyCode,
  schoolFromGiasRow,
} from '../../domain/encompass.ts';
import { postcodeDistrict } from '../../domain/identifiers.ts';
import { TIME_ZONE } from '../../domain/time-zone.ts';
import {
  assertAllowed,
  decide,
  decideEncompassNotice,
  encompassNoticeScope,
  ForbiddenError,
  grantedScopes,
  isActive,
  type Relationship,
} from '../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { ConflictError, type FieldError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import type { Principal } from '../../platform/principal.ts';
import { type OutboxMessage, referenceFor } from '../actions/index.ts';
import type { ChronologyService } from '../chronology/service.ts';
import type { DirectoryService } from '../directory/service.ts';
import type { PeopleService } from '../people/service.ts';
import * as repo from './repository.ts';
import { encompassSettings, schoolCalendarFor } from './settings.ts';

/** Queues: release a notice held for review in time; escalate one left unacknowledged. */
export const ENCOMPASS_RELEASE_QUEUE = 'encompass.release';
export const ENCOMPASS_ESCALATION_QUEUE = 'encompass.escalate';

/**
 * The outbox message an Encompass notice sends: the reference and the link in the message, the
 * child's name and what happened only in `sensitiveDetail`, which a channel carries only where it
 * is configured as secure. Structurally the outbox's message with that field added.
 */
export interface EncompassOutboxMessage extends OutboxMessage {
  sensitiveDetail?: string;
}

export interface EncompassOutbox {
  enqueue(trx: Trx, context: AuditContext, message: EncompassOutboxMessage): Promise<{ id: string }>;
}

export interface EncompassCollaborators {
  directory: DirectoryService;
  people: PeopleService;
  chronology: ChronologyService;
  outbox: EncompassOutbox | null;
}

/** One child of a DAN, as the front door hands it over in the intake transaction. */
export interface DanChildForNotice {
  personId: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  unborn: boolean;
  homeEducated: boolean;
  /** The school the DAN names: a Harbour school agency, or by name only (outside the partnership). */
  schoolAgencyId: string | null;
  schoolNamedOutside: boolean;
  present: boolean;
  witnessed: boolean;
  injured: boolean;
  childSaid: string | null;
}

export interface DanForNotices {
  contactId: string;
  areaId: string;
  policeReference: string;
  occurredAt: Date;
  place: string;
  circumstances: string;
  children: DanChildForNotice[];
}

export interface CreatedNotice {
  id: string;
  schoolAgencyId: string | 'local-authority';
  dueBy: string;
}

export interface AcknowledgementInput {
  actionTaken: string;
  supportOffered: boolean;
  loggedOnSchoolSystem: boolean;
}

export interface EpisodeInput {
  personId: string;
  kind: 'custody' | 'missing';
  policeReference: string;
  occurredAt: string;
  place: string;
  summary: string;
}

export type NoticeRow = NonNullable<Awaited<ReturnType<typeof repo.findNotice>>>;

const MINUTE = 60_000;
const TEXT_MAX = 4000;

function trimmed(value: string | undefined | null): string {
  return (value ?? '').trim();
}

/** The child-focused summary a notice carries: what happened around the child, not the adults' case. */
function childFocusedSummary(child: DanChildForNotice, circumstances: string): string {
  const who = child.givenName || 'The child';
  const parts = [
    child.present
      ? `${who} was present at the incident.`
      : `${who} was not present at the incident but lives in the household.`,
  ];
  if (child.witnessed) parts.push(`${who} saw or heard what happened.`);
  if (child.injured) parts.push(`${who} was injured.`);
  parts.push(`Police attended a domestic abuse incident: ${circumstances.trim().slice(0, 1000)}`);
  parts.push('The school should offer support in school. Do not approach the parents about this notice.');
  return parts.join(' ');
}

export function encompassService(
  deps: Deps,
  { directory, people, chronology, outbox }: EncompassCollaborators,
) {
  const { db } = deps;
  const settings = () => encompassSettings(deps);

  /** The area's school calendar: the partnership file's, and what administrators added. */
  async function calendarOf(areaId: string, conn: Db | Trx = db): Promise<SchoolCalendar> {
    const [code, days] = await Promise.all([
      directory.areaCode(areaId, conn),
      repo.calendarDays(conn, areaId),
    ]);
    return schoolCalendarFor(settings(), code ?? '', {
      terms: days.filter((d) => d.kind === 'term').map((d) => ({ start: d.starts_on, end: d.ends_on })),
      insetDays: days.filter((d) => d.kind === 'inset').flatMap((d) => datesBetween(d.starts_on, d.ends_on)),
    });
  }

  /** The agency whose education safeguarding officer receives the area's local-authority notices. */
  async function localAuthorityAgency(areaId: string, conn: Db | Trx): Promise<string> {
    const code = await directory.areaCode(areaId, conn);
    const configured = code ? settings().areas[code]?.localAuthorityAgencyCode : undefined;
    if (configured) {
      const [agency] = await directory.agenciesByCode([configured], conn);
      if (agency) return agency.id;
    }
    const [csc] = await directory.agencyIdsServingArea(areaId, 'childrens_social_care', conn);
    if (!csc)
      throw new Error(
        `No local authority agency serves area ${areaId}: set encompass.areas.<code>.localAuthorityAgencyCode`,
      );
    return csc;
  }

  async function agencyName(agencyId: string, conn: Db | Trx) {
    const [agency] = await directory.agenciesByIds([agencyId], conn);
    return agency?.name ?? 'Unknown agency';
  }

  /** Every job, message and relationship a new notice needs, in the caller's transaction. */
  async function afterCreate(
    trx: Trx,
    context: AuditContext,
    notice: { id: string; reference: string; areaId: string; personId: string; contactId: string | null },
    at: {
      addressee: NoticeAddressee;
      addresseeAgencyId: string;
      dueBy: Date;
      releaseBy: Date | null;
      content: NoticeContent;
    },
  ) {
    const principal = context.principal;
    if (at.addressee.kind === 'school') {
      // The school opens the child's record through a relationship recorded as data (decision 0008),
      // with this notice as its provenance.
      const held = (await people.accessResources([notice.personId], trx)).get(notice.personId);
      const asOf = deps.now();
      const already = held?.relationships.some(
        (r) => r.agencyId === at.addresseeAgencyId && r.basis === 'school-on-roll' && isActive(r, asOf),
      );
      if (!already)
        await people.grantRelationships(trx, [
          {
            personId: notice.personId,
            areaId: notice.areaId,
            agencyId: at.addresseeAgencyId,
            basis: 'school-on-roll',
            contactId: notice.contactId,
            episodeType: 'encompass-notice',
            episodeId: notice.id,
            grantedByAgencyId: principal.agencyId,
            grantedByName: principal.name,
            grantedAt: asOf,
          },
        ]);
    }
    const school =
      at.addressee.kind === 'school' ? await repo.schoolByAgency(trx, at.addresseeAgencyId) : null;
    await outbox?.enqueue(trx, context, {
      type: 'encompass.notice',
      areaId: notice.areaId,
      personIds: [notice.personId],
      to: {
        agencyId: at.addresseeAgencyId,
        ...(school?.key_adult_user_id ? { userId: school.key_adult_user_id } : {}),
      },
      reference: notice.reference,
      subject: `Operation Encompass notice ${notice.reference}: open it in Harbour before the school day starts`,
      link: `/encompass/notices/${notice.id}`,
      dueBy: at.dueBy,
      sensitiveDetail: `${at.content.childName} (born ${at.content.dateOfBirth ?? 'date not known'}): ${at.content.summary}`,
    });
    if (deps.jobs) {
      if (at.releaseBy)
        await deps.jobs.enqueue(
          trx,
          ENCOMPASS_RELEASE_QUEUE,
          { noticeId: notice.id },
          { startAfter: at.releaseBy, singletonKey: `release:${notice.id}` },
        );
      await deps.jobs.enqueue(
        trx,
        ENCOMPASS_ESCALATION_QUEUE,
        { noticeId: notice.id },
        {
          startAfter: new Date(at.dueBy.getTime() + settings().escalation.deputyAfterMinutes * MINUTE),
          singletonKey: `escalate:${notice.id}:deputy`,
        },
      );
    }
    await recordAudit(trx, context, {
      action: 'encompass.notice-create',
      subjectType: 'encompass-notice',
      subjectId: notice.id,
      personIds: [notice.personId],
      areaId: notice.areaId,
      details: {
        reference: notice.reference,
        addressee: at.addressee.kind === 'school' ? at.addresseeAgencyId : 'local-authority',
        ...(at.addressee.kind === 'local-authority' ? { reason: at.addressee.reason } : {}),
        dueBy: at.dueBy.toISOString(),
      },
    });
  }

  /** Held for the force's review (where configured) until it is reviewed or its release time comes. */
  function holdFor(dueBy: Date): { status: 'awaiting-review' | 'released'; releaseBy: Date | null } {
    const review = settings().officerReview;
    if (!review.required) return { status: 'released', releaseBy: null };
    const releaseBy = releaseDeadline(dueBy, review.releaseBeforeDueMinutes);
    if (releaseBy.getTime() <= deps.now().getTime()) return { status: 'released', releaseBy: null };
    return { status: 'awaiting-review', releaseBy };
  }

  async function insertOne(
    trx: Trx,
    context: AuditContext,
    input: {
      kind: NoticeKind;
      areaId: string;
      contactId: string | null;
      personId: string;
      addressee: NoticeAddressee;
      policeReference: string;
      occurredAt: Date;
      content: Omit<NoticeContent, 'addresseeName'>;
      calendar: SchoolCalendar;
    },
  ) {
    const addresseeAgencyId =
      input.addressee.kind === 'school'
        ? input.addressee.schoolAgencyId
        : await localAuthorityAgency(input.areaId, trx);
    const dueBy = nextSchoolDayStart(input.occurredAt, input.calendar);
    const hold = holdFor(dueBy);
    const content: NoticeContent = {
      ...input.content,
      addresseeName: await agencyName(addresseeAgencyId, trx),
    };
    const id = crypto.randomUUID();
    const reference = referenceFor('OE', id);
    const [row] = await repo.insertNotices(trx, [
      {
        id,
        reference,
        area_id: input.areaId,
        kind: input.kind,
        contact_id: input.contactId,
        person_id: input.personId,
        school_agency_id: input.addressee.kind === 'school' ? addresseeAgencyId : null,
        addressee_agency_id: addresseeAgencyId,
        la_reason: input.addressee.kind === 'local-authority' ? input.addressee.reason : null,
        source_agency_id: context.principal.agencyId,
        police_reference: input.policeReference,
        occurred_at: input.occurredAt,
        content,
        due_by: dueBy,
        status: hold.status,
        release_by: hold.releaseBy,
        released_at: hold.status === 'released' ? deps.now() : null,
        created_by_name: context.principal.name,
        created_at: deps.now(),
      },
    ]);
    await afterCreate(
      trx,
      context,
      { id, reference, areaId: input.areaId, personId: input.personId, contactId: input.contactId },
      { addressee: input.addressee, addresseeAgencyId, dueBy, releaseBy: hold.releaseBy, content },
    );
    return { id: row!.id, schoolAgencyId: row!.school_agency_id ?? ('local-authority' as const), dueBy };
  }

  function schoolsOnRoll(held: readonly Relationship[] | undefined) {
    const asOf = deps.now();
    return (held ?? [])
      .filter((r) => r.basis === 'school-on-roll' && isActive(r, asOf))
      .map((r) => r.agencyId);
  }

  /**
   * The DAN intake's collaborator: one notice for every child of school age on it, present or
   * not, in the intake's transaction (a DAN that fails writes none).
   */
  async function createForDan(trx: Trx, context: AuditContext, dan: DanForNotices): Promise<CreatedNotice[]> {
    const rule = settings().schoolAge;
    const calendar = await calendarOf(dan.areaId, trx);
    const incidentDate = DateTime.fromJSDate(dan.occurredAt, { zone: TIME_ZONE }).toISODate()!;
    const held = await people.accessResources(
      dan.children.map((c) => c.personId),
      trx,
    );
    const created: CreatedNotice[] = [];
    for (const child of dan.children) {
      const addressee = noticeAddressee(
        {
          unborn: child.unborn,
          dateOfBirth: child.dateOfBirth,
          homeEducated: child.homeEducated,
          namedSchoolAgencyId: child.schoolAgencyId,
          namedSchoolOutsidePartnership: child.schoolNamedOutside,
          schoolOnRollAgencyIds: schoolsOnRoll(held.get(child.personId)?.relationships),
        },
        incidentDate,
        rule,
      );
      if (!addressee) continue;
      const notice = await insertOne(trx, context, {
        kind: 'incident',
        areaId: dan.areaId,
        contactId: dan.contactId,
        personId: child.personId,
        addressee,
        policeReference: dan.policeReference,
        occurredAt: dan.occurredAt,
        calendar,
        content: {
          childName: `${child.givenName} ${child.familyName}`.trim(),
          dateOfBirth: child.dateOfBirth,
          policeReference: dan.policeReference,
          occurredAt: dan.occurredAt.toISOString(),
          place: dan.place,
          present: child.present,
          witnessed: child.witnessed,
          childSaid: child.childSaid,
          summary: childFocusedSummary(child, dan.circumstances),
          doNotApproachParents: true,
        },
      });
      created.push({ ...notice, dueBy: notice.dueBy.toISOString() });
    }
    return created;
  }

  function parties(notice: NoticeRow) {
    return {
      areaId: notice.area_id,
      addresseeAgencyId: notice.addressee_agency_id,
      sourceAgencyId: notice.source_agency_id,
      heldForReview: notice.status === 'awaiting-review',
    };
  }

  function visible(principal: Principal, notice: NoticeRow): boolean {
    return decideEncompassNotice(principal, 'encompass:view', parties(notice)).allowed;
  }

  async function loadVisible(context: AuditContext, id: string) {
    const notice = await repo.findNotice(db, id);
    if (!notice) throw new NotFoundError('The notice');
    const subject = {
      type: 'encompass-notice',
      id,
      personIds: [notice.person_id],
      areaId: notice.area_id,
    };
    const decision = decideEncompassNotice(context.principal, 'encompass:view', parties(notice));
    if (!decision.allowed) throw new ForbiddenError('encompass:view', decision.reason, subject);
    return { notice, subject };
  }

  function acknowledgementErrors(input: AcknowledgementInput): FieldError[] {
    const errors: FieldError[] = [];
    if (!trimmed(input.actionTaken))
      errors.push({
        field: 'actionTaken',
        message: 'Enter what the school did, for example the support offered',
      });
    else if (input.actionTaken.length > TEXT_MAX)
      errors.push({
        field: 'actionTaken',
        message: `What the school did must be ${TEXT_MAX} characters or fewer`,
      });
    if (typeof input.supportOffered !== 'boolean')
      errors.push({ field: 'supportOffered', message: 'Select yes if the school offered the child support' });
    if (typeof input.loggedOnSchoolSystem !== 'boolean')
      errors.push({
        field: 'loggedOnSchoolSystem',
        message: 'Select yes if the notice is logged on the school’s own safeguarding system',
      });
    return errors;
  }

  async function escalate(noticeId: string): Promise<'deputy' | 'local-authority' | null> {
    return transaction(db, async (trx) => {
      const notice = await repo.lockNotice(trx, noticeId);
      if (!notice || notice.status === 'acknowledged') return null;
      const rule = settings().escalation;
      const now = deps.now();
      const stage = escalationStage(new Date(notice.due_by), now, rule);
      if (!stage || stage === notice.escalation_stage) return null;
      if (notice.escalation_stage === 'local-authority') return null;
      const context: AuditContext = { principal: escalationPrincipal };
      const agencyIds: string[] = [];
      const userIds: string[] = [];
      if (stage === 'deputy') {
        agencyIds.push(notice.addressee_agency_id);
        const school = notice.school_agency_id
          ? await repo.schoolByAgency(trx, notice.school_agency_id)
          : null;
        userIds.push(...(school?.deputy_user_ids ?? []));
      } else {
        const la = await localAuthorityAgency(notice.area_id, trx);
        agencyIds.push(la);
        if (notice.source_agency_id && notice.source_agency_id !== la)
          agencyIds.push(notice.source_agency_id);
      }
      await repo.recordEscalation(trx, {
        notice_id: notice.id,
        area_id: notice.area_id,
        stage,
        notified_agency_ids: agencyIds,
        notified_user_ids: userIds,
        at: now,
      });
      const recipients =
        userIds.length > 0
          ? userIds.map((userId) => ({ agencyId: notice.addressee_agency_id, userId }))
          : agencyIds.map((agencyId) => ({ agencyId }));
      for (const to of recipients)
        await outbox?.enqueue(trx, context, {
          type: 'encompass.escalation',
          areaId: notice.area_id,
          personIds: [notice.person_id],
          to,
          reference: notice.reference,
          subject: `Operation Encompass notice ${notice.reference} has not been acknowledged`,
          link: `/encompass/notices/${notice.id}`,
          dueBy: new Date(notice.due_by),
        });
      if (stage === 'deputy' && deps.jobs)
        await deps.jobs.enqueue(
          trx,
          ENCOMPASS_ESCALATION_QUEUE,
          { noticeId: notice.id },
          {
            startAfter: new Date(
              new Date(notice.due_by).getTime() + rule.localAuthorityAfterMinutes * MINUTE,
            ),
            singletonKey: `escalate:${notice.id}:local-authority`,
          },
        );
      await recordAudit(trx, context, {
        action: 'encompass.notice-escalate',
        subjectType: 'encompass-notice',
        subjectId: notice.id,
        personIds: [notice.person_id],
        areaId: notice.area_id,
        details: { stage, agencies: agencyIds, users: userIds },
      });
      return stage;
    });
  }

  return {
    calendarOf,
    createForDan,
    escalate,

    /** The due time a notice about an incident at this instant would have in the area. */
    async dueByFor(areaId: string, occurredAt: Date) {
      return nextSchoolDayStart(occurredAt, await calendarOf(areaId));
    },

    /** Notices the caller may see, soonest due first; reading them is audited with their children. */
    async list(
      context: AuditContext,
      query: {
        status?: 'unacknowledged' | 'acknowledged' | 'awaiting-review' | 'all';
        page?: number;
        pageSize?: number;
      },
    ) {
      const principal = context.principal;
      const scope = encompassNoticeScope(principal, 'encompass:view');
      if (!scope)
        throw new ForbiddenError('encompass:view', 'no role held grants encompass:view', {
          type: 'encompass-notice',
        });
      const pageSize = Math.min(Math.max(query.pageSize ?? 25, 1), 100);
      const page = Math.max(query.page ?? 1, 1);
      // An addressee sees held notices only once released; its area and the sender see them at once.
      const { rows, total } = await repo.listNotices(db, {
        areaIds: scope.areaIds,
        agencyId: scope.agencyId,
        status: query.status ?? 'all',
        includeHeld: scope.areaIds.length > 0 || principal.agencyKind === 'police',
        limit: pageSize,
        offset: (page - 1) * pageSize,
      });
      const shown = rows.filter((n) => visible(principal, n));
      if (shown.length > 0)
        await recordAudit(db, context, {
          action: 'encompass.notice-list',
          subjectType: 'encompass-notice',
          personIds: [...new Set(shown.map((n) => n.person_id))],
          details: { status: query.status ?? 'all', page, count: shown.length },
        });
      return { rows: shown, total, page, pageSize };
    },

    /** One notice, for its addressee, its sender and its area; the read is audited. */
    async view(context: AuditContext, id: string) {
      const { notice, subject } = await loadVisible(context, id);
      const escalations = await repo.escalationsOf(db, id);
      await recordAudit(db, context, {
        action: 'encompass.notice-view',
        subjectType: subject.type,
        subjectId: id,
        personIds: subject.personIds,
        areaId: subject.areaId,
      });
      const p = context.principal;
      return {
        notice,
        escalations,
        may: {
          acknowledge:
            notice.status === 'released' &&
            decideEncompassNotice(p, 'encompass:acknowledge', parties(notice)).allowed,
          review:
            notice.status === 'awaiting-review' &&
            decideEncompassNotice(p, 'encompass:review', parties(notice)).allowed,
          openRecord: decide(
            p,
            'person:view',
            (await people.accessResources([notice.person_id])).get(notice.person_id) ?? {},
          ).allowed,
        },
      };
    },

    /** The key adult acknowledges the notice with what the school did; one transaction, audited. */
    async acknowledge(context: AuditContext, id: string, input: AcknowledgementInput) {
      const notice = await repo.findNotice(db, id);
      if (!notice) throw new NotFoundError('The notice');
      const subject = { type: 'encompass-notice', id, personIds: [notice.person_id], areaId: notice.area_id };
      const decision = decideEncompassNotice(context.principal, 'encompass:acknowledge', parties(notice));
      if (!decision.allowed || notice.status === 'awaiting-review')
        throw new ForbiddenError(
          'encompass:acknowledge',
          decision.allowed ? 'the notice is held for the force’s review' : decision.reason,
          subject,
        );
      const errors = acknowledgementErrors(input);
      if (errors.length > 0) throw new ValidationError(errors);
      return transaction(db, async (trx) => {
        const done = await repo.acknowledgeNotice(trx, id, {
          acknowledged_at: deps.now(),
          acknowledged_by_user_id: context.principal.channel === 'web' ? context.principal.userId : null,
          acknowledged_by_name: context.principal.name,
          action_taken: input.actionTaken.trim(),
          support_offered: input.supportOffered,
          logged_on_school_system: input.loggedOnSchoolSystem,
        });
        if (!done) throw new ConflictError('The notice has already been acknowledged');
        await recordAudit(trx, context, {
          action: 'encompass.notice-acknowledge',
          subjectType: subject.type,
          subjectId: id,
          personIds: subject.personIds,
          areaId: subject.areaId,
          details: { supportOffered: input.supportOffered, loggedOnSchoolSystem: input.loggedOnSchoolSystem },
        });
        return { id, acknowledgedAt: new Date(done.acknowledged_at!) };
      });
    },

    /** The force's Encompass lead reviews the child-focused summary and releases the notice. */
    async review(context: AuditContext, id: string, input: { summary: string }) {
      const notice = await repo.findNotice(db, id);
      if (!notice) throw new NotFoundError('The notice');
      const subject = { type: 'encompass-notice', id, personIds: [notice.person_id], areaId: notice.area_id };
      const decision = decideEncompassNotice(context.principal, 'encompass:review', parties(notice));
      if (!decision.allowed) throw new ForbiddenError('encompass:review', decision.reason, subject);
      const summary = trimmed(input.summary);
      if (!summary)
        throw new ValidationError([{ field: 'summary', message: 'Enter the child-focused summary' }]);
      if (summary.length > TEXT_MAX)
        throw new ValidationError([
          { field: 'summary', message: `The summary must be ${TEXT_MAX} characters or fewer` },
        ]);
      return transaction(db, async (trx) => {
        const content = { ...(notice.content as NoticeContent), summary };
        const released = await repo.releaseNotice(trx, id, {
          released_at: deps.now(),
          reviewed_by_name: context.principal.name,
          content,
        });
        if (!released) throw new ConflictError('The notice has already been released');
        await recordAudit(trx, context, {
          action: 'encompass.notice-review',
          subjectType: subject.type,
          subjectId: id,
          personIds: subject.personIds,
          areaId: subject.areaId,
        });
        return { id };
      });
    },

    /** The release job: a notice nobody reviewed goes as written, so review never makes it late. */
    async releaseIfHeld(noticeId: string) {
      return transaction(db, async (trx) => {
        const notice = await repo.lockNotice(trx, noticeId);
        if (notice?.status !== 'awaiting-review') return false;
        await repo.releaseNotice(trx, noticeId, { released_at: deps.now(), reviewed_by_name: null });
        await recordAudit(
          trx,
          { principal: escalationPrincipal },
          {
            action: 'encompass.notice-release',
            subjectType: 'encompass-notice',
            subjectId: noticeId,
            personIds: [notice.person_id],
            areaId: notice.area_id,
            details: { reviewed: false },
          },
        );
        return true;
      });
    },

    /**
     * A custody or missing episode recorded by police, shared with the child's school by the same
     * channel (F29): on the child's chronology, shared with the school by name, and a notice.
     */
    async shareEpisode(context: AuditContext, input: EpisodeInput) {
      const errors: FieldError[] = [];
      if (!trimmed(input.policeReference))
        errors.push({ field: 'policeReference', message: 'Enter the police reference' });
      else if (input.policeReference.length > 40)
        errors.push({
          field: 'policeReference',
          message: 'The police reference must be 40 characters or fewer',
        });
      const occurredAt = new Date(input.occurredAt);
      if (!input.occurredAt || Number.isNaN(occurredAt.getTime()))
        errors.push({ field: 'occurredAt', message: 'Enter when the episode began' });
      else if (occurredAt.getTime() > deps.now().getTime())
        errors.push({ field: 'occurredAt', message: 'When the episode began must be in the past' });
      if (!trimmed(input.place)) errors.push({ field: 'place', message: 'Enter where the episode happened' });
      if (!trimmed(input.summary))
        errors.push({ field: 'summary', message: 'Enter a child-focused summary' });
      else if (input.summary.length > TEXT_MAX)
        errors.push({ field: 'summary', message: `The summary must be ${TEXT_MAX} characters or fewer` });
      if (!['custody', 'missing'].includes(input.kind))
        errors.push({ field: 'kind', message: 'Select custody or missing' });
      const [person] = await people.peopleByIds([input.personId]);
      if (!person) throw new NotFoundError('The person');
      assertAllowed(
        context.principal,
        'encompass:share',
        { areaId: person.area_id, relationships: [] },
        {
          type: 'person',
          id: person.id,
          personIds: [person.id],
          areaId: person.area_id,
        },
      );
      if (errors.length > 0) throw new ValidationError(errors);
      return transaction(db, async (trx) => {
        const held = (await people.accessResources([person.id], trx)).get(person.id);
        const onRoll = schoolsOnRoll(held?.relationships);
        const addressee: NoticeAddressee = onRoll[0]
          ? { kind: 'school', schoolAgencyId: onRoll[0], source: 'record' }
          : { kind: 'local-authority', reason: 'no-school' };
        const label = input.kind === 'custody' ? 'held in police custody' : 'reported missing';
        const notice = await insertOne(trx, context, {
          kind: input.kind,
          areaId: person.area_id,
          contactId: null,
          personId: person.id,
          addressee,
          policeReference: input.policeReference.trim(),
          occurredAt,
          calendar: await calendarOf(person.area_id, trx),
          content: {
            childName: `${person.given_name ?? ''} ${person.family_name ?? ''}`.trim(),
            dateOfBirth: person.date_of_birth,
            policeReference: input.policeReference.trim(),
            occurredAt: occurredAt.toISOString(),
            place: input.place.trim(),
            present: null,
            witnessed: null,
            childSaid: null,
            summary: `The child was ${label}. ${input.summary.trim()} Do not approach the parents about this notice.`,
            doNotApproachParents: true,
          },
        });
        await chronology.record(trx, context, [
          {
            personId: person.id,
            areaId: person.area_id,
            type: input.kind === 'custody' ? 'custody-episode' : 'other',
            occurredAt,
            significance: 'medium',
            summary: `${input.kind === 'custody' ? 'Held in police custody' : 'Missing episode'} (${input.policeReference.trim()}); shared with ${addressee.kind === 'school' ? 'the school' : 'the local authority'} by Operation Encompass.`,
            data: input.kind === 'custody' ? { schoolInformed: addressee.kind === 'school' } : {},
            subjectType: 'encompass-notice',
            subjectId: notice.id,
            sharedWithAgencyIds: [
              notice.schoolAgencyId === 'local-authority'
                ? await localAuthorityAgency(person.area_id, trx)
                : notice.schoolAgencyId,
            ],
          },
        ]);
        return { id: notice.id, schoolAgencyId: notice.schoolAgencyId, dueBy: notice.dueBy.toISOString() };
      });
    },

    /** Notices by school since a date, with acknowledgement times: for the MASH, the force and analysts. */
    async report(context: AuditContext, since: Date) {
      const scopes = grantedScopes(context.principal, 'encompass:report');
      if (!scopes.includes('area'))
        throw new ForbiddenError('encompass:report', 'no role held grants encompass:report', {
          type: 'encompass-report',
        });
      const rows = await repo.reportByAddressee(db, context.principal.areaIds, since);
      const agencies = await directory.agenciesByIds([...new Set(rows.map((r) => r.addressee_agency_id))]);
      const names = new Map(agencies.map((a) => [a.id, a.name]));
      await recordAudit(db, context, {
        action: 'encompass.report-view',
        subjectType: 'encompass-report',
        details: { since: since.toISOString() },
      });
      return rows
        .map((r) => ({
          addresseeAgencyId: r.addressee_agency_id,
          addressee: `${names.get(r.addressee_agency_id) ?? 'Unknown agency'}${r.school_agency_id ? '' : ' (local authority)'}`,
          notices: Number(r.notices),
          acknowledged: Number(r.acknowledged),
          unacknowledged: Number(r.unacknowledged),
          acknowledgedLate: Number(r.acknowledged_late),
          meanMinutes: r.mean_minutes === null ? null : Math.round(Number(r.mean_minutes)),
          maxMinutes: r.max_minutes === null ? null : Math.round(Number(r.max_minutes)),
        }))
        .sort((a, b) => a.addressee.localeCompare(b.addressee));
    },

    /** What the home panel shows an addressee: how many notices wait, and the soonest due. */
    async waitingFor(principal: Principal) {
      if (!principal.agencyId) return { count: 0, earliest: null, soonest: [] };
      return repo.unacknowledgedCount(db, principal.agencyId);
    },

    noticesOfContact: (contactId: string) => repo.noticesOfContact(db, contactId),

    // --- the schools directory -----------------------------------------------------------

    async listSchools(context: AuditContext) {
      assertAllowed(context.principal, 'encompass:administer');
      const [rows, agencies] = await Promise.all([repo.listSchools(db), directory.listAgencies()]);
      const byId = new Map(rows.map((r) => [r.agency_id, r]));
      return agencies
        .filter((a) => a.kind === 'school')
        .map((a) => ({
          agencyId: a.id,
          code: a.code,
          name: a.name,
          area: a.area_name,
          school: byId.get(a.id) ?? null,
        }));
    },

    async school(context: AuditContext, agencyId: string) {
      assertAllowed(context.principal, 'encompass:administer');
      const [agency] = await directory.agenciesByIds([agencyId]);
      if (agency?.kind !== 'school') throw new NotFoundError('The school');
      const [school, users] = await Promise.all([
        repo.schoolByAgency(db, agencyId),
        directory.usersOfAgency(agencyId),
      ]);
      return { agency, school: school ?? null, users };
    },

    /** The key adult, deputies and contact details of a school (its URN and ages come from the import). */
    async saveSchool(
      context: AuditContext,
      agencyId: string,
      input: {
        urn: string;
        phase: string;
        statutoryLowAge: string;
        statutoryHighAge: string;
        postcode: string;
        keyAdultUserId: string;
        deputyUserIds: string[];
        contactEmail: string;
        contactPhone: string;
        address: string;
      },
    ) {
      assertAllowed(context.principal, 'encompass:administer');
      const [agency] = await directory.agenciesByIds([agencyId]);
      if (agency?.kind !== 'school') throw new NotFoundError('The school');
      const users = await directory.usersOfAgency(agencyId);
      const userIds = new Set(users.map((u) => u.id));
      const record = schoolFromGiasRow({
        URN: input.urn,
        EstablishmentName: agency.name,
        'PhaseOfEducation (name)': SCHOOL_PHASES[input.phase as SchoolPhase] ?? '',
        StatutoryLowAge: input.statutoryLowAge,
        StatutoryHighAge: input.statutoryHighAge,
        Postcode: input.postcode,
      });
      const errors: FieldError[] = [];
      const fieldOf: Record<string, string> = {
        URN: 'urn',
        PhaseOfEducation: 'phase',
        StatutoryLowAge: 'statutoryLowAge',
        StatutoryHighAge: 'statutoryHighAge',
        Postcode: 'postcode',
      };
      if (Array.isArray(record))
        for (const problem of record) {
          const column = Object.keys(fieldOf).find((c) => problem.startsWith(c));
          if (column)
            errors.push({
              field: fieldOf[column]!,
              message: problem.replace(/^PhaseOfEducation \(name\)/, 'Phase'),
            });
        }
      if (input.keyAdultUserId && !userIds.has(input.keyAdultUserId))
        errors.push({ field: 'keyAdultUserId', message: 'Choose the key adult from the school’s users' });
      const deputies = [...new Set(input.deputyUserIds.filter(Boolean))];
      if (deputies.some((d) => !userIds.has(d)))
        errors.push({ field: 'deputyUserIds', message: 'Choose deputies from the school’s users' });
      if (deputies.includes(input.keyAdultUserId))
        errors.push({ field: 'deputyUserIds', message: 'The key adult cannot also be a deputy' });
      const email = trimmed(input.contactEmail);
      if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
        errors.push({
          field: 'contactEmail',
          message: 'Enter an email address in the correct format, like dsl@school.example',
        });
      if (trimmed(input.contactPhone).length > 40)
        errors.push({ field: 'contactPhone', message: 'The phone number must be 40 characters or fewer' });
      if (trimmed(input.address).length > 500)
        errors.push({ field: 'address', message: 'The address must be 500 characters or fewer' });
      const area = Array.isArray(record)
        ? null
        : await directory.areaForPostcodeDistrict(postcodeDistrict(record.postcode) ?? '');
      if (!Array.isArray(record) && !area)
        errors.push({ field: 'postcode', message: 'The postcode is not in one of the partnership’s areas' });
      const clash = Array.isArray(record) ? null : await repo.schoolByUrn(db, record.urn);
      if (clash && clash.agency_id !== agencyId)
        errors.push({ field: 'urn', message: 'Another school already has this URN' });
      if (errors.length > 0 || Array.isArray(record) || !area) throw new ValidationError(errors);
      return transaction(db, async (trx) => {
        const now = deps.now();
        await repo.upsertSchool(trx, {
          agency_id: agencyId,
          area_id: area.id,
          urn: record.urn,
          phase: record.phase,
          statutory_low_age: record.statutoryLowAge,
          statutory_high_age: record.statutoryHighAge,
          postcode: record.postcode,
          updated_at: now,
          updated_by_name: context.principal.name,
        });
        await repo.updateSchoolContacts(trx, agencyId, {
          key_adult_user_id: input.keyAdultUserId || null,
          deputy_user_ids: deputies,
          contact_email: email || null,
          contact_phone: trimmed(input.contactPhone) || null,
          address: trimmed(input.address) || null,
          updated_at: now,
          updated_by_name: context.principal.name,
        });
        await recordAudit(trx, context, {
          action: 'encompass.school-update',
          subjectType: 'agency',
          subjectId: agencyId,
          details: { urn: record.urn, keyAdult: input.keyAdultUserId || null, deputies: deputies.length },
        });
      });
    },

    /**
     * `harbour import schools`: the DfE "Get Information about Schools" extract, upserted by URN
     * in one transaction. Every row gets a line of the report; a row with problems changes nothing.
     */
    async importSchools(context: AuditContext, csv: string) {
      let rows: Record<string, string>[];
      try {
        rows = parse(csv, { columns: true, skip_empty_lines: true, trim: true, bom: true });
      } catch (error) {
        throw new ValidationError([
          { field: 'file', message: `The file is not CSV: ${(error as Error).message}` },
        ]);
      }
      const required = [
        'URN',
        'EstablishmentName',
        'PhaseOfEducation (name)',
        'StatutoryLowAge',
        'StatutoryHighAge',
        'Postcode',
      ];
      const missing = required.filter((c) => rows.length > 0 && !(c in rows[0]!));
      if (missing.length > 0)
        throw new ValidationError([
          { field: 'file', message: `The file has no column ${missing.join(', ')}` },
        ]);
      const report: {
        line: number;
        urn: string;
        outcome: 'created' | 'updated' | 'unchanged' | 'rejected';
        detail: string;
      }[] = [];
      const seen = new Set<string>();
      await transaction(db, async (trx) => {
        for (const [i, row] of rows.entries()) {
          const line = i + 2;
          const record = schoolFromGiasRow(row);
          const urn = (row.URN ?? '').trim();
          if (Array.isArray(record)) {
            report.push({ line, urn, outcome: 'rejected', detail: record.join('; ') });
            continue;
          }
          if (seen.has(record.urn)) {
            report.push({ line, urn, outcome: 'rejected', detail: 'The URN appears earlier in the file' });
            continue;
          }
          seen.add(record.urn);
          const area = await directory.areaForPostcodeDistrict(postcodeDistrict(record.postcode) ?? '', trx);
          if (!area) {
            report.push({
              line,
              urn,
              outcome: 'rejected',
              detail: 'Postcode is outside the partnership’s areas',
            });
            continue;
          }
          const existing = await repo.schoolByUrn(trx, record.urn);
          const code = existing ? null : schoolAgencyCode(record.urn);
          const agency = existing
            ? { id: existing.agency_id, created: false, notSchool: false }
            : await directory.upsertSchoolAgency(trx, { code: code!, name: record.name, areaId: area.id });
          if (agency.notSchool) {
            report.push({
              line,
              urn,
              outcome: 'rejected',
              detail: `Agency ${code} exists and is not a school`,
            });
            continue;
          }
          if (existing)
            await directory.upsertSchoolAgency(trx, {
              code: (await directory.agenciesByIds([existing.agency_id], trx))[0]!.code,
              name: record.name,
              areaId: area.id,
            });
          const same =
            existing &&
            existing.phase === record.phase &&
            existing.statutory_low_age === record.statutoryLowAge &&
            existing.statutory_high_age === record.statutoryHighAge &&
            existing.postcode === record.postcode &&
            existing.area_id === area.id;
          if (same) {
            report.push({ line, urn, outcome: 'unchanged', detail: record.name });
            continue;
          }
          await repo.upsertSchool(trx, {
            agency_id: agency.id,
            area_id: area.id,
            urn: record.urn,
            phase: record.phase,
            statutory_low_age: record.statutoryLowAge,
            statutory_high_age: record.statutoryHighAge,
            postcode: record.postcode,
            updated_at: deps.now(),
            updated_by_name: context.principal.name,
          });
          report.push({
            line,
            urn,
            outcome: existing ? 'updated' : 'created',
            detail: `${record.name} (${area.name})`,
          });
        }
        await recordAudit(trx, context, {
          action: 'encompass.schools-import',
          details: {
            rows: rows.length,
            created: report.filter((r) => r.outcome === 'created').length,
            updated: report.filter((r) => r.outcome === 'updated').length,
            rejected: report.filter((r) => r.outcome === 'rejected').length,
          },
        });
      });
      return report;
    },

    /** Names a school's existing agency with its URN (the demo's schools, an admin linking one). */
    async linkSchool(
      trx: Trx,
      context: AuditContext,
      school: {
        agencyId: string;
        areaId: string;
        urn: string;
        phase: SchoolPhase;
        low: number;
        high: number;
        postcode: string;
        keyAdultUserId: string | null;
        deputyUserIds: string[];
        contactEmail: string | null;
      },
    ) {
      await repo.upsertSchool(trx, {
        agency_id: school.agencyId,
        area_id: school.areaId,
        urn: school.urn,
        phase: school.phase,
        statutory_low_age: school.low,
        statutory_high_age: school.high,
        postcode: school.postcode,
        key_adult_user_id: school.keyAdultUserId,
        deputy_user_ids: school.deputyUserIds,
        contact_email: school.contactEmail,
        updated_by_name: context.principal.name,
      });
      await repo.updateSchoolContacts(trx, school.agencyId, {
        key_adult_user_id: school.keyAdultUserId,
        deputy_user_ids: school.deputyUserIds,
        contact_email: school.contactEmail,
        contact_phone: null,
        address: null,
        updated_at: deps.now(),
        updated_by_name: context.principal.name,
      });
    },

    // --- the school calendar ---------------------------------------------------------------

    async calendarPage(context: AuditContext, areaId: string) {
      assertAllowed(context.principal, 'encompass:administer');
      const [days, calendar] = await Promise.all([repo.calendarDays(db, areaId), calendarOf(areaId)]);
      return { days, calendar };
    },

    async addCalendarDay(
      context: AuditContext,
      input: { areaId: string; kind: string; startsOn: string; endsOn: string; note: string },
    ) {
      assertAllowed(context.principal, 'encompass:administer');
      const errors: FieldError[] = [];
      const areas = await directory.areasByIds([input.areaId]);
      if (areas.length === 0) errors.push({ field: 'areaId', message: 'Choose an area' });
      if (input.kind !== 'term' && input.kind !== 'inset')
        errors.push({ field: 'kind', message: 'Select a term or an INSET day' });
      const valid = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d) && DateTime.fromISO(d).isValid;
      if (!valid(input.startsOn))
        errors.push({ field: 'startsOn', message: 'Enter the first day as a real date' });
      const endsOn = input.endsOn || input.startsOn;
      if (!valid(endsOn)) errors.push({ field: 'endsOn', message: 'Enter the last day as a real date' });
      else if (valid(input.startsOn) && endsOn < input.startsOn)
        errors.push({ field: 'endsOn', message: 'The last day must be the same as or after the first day' });
      if (input.note.length > 200)
        errors.push({ field: 'note', message: 'The note must be 200 characters or fewer' });
      if (errors.length > 0) throw new ValidationError(errors);
      return transaction(db, async (trx) => {
        const row = await repo.addCalendarDay(trx, {
          area_id: input.areaId,
          kind: input.kind as 'term' | 'inset',
          starts_on: input.startsOn,
          ends_on: endsOn,
          note: trimmed(input.note) || null,
          created_by_name: context.principal.name,
        });
        await recordAudit(trx, context, {
          action: 'encompass.calendar-add',
          subjectType: 'encompass-calendar-day',
          subjectId: row.id,
          areaId: input.areaId,
          details: { kind: input.kind, startsOn: input.startsOn, endsOn },
        });
        return row;
      });
    },

    async removeCalendarDay(context: AuditContext, id: string) {
      assertAllowed(context.principal, 'encompass:administer');
      return transaction(db, async (trx) => {
        const removed = await repo.removeCalendarDay(trx, id);
        if (!removed) throw new NotFoundError('The calendar entry');
        await recordAudit(trx, context, {
          action: 'encompass.calendar-remove',
          subjectType: 'encompass-calendar-day',
          subjectId: id,
          areaId: removed.area_id,
          details: { kind: removed.kind, startsOn: removed.starts_on, endsOn: removed.ends_on },
        });
        return removed;
      });
    },
  };
}

/** Jobs act as the system: escalations and releases are audited as such. */
const escalationPrincipal: Principal = {
  userId: null,
  name: 'Harbour (Operation Encompass jobs)',
  agencyId: null,
  agencyCode: null,
  agencyName: null,
  agencyKind: null,
  areaIds: [],
  roles: [],
  channel: 'system',
};

function datesBetween(start: string, end: string): string[] {
  const out: string[] = [];
  let day = DateTime.fromISO(start);
  const last = DateTime.fromISO(end);
  for (let i = 0; day <= last && i < 400; i++, day = day.plus({ days: 1 })) out.push(day.toISODate()!);
  return out;
}

export type EncompassService = ReturnType<typeof encompassService>;
