import { DateTime } from 'luxon';
import type { Db, Trx } from '../../db/database.ts';
import type { SchoolCalendar } from '../../domain/calendar.ts';
import {
  decideEncompassNotice,
  ENCOMPASS_OFFICER_ROLE,
  type EncompassNoticeParties,
  ForbiddenError,
  isActive,
  type Relationship,
} from '../../platform/access.ts';
import type { AuditContext } from '../../platform/audit.ts';
import { auditOnSubject, personRecordSubject } from '../../platform/audit-subject.ts';
import type { Deps } from '../../platform/deps.ts';
import { NotFoundError } from '../../platform/errors.ts';
import * as repo from './repository.ts';
import { type EncompassSettings, encompassSettings, schoolCalendarFor } from './settings.ts';
import type { EncompassCollaborators, NoticeRow } from './types.ts';

/**
 * What every part of the Encompass service shares: its collaborators, the settings, the area's
 * calendar, the local authority's agency, and how a notice is loaded, decided and audited.
 */
export interface EncompassKernel extends EncompassCollaborators {
  deps: Deps;
  db: Db;
  settings(): EncompassSettings;
  calendarOf(areaId: string, conn?: Db | Trx): Promise<SchoolCalendar>;
  localAuthorityAgency(areaId: string, conn: Db | Trx): Promise<string>;
  agencyName(agencyId: string, conn: Db | Trx): Promise<string>;
  /** The local authority's education safeguarding officers (users of its agency holding the role). */
  officersOf(localAuthorityAgencyId: string, conn: Db | Trx): Promise<string[]>;
  schoolsOnRoll(held: readonly Relationship[] | undefined): string[];
  /** A notice as the policy needs it: addressee, sender, area, whether held, to whom escalated. */
  parties(notice: NoticeRow, escalatedToAgencyIds?: readonly string[]): EncompassNoticeParties;
  /** The notice, if the principal may take this action on it; a refusal names the notice. */
  decidedNotice(
    context: AuditContext,
    id: string,
    action: 'encompass:view' | 'encompass:acknowledge' | 'encompass:review',
  ): Promise<NoticeRow>;
  auditNotice(
    conn: Db | Trx,
    context: AuditContext,
    action: string,
    notice: { id: string; personId: string; areaId: string },
    details?: Record<string, unknown>,
  ): Promise<void>;
}

export function encompassKernel(deps: Deps, collaborators: EncompassCollaborators): EncompassKernel {
  const { db } = deps;
  const { directory } = collaborators;
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

  function parties(notice: NoticeRow, escalatedToAgencyIds: readonly string[] = []): EncompassNoticeParties {
    return {
      areaId: notice.area_id,
      addresseeAgencyId: notice.addressee_agency_id,
      sourceAgencyId: notice.source_agency_id,
      heldForReview: notice.status === 'awaiting-review',
      escalatedToAgencyIds,
    };
  }

  const auditNotice: EncompassKernel['auditNotice'] = (conn, context, action, notice, details) =>
    auditOnSubject(
      conn,
      context,
      action,
      personRecordSubject('encompass-notice', notice.id, notice.personId, notice.areaId),
      details ? { details } : {},
    );

  return {
    ...collaborators,
    deps,
    db,
    settings,
    calendarOf,
    localAuthorityAgency,
    async agencyName(agencyId, conn) {
      const [agency] = await directory.agenciesByIds([agencyId], conn);
      return agency?.name ?? 'Unknown agency';
    },
    async officersOf(localAuthorityAgencyId, conn) {
      const officers = await directory.usersWithRole([localAuthorityAgencyId], ENCOMPASS_OFFICER_ROLE, conn);
      return officers.map((u) => u.id);
    },
    schoolsOnRoll(held) {
      const asOf = deps.now();
      return (held ?? [])
        .filter((r) => r.basis === 'school-on-roll' && isActive(r, asOf))
        .map((r) => r.agencyId);
    },
    parties,
    async decidedNotice(context, id, action) {
      const notice = await repo.findNotice(db, id);
      if (!notice) throw new NotFoundError('The notice');
      const escalated = await repo.escalatedAgencies(db, [id]);
      const decision = decideEncompassNotice(context.principal, action, parties(notice, escalated.get(id)));
      if (!decision.allowed)
        throw new ForbiddenError(action, decision.reason, {
          type: 'encompass-notice',
          id,
          personIds: [notice.person_id],
          areaId: notice.area_id,
        });
      return notice;
    },
    auditNotice,
  };
}

/** What a refusal about a person names, for the audit of the refusal. */
export function personSubject(person: { id: string; area_id: string }) {
  return { type: 'person', id: person.id, personIds: [person.id], areaId: person.area_id };
}

export function datesBetween(start: string, end: string): string[] {
  const out: string[] = [];
  let day = DateTime.fromISO(start);
  const last = DateTime.fromISO(end);
  for (let i = 0; day <= last && i < 400; i++, day = day.plus({ days: 1 })) out.push(day.toISODate()!);
  return out;
}
