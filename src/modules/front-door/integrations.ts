import type { Db, Trx } from '../../db/database.ts';
import type { AuditContext } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import type { Outbox } from '../actions/index.ts';
import type { ChronologyService, NewChronologyEvent, RecordOptions } from '../chronology/service.ts';
import type { DirectoryService } from '../directory/service.ts';
import type { CreatedNotice, DanForNotices } from '../encompass/service.ts';
import type { NewPerson, NewRelationship, PeopleService } from '../people/service.ts';
import type { RiskService } from '../risk/service.ts';
import type { Submission } from './intake/submission.ts';

/**
 * Everything the front door asks of other capabilities, in one place: identity resolution
 * (people), chronology writes, and the risk engine. Each goes through that module's service.
 */
export interface Resolution {
  personId: string;
  outcome: 'linked' | 'new' | 'review';
  score?: number;
}

export type RiskSummary = Awaited<ReturnType<RiskService['summaryFor']>>;
export type ReviewTask = Awaited<ReturnType<RiskService['openReviewTasks']>>[number];

/** The other capabilities' services, built once by the composition root and handed in. */
export interface FrontDoorCollaborators {
  directory: DirectoryService;
  people: PeopleService;
  chronology: ChronologyService;
  risk: RiskService;
  /** The notifications outbox: an agency asked for information is told on its chosen channels. */
  outbox?: Outbox | null;
  /** A decision of "strategy discussion" opens one (the strategy-discussions module's service). */
  openStrategyDiscussion?: (
    trx: Trx,
    context: AuditContext,
    input: { childPersonIds: string[]; reason: string; sourceContactId: string },
  ) => Promise<{ id: string }>;
  /** Operation Encompass: a DAN's notices to schools, made in the intake transaction (the encompass module's service). */
  createEncompassNotices?: (trx: Trx, context: AuditContext, dan: DanForNotices) => Promise<CreatedNotice[]>;
}

/**
 * Relationships a DAN's free-text "relationship to victim" can name on a person record: the
 * two-way ones, recorded from both sides so each person's record shows it.
 */
const DAN_RELATIONSHIP_KINDS = new Set(['partner', 'ex-partner', 'lives-with']);

export function integrations(
  deps: Deps,
  {
    directory,
    people,
    chronology,
    risk,
    openStrategyDiscussion,
    createEncompassNotices,
    outbox,
  }: FrontDoorCollaborators,
) {
  return {
    /** Messages to other agencies, enqueued in the caller's transaction; null where none is built. */
    outbox: outbox ?? null,
    /** A DAN's children, as Operation Encompass needs them: one notice per child of school age. */
    async createEncompassNotices(
      trx: Trx,
      context: AuditContext,
      input: {
        contactId: string;
        areaId: string;
        submission: Submission;
        matched: readonly { personId: string; role: string }[];
      },
    ): Promise<CreatedNotice[]> {
      const { submission } = input;
      if (!createEncompassNotices || submission.kind !== 'dan' || !submission.incidentRef) return [];
      const incident = submission.details.incident as {
        location: { line1: string; line2?: string; town?: string; postcode: string };
        circumstances: string;
      };
      const children = submission.people.flatMap((entry, i) => {
        if (entry.role !== 'child') return [];
        const details = entry.details as {
          present?: boolean;
          witnessed?: boolean;
          injured?: boolean;
          childSaid?: string | null;
          homeEducated?: boolean;
          school?: { agencyCode?: string; name?: string } | null;
        };
        const school = entry.relationships?.find((r) => r.basis === 'school-on-roll');
        return [
          {
            personId: input.matched[i]!.personId,
            givenName: entry.person.givenName,
            familyName: entry.person.familyName,
            dateOfBirth: entry.person.dateOfBirth ?? null,
            unborn: entry.person.kind === 'unborn',
            homeEducated: details.homeEducated === true,
            schoolAgencyId: school?.agencyId ?? null,
            schoolNamedOutside: !school && Boolean(details.school?.name?.trim()),
            present: details.present === true,
            witnessed: details.witnessed === true,
            injured: details.injured === true,
            childSaid: details.childSaid ?? null,
          },
        ];
      });
      const place = [
        incident.location.line1,
        incident.location.line2,
        incident.location.town,
        incident.location.postcode,
      ]
        .filter(Boolean)
        .join(', ');
      return createEncompassNotices(trx, context, {
        contactId: input.contactId,
        areaId: input.areaId,
        policeReference: submission.incidentRef,
        occurredAt: submission.occurredAt,
        place,
        circumstances: incident.circumstances,
        children,
      });
    },
    openStrategyDiscussion,
    /** Reference data (areas, agencies, users): read through the directory's service. */
    directory,
    /** Read functions of the people service (decision 0007) used by early help. */
    people,

    /** Matches a person named in a submission against the index: linked, new, or new and queued for review. */
    async resolvePerson(trx: Trx, context: AuditContext, input: NewPerson): Promise<Resolution> {
      const result = await people.resolvePerson(trx, context, input);
      return {
        personId: result.personId,
        outcome: result.outcome,
        ...(result.score !== undefined ? { score: result.score } : {}),
      };
    },

    /** `resolvePerson` for every person of a submission, in order, in fewer statements; `fieldName` names a refused field. */
    async resolvePeople(
      trx: Trx,
      context: AuditContext,
      inputs: readonly NewPerson[],
      fieldName?: (index: number, field: string) => string,
    ): Promise<Resolution[]> {
      const results = await people.resolvePeople(trx, context, inputs, fieldName);
      return results.map((result) => ({
        personId: result.personId,
        outcome: result.outcome,
        ...(result.score !== undefined ? { score: result.score } : {}),
      }));
    },

    /** The policy's view of the people on a contact, and the relationships the contact gave rise to. */
    peopleAccess(personIds: readonly string[], conn?: Db | Trx) {
      return people.accessResources(personIds, conn);
    },
    contactRelationships(contactId: string, conn?: Db | Trx) {
      return people.relationshipsOfContact(contactId, conn);
    },
    /** The people each enquiry concerns (those its agency was given a relationship to). */
    enquiryPeople(enquiryIds: readonly string[], conn?: Db | Trx) {
      return people.peopleOfEpisodes(enquiryIds, conn);
    },
    enquiryRelationships(enquiryId: string, conn?: Db | Trx) {
      return people.relationshipsOfEpisode(enquiryId, conn);
    },
    /**
     * What a DAN says of its people goes on their records (issue 12: the person record said "No
     * relationships recorded" for a DAN's victim and child): each one's role in the incident, the
     * suspect's relationship to the victim when it is one the record knows, and who lives with whom.
     */
    async recordDanPeople(
      trx: Trx,
      context: AuditContext,
      input: {
        areaId: string;
        contactId: string;
        incidentReference: string;
        occurredOn: string | null;
        people: {
          personId: string;
          role: 'victim' | 'suspect' | 'child';
          relationshipToVictim?: string;
          livesWithVictim?: boolean;
        }[];
      },
    ) {
      const victim = input.people.find((p) => p.role === 'victim');
      for (const person of input.people) {
        await people.recordIncidentRole(trx, context, {
          personId: person.personId,
          incidentReference: input.incidentReference,
          role: person.role === 'child' ? 'child-in-household' : person.role,
          contactId: input.contactId,
          ...(input.occurredOn ? { occurredOn: input.occurredOn } : {}),
        });
        if (!victim || person === victim) continue;
        const said = person.relationshipToVictim?.trim().toLowerCase().replace(/\s+/g, '-');
        const kind = person.role === 'suspect' ? said : person.livesWithVictim ? 'lives-with' : undefined;
        if (!kind || !DAN_RELATIONSHIP_KINDS.has(kind) || person.personId === victim.personId) continue;
        for (const [from, to] of [
          [person.personId, victim.personId],
          [victim.personId, person.personId],
        ] as const)
          await people.addRelationship(trx, context, {
            personId: from,
            relatedPersonId: to,
            kind,
            incidentReference: input.incidentReference,
            areaId: input.areaId,
          });
      }
    },
    /** Records relationships a contact gives rise to (an enquiry sent, a school named), in `trx`. */
    grantRelationships(trx: Trx, rows: readonly NewRelationship[]) {
      return people.grantRelationships(trx, rows);
    },
    /** The contact closed: its enquiries' relationships expire after the configured grace. */
    endEnquiryEpisodes(trx: Trx, contactId: string, closedAt: Date) {
      const days = deps.config.partnership?.access?.enquiryGraceDays ?? 28;
      return people.expireContactEpisodes(
        trx,
        contactId,
        'enquiry',
        new Date(closedAt.getTime() + days * 86_400_000),
      );
    },

    recordChronology(
      trx: Trx,
      context: AuditContext,
      events: NewChronologyEvent[],
      options: RecordOptions = {},
    ) {
      return chronology.record(trx, context, events, options);
    },

    /** A DAN whose DASH is to follow: the risk module records when it is due and chases it (F10). */
    async expectAssessment(
      trx: Trx,
      context: AuditContext,
      input: { contactId: string; areaId: string; personIds: string[]; awaitedSince: Date },
    ): Promise<void> {
      if (!context.principal.agencyId) return;
      await risk.expectAssessment(trx, context, {
        contactId: input.contactId,
        dueFrom: input.awaitedSince,
        ...(context.principal.userId && context.principal.channel === 'web'
          ? { officerUserId: context.principal.userId }
          : {}),
        officerName: context.principal.name,
        supervisorAgencyId: context.principal.agencyId,
        personIds: input.personIds,
        areaId: input.areaId,
      });
    },

    /** The cumulative-risk summary shown beside a decision (F3); its summaryId is stored on the decision. */
    riskSummaryFor(context: AuditContext, childId: string): Promise<RiskSummary> {
      return risk.summaryFor(context, childId);
    },

    /** "History suggests higher risk" tasks for the queue. */
    openReviewTasks(context: AuditContext, areaId: string): Promise<ReviewTask[]> {
      return risk.openReviewTasks(context, areaId);
    },
  };
}

export type Integrations = ReturnType<typeof integrations>;
