import { DateTime } from 'luxon';
import type { Trx } from '../../db/database.ts';
import type { NoticeContent, NoticeKind } from '../../db/schema/encompass.ts';
import { nextSchoolDayStart, type SchoolCalendar } from '../../domain/calendar.ts';
import { type NoticeAddressee, noticeAddressee, releaseDeadline } from '../../domain/encompass.ts';
import { TIME_ZONE } from '../../domain/time-zone.ts';
import {
  decide,
  decideEncompassNotice,
  encompassNoticeScope,
  ForbiddenError,
} from '../../platform/access.ts';
import type { AuditContext } from '../../platform/audit.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { Principal } from '../../platform/principal.ts';
import { referenceFor } from '../actions/index.ts';
import type { EncompassKernel } from './kernel.ts';
import * as repo from './repository.ts';
import {
  type CreatedNotice,
  type DanChildForNotice,
  type DanForNotices,
  ENCOMPASS_ESCALATION_QUEUE,
  ENCOMPASS_RELEASE_QUEUE,
  MINUTE,
} from './types.ts';

/** What a new notice is about and to whom it goes, before it is addressed and dated. */
export interface NoticeToMake {
  kind: NoticeKind;
  areaId: string;
  contactId: string | null;
  personId: string;
  addressee: NoticeAddressee;
  policeReference: string;
  occurredAt: Date;
  content: Omit<NoticeContent, 'addresseeName'>;
  calendar: SchoolCalendar;
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

/** Notices: made from a DAN (or an episode), listed, viewed, and counted for the addressee's home page. */
export function noticesPart(kernel: EncompassKernel) {
  const { deps, db, people, outbox, settings } = kernel;

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
      if (!kernel.schoolsOnRoll(held?.relationships).includes(at.addresseeAgencyId))
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
    // By name where the addressee is known: the school's key adult, or the LA's education
    // safeguarding officers; else the addressee agency's inbox, so no notice goes nowhere.
    const school =
      at.addressee.kind === 'school' ? await repo.schoolByAgency(trx, at.addresseeAgencyId) : null;
    const named =
      at.addressee.kind === 'school'
        ? school?.key_adult_user_id
          ? [school.key_adult_user_id]
          : []
        : await kernel.officersOf(at.addresseeAgencyId, trx);
    const recipients = named.length > 0 ? named.map((userId) => ({ userId })) : [{}];
    for (const recipient of recipients)
      await outbox?.enqueue(trx, context, {
        type: 'encompass.notice',
        areaId: notice.areaId,
        personIds: [notice.personId],
        to: { agencyId: at.addresseeAgencyId, ...recipient },
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
    await kernel.auditNotice(trx, context, 'encompass.notice-create', notice, {
      reference: notice.reference,
      addressee: at.addressee.kind === 'school' ? at.addresseeAgencyId : 'local-authority',
      ...(at.addressee.kind === 'local-authority' ? { reason: at.addressee.reason } : {}),
      dueBy: at.dueBy.toISOString(),
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

  /** One notice, addressed, dated and held or released, with everything that follows from it. */
  async function insertOne(trx: Trx, context: AuditContext, input: NoticeToMake) {
    const addresseeAgencyId =
      input.addressee.kind === 'school'
        ? input.addressee.schoolAgencyId
        : await kernel.localAuthorityAgency(input.areaId, trx);
    const dueBy = nextSchoolDayStart(input.occurredAt, input.calendar);
    const hold = holdFor(dueBy);
    const content: NoticeContent = {
      ...input.content,
      addresseeName: await kernel.agencyName(addresseeAgencyId, trx),
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
    return {
      id: row!.id,
      schoolAgencyId: row!.school_agency_id ?? ('local-authority' as const),
      addresseeAgencyId,
      dueBy,
    };
  }

  /**
   * The DAN intake's collaborator: one notice for every child of school age on it, present or
   * not, in the intake's transaction (a DAN that fails writes none).
   */
  async function createForDan(trx: Trx, context: AuditContext, dan: DanForNotices): Promise<CreatedNotice[]> {
    const rule = settings().schoolAge;
    const calendar = await kernel.calendarOf(dan.areaId, trx);
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
          schoolOnRollAgencyIds: kernel.schoolsOnRoll(held.get(child.personId)?.relationships),
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
      created.push({
        id: notice.id,
        schoolAgencyId: notice.schoolAgencyId,
        dueBy: notice.dueBy.toISOString(),
      });
    }
    return created;
  }

  return {
    /** For the parts that make notices of their own (custody and missing episodes). */
    insertOne,
    /** What the service offers. */
    service: {
      createForDan,

      /** The due time a notice about an incident at this instant would have in the area. */
      async dueByFor(areaId: string, occurredAt: Date) {
        return nextSchoolDayStart(occurredAt, await kernel.calendarOf(areaId));
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
        const escalated = await repo.escalatedAgencies(
          db,
          rows.map((n) => n.id),
        );
        const shown = rows.filter(
          (n) =>
            decideEncompassNotice(principal, 'encompass:view', kernel.parties(n, escalated.get(n.id)))
              .allowed,
        );
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
        const notice = await kernel.decidedNotice(context, id, 'encompass:view');
        const escalations = await repo.escalationsOf(db, id);
        await kernel.auditNotice(db, context, 'encompass.notice-view', {
          id,
          personId: notice.person_id,
          areaId: notice.area_id,
        });
        const p = context.principal;
        const parties = kernel.parties(
          notice,
          escalations.flatMap((e) => e.notified_agency_ids),
        );
        return {
          notice,
          escalations,
          may: {
            acknowledge:
              notice.status === 'released' &&
              decideEncompassNotice(p, 'encompass:acknowledge', parties).allowed,
            review:
              notice.status === 'awaiting-review' &&
              decideEncompassNotice(p, 'encompass:review', parties).allowed,
            openRecord: decide(
              p,
              'person:view',
              (await people.accessResources([notice.person_id])).get(notice.person_id) ?? {},
            ).allowed,
          },
        };
      },

      /** What the home panel shows an addressee: how many notices wait, and the soonest due. */
      async waitingFor(principal: Principal) {
        if (!principal.agencyId) return { count: 0, earliest: null, soonest: [], escalated: 0 };
        return repo.unacknowledgedCount(db, principal.agencyId);
      },

      noticesOfContact: (contactId: string) => repo.noticesOfContact(db, contactId),
    },
  };
}
