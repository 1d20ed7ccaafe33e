import type { Trx } from '../../db/database.ts';
import { isAgencyOpen } from '../../domain/agency-hours.ts';
import { clockStatus } from '../../domain/clock.ts';
import {
  type Action,
  assertAllowed,
  contactDisclosure,
  decide,
  decideInArea,
  noticeRecipientRole,
  scopeFor,
} from '../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { Principal } from '../../platform/principal.ts';
import { contactResource } from './contact-access.ts';
import { earlyHelp } from './early-help/early-help.ts';
import { contactSubmission } from './intake/contacts.ts';
import { danSubmission } from './intake/dans.ts';
import { idempotent } from './intake/idempotency.ts';
import { intake, type Submission } from './intake/intake.ts';
import type { Integrations } from './integrations.ts';
import * as repo from './repository.ts';
import * as retention from './retention-repository.ts';
import { agencyCalendarFor, frontDoorConfig } from './settings.ts';
import { subjectAccessContacts } from './subject-access-repository.ts';
import type { ContactInput, DanInput, IntakeResult } from './types.ts';
import { workflow } from './workflow.ts';

export const DAN_ENDPOINT = 'POST /api/v1/domestic-abuse-notifications';
export const CONTACT_ENDPOINT = 'POST /api/v1/contacts';

/**
 * The front door's service: intake of contacts and DANs (callable in-process, e.g. by the
 * benchmarks), the MASH workflow, and the read models behind its pages and API.
 */
function queueChild(
  p: {
    given_name: string | null;
    family_name: string | null;
    date_of_birth: string | Date | null;
    kind: string;
    details: unknown;
  },
  today: Date,
) {
  const details = (p.details ?? {}) as { present?: boolean; witnessed?: boolean; injured?: boolean };
  const born = p.date_of_birth ? new Date(p.date_of_birth) : null;
  let age: number | null = null;
  if (born) {
    age = today.getUTCFullYear() - born.getUTCFullYear();
    if (
      today.getUTCMonth() < born.getUTCMonth() ||
      (today.getUTCMonth() === born.getUTCMonth() && today.getUTCDate() < born.getUTCDate())
    )
      age -= 1;
  }
  return {
    name: `${p.given_name ?? ''} ${p.family_name ?? ''}`.trim() || 'Name not known',
    age: p.kind === 'unborn' ? 'unborn' : age === null ? 'age not known' : `${age}`,
    injured: details.injured === true,
    present: details.present === true,
    witnessed: details.witnessed === true,
  };
}

/**
 * The people an enquiry concerns, of the contact's: those its agency was given a relationship to
 * when it was asked (the adults and the children it serves, access.ts `enquiryConcerns`). An
 * enquiry holding none (asked before the rule) concerns everyone on the contact.
 */
function concernedPeople<P extends { person_id: string }>(
  people: P[],
  concerned: readonly string[] | undefined,
) {
  if (!concerned?.length) return people;
  const ids = new Set(concerned);
  return people.filter((p) => ids.has(p.person_id));
}

interface SubmitOptions {
  idempotencyKey?: string;
}

export function frontDoorService(deps: Deps, integrations: Integrations) {
  const { db } = deps;
  const { directory } = integrations;
  const flow = workflow(deps, integrations);

  /**
   * Every submission (DAN or contact) takes one path: read into a `Submission` and taken in by
   * `intake`, in one transaction that a repeated Idempotency-Key answers again unchanged.
   */
  function submit(
    endpoint: string,
    context: AuditContext,
    input: DanInput | ContactInput,
    options: SubmitOptions,
    read: (trx: Trx) => Promise<Submission>,
  ) {
    return idempotent<IntakeResult>(
      db,
      context.principal,
      endpoint,
      options.idempotencyKey,
      input,
      async (trx) => intake(deps, integrations, trx, context, await read(trx)),
    );
  }

  function clock(dueAt: Date | string) {
    return clockStatus(new Date(dueAt), deps.now(), frontDoorConfig(deps).dueSoonMs);
  }

  return {
    ...flow,
    earlyHelp: earlyHelp(deps, integrations),
    integrations,
    clock,

    /** Retention (decision 0012): candidates, and removal in the caller's transaction. */
    retention: {
      closedNoFurtherActionContacts: (closedBefore: Date) =>
        retention.closedNoFurtherActionContacts(db, closedBefore),
      contactsNaming: (personIds: readonly string[]) => retention.contactsNaming(db, personIds),
      removeContacts: (trx: Trx, contactIds: readonly string[]) => retention.removeContacts(trx, contactIds),
    },

    /** Contacts naming these records, with third parties by id (subject access). Not access-checked. */
    subjectAccessContacts: (personIds: readonly string[]) => subjectAccessContacts(db, personIds),

    /** A police DAN: one transaction, answered again unchanged for a repeated Idempotency-Key. */
    submitDan(context: AuditContext, input: DanInput, options: SubmitOptions = {}) {
      return submit(DAN_ENDPOINT, context, input, options, (trx) =>
        danSubmission(deps, directory, trx, context, input),
      );
    },

    submitContact(context: AuditContext, input: ContactInput, options: SubmitOptions = {}) {
      return submit(CONTACT_ENDPOINT, context, input, options, (trx) =>
        contactSubmission(deps, directory, trx, context, input),
      );
    },

    /**
     * What a submitter is told about the people of its submission: ids and match outcomes only of
     * records it may see anyway. Otherwise "received", so a submission cannot be used to learn
     * whether a child is known, nor to address the record it was matched to (finding 1).
     */
    async presentIntake(context: AuditContext, result: IntakeResult) {
      const access = await integrations.peopleAccess(result.people.map((p) => p.personId));
      return {
        ...result,
        people: result.people.map((p) => {
          const resource = access.get(p.personId);
          return resource && decide(context.principal, 'person:view', resource).allowed
            ? p
            : { role: p.role, position: p.position, outcome: 'received' as const };
        }),
      };
    },

    /** The policy's view of a contact (area, submitter, the relationships it gave rise to). */
    async contactAccess(contact: Pick<repo.ContactRow, 'id' | 'area_id' | 'source_agency_id'>) {
      return contactResource(contact, await integrations.contactRelationships(contact.id), deps.now());
    },

    /**
     * Everything about one contact the principal may see; the read is audited, and so is a refusal.
     * A person on it is named and linked only for a principal who may see that person's record;
     * otherwise the contact shows the person as its submitter described them (a fact of the
     * submission), so submitting never discloses the record it was matched to.
     */
    async viewContact(context: AuditContext, contactId: string) {
      const contact = await repo.findContact(db, contactId);
      if (!contact) throw new NotFoundError('The contact');
      const people = await repo.contactPeople(db, contactId);
      const personIds = people.map((p) => p.person_id);
      const resource = contactResource(
        contact,
        await integrations.contactRelationships(contactId),
        deps.now(),
      );
      assertAllowed(context.principal, 'contact:view', resource, {
        type: 'contact',
        id: contactId,
        personIds,
        areaId: contact.area_id,
      });
      const [enquiries, decision, history, linked, personAccess] = await Promise.all([
        repo.enquiriesOf(db, contactId),
        repo.decisionOf(db, contactId),
        repo.historyOf(db, contactId),
        repo.linkedSubmissions(db, contactId),
        integrations.peopleAccess(personIds),
      ]);
      const see = contactDisclosure(
        context.principal,
        resource,
        enquiries.map((e) => e.agency_id),
      );
      const original = contact.duplicate_of_id
        ? await repo.findContact(db, contact.duplicate_of_id)
        : undefined;
      const shownPeople = people.map((p) => {
        const access = personAccess.get(p.person_id);
        const mayView = access ? decide(context.principal, 'person:view', access).allowed : false;
        if (mayView) return { ...p, mayView };
        const supplied = (p.supplied ?? {}) as {
          givenName?: string;
          familyName?: string;
          dateOfBirth?: string;
          expectedDate?: string;
        };
        return {
          ...p,
          mayView,
          person_id: null,
          match_outcome: null,
          given_name: supplied.givenName ?? '',
          family_name: supplied.familyName ?? '',
          date_of_birth: supplied.dateOfBirth ?? null,
          expected_date: supplied.expectedDate ?? null,
        };
      });
      await recordAudit(db, context, {
        action: 'contact.view',
        subjectType: 'contact',
        subjectId: contactId,
        personIds: shownPeople.map((p) => p.person_id).filter((id): id is string => !!id),
        areaId: contact.area_id,
        details: { whole: see.whole },
      });
      return {
        contact,
        people: shownPeople,
        see,
        original: original ? { id: original.id, reference: original.reference } : null,
        enquiries: enquiries
          .filter((e) => see.enquiry(e.agency_id))
          .map((e) => {
            const visible = see.response(e.agency_id);
            return {
              ...e,
              response: visible ? e.response : null,
              responseHidden: !visible && e.status === 'responded',
              clock: e.status === 'open' ? clock(e.due_at) : null,
              // Asked while the agency was closed: its deadline counts from its next opening.
              outOfHours: !isAgencyOpen(
                new Date(e.requested_at),
                agencyCalendarFor(frontDoorConfig(deps).settings, e.agency_kind),
              ),
            };
          }),
        // Issue 12: say what is true. Agencies asked whose requests this principal may not read
        // are still named (not what was asked or answered), so "none asked" is never a guess.
        agenciesAskedNotShown: [
          ...new Set(enquiries.filter((e) => !see.enquiry(e.agency_id)).map((e) => e.agency_name)),
        ],
        decision: see.outcome ? decision : undefined,
        history: see.history ? history : [],
        linked: see.whole ? linked : [],
        clocks: {
          screening: contact.screened_at ? null : clock(contact.screening_due_at),
          decision: clock(contact.decision_due_at),
        },
      };
    },

    async queue(context: AuditContext, query: Omit<repo.QueueQuery, 'userId'>) {
      assertAllowed(context.principal, 'queue:view');
      const result = await repo.queue(
        db,
        { ...query, userId: context.principal.userId },
        scopeFor(context.principal, 'queue:view'),
      );
      // Issue 12: each row names its children (age; present, witnessed, injured) and the adults' roles.
      const onRows = await repo.queuePeople(
        db,
        result.rows.map((r) => r.id),
      );
      if (onRows.length)
        await recordAudit(db, context, {
          action: 'queue.view',
          subjectType: 'queue',
          subjectId: 'front-door',
          personIds: [...new Set(onRows.map((p) => p.person_id))],
          details: { page: query.page, contacts: result.rows.length },
        });
      const today = deps.now();
      const byContact = Map.groupBy(onRows, (p) => p.contact_id);
      return {
        ...result,
        rows: result.rows.map((row) => {
          const people = byContact.get(row.id) ?? [];
          return {
            ...row,
            clock: clock(row.decision_due_at),
            childrenNamed: people.filter((p) => p.role === 'child').map((p) => queueChild(p, today)),
            adultRoles: people
              .filter((p) => p.role !== 'child')
              .map((p) => ({
                name: `${p.given_name ?? ''} ${p.family_name ?? ''}`.trim(),
                role: p.role,
              })),
          };
        }),
      };
    },

    async inbox(context: AuditContext, status: 'open' | 'responded', page: number, pageSize = 25) {
      assertAllowed(context.principal, 'enquiry:respond');
      if (!context.principal.agencyId) return { rows: [], total: 0 };
      const result = await repo.inbox(db, context.principal.agencyId, status, page, pageSize);
      // Each row names the people its enquiry concerns (issue 12), so the read is audited.
      const [concerned, everyone] = await Promise.all([
        integrations.enquiryPeople(result.rows.map((row) => row.id)),
        repo.queuePeople(db, [...new Set(result.rows.map((row) => row.contact_id))]),
      ]);
      const rows = result.rows.map((row) => ({
        ...row,
        clock: status === 'open' ? clock(row.due_at) : null,
        people: concernedPeople(
          everyone.filter((p) => p.contact_id === row.contact_id),
          concerned.get(row.id),
        ),
      }));
      const personIds = [...new Set(rows.flatMap((row) => row.people.map((p) => p.person_id)))];
      if (personIds.length)
        await recordAudit(db, context, {
          action: 'enquiry.inbox-view',
          subjectType: 'enquiry-inbox',
          subjectId: status,
          personIds,
          details: { page, enquiries: rows.length },
        });
      return { ...result, rows };
    },

    /** What happened to the contacts my agency sent (F11, F16). */
    async submittedByMyAgency(context: AuditContext, page: number, pageSize = 25) {
      if (!context.principal.agencyId) return { rows: [], total: 0 };
      return repo.submittedBy(db, context.principal.agencyId, page, pageSize);
    },

    async managerView(context: AuditContext) {
      assertAllowed(context.principal, 'manager-view:view');
      const areaIds = context.principal.areaIds;
      const now = deps.now();
      const [open, stuck, signOff, notices, counts] = await Promise.all([
        repo.queue(
          db,
          { areaIds, sort: 'due', order: 'asc', page: 1, pageSize: 100, userId: null },
          scopeFor(context.principal, 'manager-view:view'),
        ),
        repo.stuckEnquiriesByAgency(db, areaIds, now),
        repo.awaitingSignOff(db, areaIds),
        repo.unreadNotifications(db, areaIds, 'mash_manager', null),
        repo.queueCounts(db, areaIds, now, context.principal.userId),
      ]);
      const reviewTasks = (
        await Promise.all(areaIds.map((areaId) => integrations.openReviewTasks(context, areaId)))
      ).flat();
      return {
        open: { ...open, rows: open.rows.map((row) => ({ ...row, clock: clock(row.decision_due_at) })) },
        stuck,
        signOff: signOff.map((d) => ({ ...d, clock: clock(d.decision_due_at) })),
        notices,
        counts,
        reviewTasks,
      };
    },

    /** An enquiry as the agency asked sees it: the question, the contact's concern and children. */
    async enquiryForResponder(context: AuditContext, enquiryId: string) {
      const enquiry = await repo.findEnquiry(db, enquiryId);
      if (!enquiry) throw new NotFoundError('The enquiry');
      const people = concernedPeople(
        await repo.contactPeople(db, enquiry.contact_id),
        (await integrations.enquiryPeople([enquiryId])).get(enquiryId),
      );
      const personIds = people.map((p) => p.person_id);
      assertAllowed(
        context.principal,
        'enquiry:respond',
        {
          areaId: enquiry.area_id,
          relationships: await integrations.enquiryRelationships(enquiryId),
          asOf: deps.now(),
        },
        { type: 'enquiry', id: enquiryId, personIds, areaId: enquiry.area_id },
      );
      const contact = await repo.findContact(db, enquiry.contact_id);
      await recordAudit(db, context, {
        action: 'enquiry.view',
        subjectType: 'enquiry',
        subjectId: enquiryId,
        personIds,
        areaId: enquiry.area_id,
      });
      const details = contact?.details as Record<string, unknown> | undefined;
      return {
        ...enquiry,
        people,
        concerns: contact?.concerns ?? [],
        kind: contact?.kind,
        narrative:
          (details?.narrative as string | undefined) ??
          (details?.incident as { circumstances?: string } | undefined)?.circumstances ??
          '',
        clock: enquiry.status === 'open' ? clock(enquiry.due_at) : null,
      };
    },

    async agenciesFor(areaId: string) {
      return directory.agenciesInArea(areaId);
    },

    /** Who may be chosen to lead early help in an area (the step-down form's choices). */
    earlyHelpLeadsFor(areaId: string) {
      return directory.earlyHelpLeadChoices(areaId);
    },

    counts(principal: Principal) {
      return repo.queueCounts(db, principal.areaIds, deps.now(), principal.userId);
    },

    openEnquiryCount(principal: Principal) {
      return principal.agencyId ? repo.openEnquiryCount(db, principal.agencyId) : Promise.resolve({ n: 0 });
    },

    notificationsFor(principal: Principal) {
      return repo.unreadNotifications(
        db,
        principal.areaIds,
        noticeRecipientRole(principal),
        principal.agencyId,
      );
    },

    mayDo(principal: Principal, action: Action, areaId: string) {
      return decideInArea(principal, action, areaId).allowed;
    },
  };
}

export type FrontDoorService = ReturnType<typeof frontDoorService>;
