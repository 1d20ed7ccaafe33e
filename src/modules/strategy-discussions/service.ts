import { type Trx, transaction } from '../../db/database.ts';
import { addWorkingDays, type WorkingCalendar } from '../../domain/calendar.ts';
import {
  assertAllowed,
  decideInArea,
  decideStrategyDiscussion,
  ForbiddenError,
  type Relationship,
} from '../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { ConflictError, type FieldError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { type Outbox, type OutboxMessage, referenceFor } from '../actions/index.ts';
import type { ActionsService } from '../actions/service.ts';
import type { ChronologyService } from '../chronology/service.ts';
import type { DirectoryService } from '../directory/service.ts';
import type { PeopleService } from '../people/service.ts';
import { chooseParticipants } from './participants.ts';
import * as repo from './repository.ts';
import type { StrategyDiscussionSettings } from './settings.ts';

export const OUTCOME_BREACH_QUEUE = 'strategy-discussion.outcome-breach';

export interface StrategyDiscussionCollaborators {
  people: PeopleService;
  directory: DirectoryService;
  chronology: ChronologyService;
  actions: ActionsService;
  outbox: Outbox | null;
  calendar: WorkingCalendar;
  settings: StrategyDiscussionSettings;
}

export interface RequestInput {
  childPersonIds: string[];
  reason: string;
  knownInformation?: string;
}

export interface ScheduleInput {
  scheduledFor: Date;
  joiningDetail: string;
  agencyIds?: string[];
}

export interface OutcomeInput {
  attendeeAgencyIds: string[];
  informationShared: string;
  section47: boolean;
  conference: boolean;
  levelOfNeed: string;
  rationale: string;
  actions: { ownerAgencyId: string; ownerUserId?: string; description: string; dueBy: Date }[];
}

const required = (errors: FieldError[], field: string, value: string | undefined, message: string) => {
  if (!value?.trim()) errors.push({ field, message });
};

function throwIf(errors: FieldError[]) {
  if (errors.length) throw new ValidationError(errors);
}

/**
 * Strategy discussions (F16, F17): any agency asks for one; the MASH manager of the children's
 * area schedules it, inviting every relevant agency (each gets an episode relationship and an
 * invitation), or declines it with a reason the requester sees; the record (decision, rationale,
 * actions) and each child's chronology are written together; the outcome is shared with every
 * participant within the configured deadline, and a breach is alerted.
 */
export function strategyDiscussionService(deps: Deps, c: StrategyDiscussionCollaborators) {
  const { db } = deps;
  const reference = (id: string) => referenceFor('SD', id);

  /** A message to one agency about discussion `id`, enqueued in the transaction of the change. */
  async function notify(
    trx: Trx,
    context: AuditContext,
    id: string,
    agencyId: string,
    message: Pick<OutboxMessage, 'type' | 'subject' | 'detail' | 'dueBy'>,
  ) {
    await c.outbox?.enqueue(trx, context, {
      ...message,
      to: { agencyId },
      reference: reference(id),
      link: `/strategy-discussions/${id}`,
    });
  }

  async function partiesOf(row: repo.DiscussionRow, conn: typeof db | Trx = db) {
    const invited = await repo.participants(conn, row.id);
    return {
      invited,
      parties: {
        areaId: row.area_id,
        requestedByAgencyId: row.requested_by_agency_id,
        participantAgencyIds: invited.map((p) => p.agency_id),
      },
    };
  }

  async function load(trx: Trx, id: string) {
    const row = await repo.lockDiscussion(trx, id);
    if (!row) throw new NotFoundError('The strategy discussion');
    return row;
  }

  function subject(row: repo.DiscussionRow) {
    return { type: 'strategy-discussion', id: row.id, personIds: row.child_person_ids, areaId: row.area_id };
  }

  function assertInArea(
    context: AuditContext,
    action: 'strategy-discussion:schedule' | 'strategy-discussion:record',
    row: repo.DiscussionRow,
  ) {
    assertAllowed(context.principal, action, { areaId: row.area_id, relationships: [] }, subject(row));
  }

  async function audit(
    trx: Trx,
    context: AuditContext,
    action: string,
    row: repo.DiscussionRow,
    details = {},
  ) {
    await recordAudit(trx, context, {
      action,
      subjectType: 'strategy-discussion',
      subjectId: row.id,
      personIds: row.child_person_ids,
      areaId: row.area_id,
      details,
    });
  }

  /** Creates a requested discussion in the caller's transaction (a request, or a front-door decision). */
  async function open(
    trx: Trx,
    context: AuditContext,
    input: RequestInput & { sourceContactId?: string },
  ): Promise<{ id: string }> {
    const errors: FieldError[] = [];
    if (input.childPersonIds.length === 0)
      errors.push({ field: 'childPersonIds', message: 'Name at least one child' });
    required(errors, 'reason', input.reason, 'Enter why a strategy discussion is needed');
    throwIf(errors);
    const childIds = [...new Set(input.childPersonIds)];
    const facts = await Promise.all(childIds.map((id) => c.people.accessFacts(id, trx).catch(() => null)));
    if (facts.some((f) => f === null))
      throw new ValidationError([{ field: 'childPersonIds', message: 'A child named was not found' }]);
    const areaId = facts[0]!.person.area_id;
    if (facts.some((f) => f!.person.area_id !== areaId))
      throw new ValidationError([
        { field: 'childPersonIds', message: 'The children must live in the same area' },
      ]);
    const decision = decideInArea(context.principal, 'strategy-discussion:request', areaId);
    if (!decision.allowed)
      throw new ForbiddenError('strategy-discussion:request', decision.reason, {
        type: 'strategy-discussion',
        personIds: childIds,
        areaId,
      });
    const { id } = await repo.insertDiscussion(trx, {
      area_id: areaId,
      child_person_ids: childIds,
      source_contact_id: input.sourceContactId ?? null,
      requested_by_agency_id: context.principal.agencyId,
      requested_by_name: context.principal.name,
      requested_at: deps.now(),
      reason: input.reason.trim(),
      known_information: input.knownInformation?.trim() ?? '',
    });
    await recordAudit(trx, context, {
      action: 'strategy-discussion.request',
      subjectType: 'strategy-discussion',
      subjectId: id,
      personIds: childIds,
      areaId,
    });
    return { id };
  }

  async function agencyNames(ids: readonly string[], conn: typeof db | Trx = db) {
    const rows = ids.length ? await c.directory.agenciesByIds([...new Set(ids)], conn) : [];
    return new Map(rows.map((a) => [a.id, a.name]));
  }

  async function alertBreach(context: AuditContext, id: string): Promise<boolean> {
    return transaction(db, async (trx) => {
      const row = await load(trx, id);
      if (row.status !== 'held' || row.outcome_shared_at || row.breach_alerted_at || !row.outcome_due_at)
        return false;
      if (row.outcome_due_at.getTime() > deps.now().getTime()) return false;
      await repo.updateDiscussion(trx, id, { breach_alerted_at: deps.now() });
      const mash = (await c.directory.agenciesInArea(row.area_id, trx)).filter(
        (a) => a.kind === 'childrens_social_care',
      );
      for (const agency of mash)
        await notify(trx, context, id, agency.id, {
          type: 'front-door.breach',
          subject: 'A strategy discussion outcome was not shared with its participants on time',
          dueBy: row.outcome_due_at,
        });
      await audit(trx, context, 'strategy-discussion.outcome-breach', row);
      return true;
    });
  }

  return {
    open,
    alertBreach,

    async request(context: AuditContext, input: RequestInput) {
      return transaction(db, (trx) => open(trx, context, input));
    },

    async schedule(context: AuditContext, id: string, input: ScheduleInput) {
      await transaction(db, async (trx) => {
        const row = await load(trx, id);
        assertInArea(context, 'strategy-discussion:schedule', row);
        const errors: FieldError[] = [];
        if (Number.isNaN(input.scheduledFor.getTime()))
          errors.push({ field: 'scheduledFor', message: 'Enter when it will be held' });
        required(
          errors,
          'joiningDetail',
          input.joiningDetail,
          'Enter how participants join (a room, a call or link)',
        );
        const areaAgencies = await c.directory.agenciesInArea(row.area_id, trx);
        const extra = input.agencyIds ?? [];
        const known = await c.directory.agenciesByIds(extra, trx);
        if (known.length !== new Set(extra).size)
          errors.push({ field: 'agencyIds', message: 'An agency chosen was not found' });
        throwIf(errors);
        if (row.status !== 'requested')
          throw new ConflictError(`The strategy discussion is already ${row.status}`);
        const held = await Promise.all(row.child_person_ids.map((p) => c.people.accessFacts(p, trx)));
        const relationships: Relationship[] = held.flatMap((h) => h.resource.relationships);
        const events = await c.chronology.eventsForRisk(row.child_person_ids, deps.now(), trx);
        const chosen = chooseParticipants({
          areaAgencies,
          minimumKinds: c.settings.minimumAgencyKinds,
          requesterAgencyId: row.requested_by_agency_id,
          relationships,
          chronologyAgencyIds: events.flatMap((e) => (e.sourceAgencyId ? [e.sourceAgencyId] : [])),
          chosenAgencyIds: extra,
        });
        const now = deps.now();
        await repo.updateDiscussion(trx, id, {
          status: 'scheduled',
          decided_by_name: context.principal.name,
          decided_at: now,
          scheduled_for: input.scheduledFor,
          joining_detail: input.joiningDetail.trim(),
        });
        await repo.addParticipants(trx, id, chosen, now);
        // Invitation is a relationship for this episode: each invited agency sees the children.
        await c.people.grantRelationships(
          trx,
          chosen.flatMap((p) =>
            row.child_person_ids.map((personId) => ({
              personId,
              areaId: row.area_id,
              agencyId: p.agencyId,
              basis: 'strategy-discussion' as const,
              episodeType: 'strategy-discussion',
              episodeId: id,
              grantedByAgencyId: context.principal.agencyId,
              grantedByName: context.principal.name,
            })),
          ),
        );
        for (const p of chosen)
          await notify(trx, context, id, p.agencyId, {
            type: 'strategy-discussion.invitation',
            subject: 'Your agency is invited to a strategy discussion',
            detail: `When: ${input.scheduledFor.toISOString()}. How to join: ${input.joiningDetail.trim()}`,
            dueBy: input.scheduledFor,
          });
        await audit(trx, context, 'strategy-discussion.schedule', row, { participants: chosen.length });
      });
    },

    async decline(context: AuditContext, id: string, input: { reason: string }) {
      await transaction(db, async (trx) => {
        const row = await load(trx, id);
        assertInArea(context, 'strategy-discussion:schedule', row);
        const errors: FieldError[] = [];
        required(errors, 'reason', input.reason, 'Enter why the strategy discussion is declined');
        throwIf(errors);
        if (row.status !== 'requested')
          throw new ConflictError(`The strategy discussion is already ${row.status}`);
        await repo.updateDiscussion(trx, id, {
          status: 'declined',
          decline_reason: input.reason.trim(),
          decided_by_name: context.principal.name,
          decided_at: deps.now(),
        });
        if (row.requested_by_agency_id)
          await notify(trx, context, id, row.requested_by_agency_id, {
            type: 'strategy-discussion.outcome',
            subject: 'Your request for a strategy discussion was declined',
            detail: input.reason.trim(),
          });
        await audit(trx, context, 'strategy-discussion.decline', row);
      });
    },

    /** Information an invited agency sends before the discussion starts. */
    async contribute(context: AuditContext, id: string, input: { information: string }) {
      return transaction(db, async (trx) => {
        const row = await load(trx, id);
        const { parties } = await partiesOf(row, trx);
        const decision = decideStrategyDiscussion(
          context.principal,
          'strategy-discussion:contribute',
          parties,
        );
        if (!decision.allowed)
          throw new ForbiddenError('strategy-discussion:contribute', decision.reason, subject(row));
        const errors: FieldError[] = [];
        required(errors, 'information', input.information, 'Enter the information your agency holds');
        throwIf(errors);
        if (row.status !== 'scheduled')
          throw new ConflictError('Information is sent before a scheduled discussion starts');
        const contributionId = await repo.addContribution(trx, {
          discussionId: id,
          agencyId: context.principal.agencyId,
          authorName: context.principal.name,
          information: input.information.trim(),
          at: deps.now(),
        });
        await audit(trx, context, 'strategy-discussion.contribute', row);
        return { id: contributionId };
      });
    },

    async recordOutcome(context: AuditContext, id: string, input: OutcomeInput) {
      await transaction(db, async (trx) => {
        const row = await load(trx, id);
        assertInArea(context, 'strategy-discussion:record', row);
        const { invited } = await partiesOf(row, trx);
        const invitedIds = new Set(invited.map((p) => p.agency_id));
        const errors: FieldError[] = [];
        if (input.attendeeAgencyIds.length === 0)
          errors.push({ field: 'attendeeAgencyIds', message: 'Select the agencies that attended' });
        if (input.attendeeAgencyIds.some((a) => !invitedIds.has(a)))
          errors.push({
            field: 'attendeeAgencyIds',
            message: 'Attendees must be agencies invited to the discussion',
          });
        required(errors, 'informationShared', input.informationShared, 'Enter the information shared');
        required(errors, 'levelOfNeed', input.levelOfNeed, 'Enter the level of need');
        required(errors, 'rationale', input.rationale, 'Enter the rationale for the decision');
        input.actions.forEach((a, i) => {
          if (!invitedIds.has(a.ownerAgencyId))
            errors.push({
              field: `actions[${i}].ownerAgencyId`,
              message: 'An action’s owner must be a participating agency',
            });
          required(errors, `actions[${i}].description`, a.description, 'Enter what the agency is to do');
          if (Number.isNaN(a.dueBy.getTime()))
            errors.push({ field: `actions[${i}].dueBy`, message: 'Enter a real due date' });
        });
        throwIf(errors);
        if (row.status !== 'scheduled')
          throw new ConflictError(`The strategy discussion is ${row.status}, not scheduled`);
        const heldAt = deps.now();
        const icpcDue =
          input.section47 && input.conference
            ? addWorkingDays(heldAt, c.settings.icpcWorkingDays, c.calendar)
            : null;
        await repo.updateDiscussion(trx, id, {
          status: 'held',
          held_at: heldAt,
          attendee_agency_ids: [...new Set(input.attendeeAgencyIds)],
          information_shared: input.informationShared.trim(),
          section_47: input.section47,
          conference: input.conference,
          level_of_need: input.levelOfNeed.trim(),
          rationale: input.rationale.trim(),
          recorded_by_name: context.principal.name,
          outcome_due_at: addWorkingDays(heldAt, c.settings.outcomeDeadlineWorkingDays, c.calendar),
          icpc_due_at: icpcDue,
        });
        for (const action of input.actions)
          await c.actions.create(trx, context, {
            source: { kind: 'strategy-discussion', id },
            areaId: row.area_id,
            personIds: row.child_person_ids,
            ownerAgencyId: action.ownerAgencyId,
            ...(action.ownerUserId ? { ownerUserId: action.ownerUserId } : {}),
            description: action.description,
            dueBy: action.dueBy,
          });
        const decision = input.section47 ? 'a section 47 enquiry' : 'no section 47 enquiry';
        await c.chronology.record(
          trx,
          context,
          row.child_person_ids.map((personId) => ({
            personId,
            areaId: row.area_id,
            type: 'strategy-discussion' as const,
            occurredAt: heldAt,
            significance: 'high' as const,
            summary: `Strategy discussion held: ${decision}${input.conference ? ', with an initial child protection conference' : ''}; level of need ${input.levelOfNeed.trim()}.`,
            subjectType: 'strategy-discussion',
            subjectId: id,
          })),
        );
        await deps.jobs?.enqueue(
          trx,
          OUTCOME_BREACH_QUEUE,
          { discussionId: id },
          {
            startAfter: addWorkingDays(heldAt, c.settings.outcomeDeadlineWorkingDays, c.calendar),
            singletonKey: id,
          },
        );
        await audit(trx, context, 'strategy-discussion.record', row, { section47: input.section47 });
      });
    },

    /** Sends the outcome and actions to every participating agency. */
    async shareOutcome(context: AuditContext, id: string) {
      await transaction(db, async (trx) => {
        const row = await load(trx, id);
        assertInArea(context, 'strategy-discussion:record', row);
        if (row.status !== 'held') throw new ConflictError('Only a held discussion has an outcome to share');
        if (row.outcome_shared_at) throw new ConflictError('The outcome was already shared');
        const { invited } = await partiesOf(row, trx);
        const sharedAt = deps.now();
        await repo.updateDiscussion(trx, id, { outcome_shared_at: sharedAt });
        // The episode ends with the shared outcome; invitees keep sight of the children for the grace.
        await c.people.expireEpisode(
          trx,
          id,
          new Date(sharedAt.getTime() + c.settings.accessGraceDays * 86_400_000),
        );
        for (const p of invited)
          await notify(trx, context, id, p.agency_id, {
            type: 'strategy-discussion.outcome',
            subject: 'The outcome of a strategy discussion your agency took part in',
            detail: `${row.section_47 ? 'Section 47 enquiry' : 'No section 47 enquiry'}. ${row.rationale ?? ''}`,
          });
        await audit(trx, context, 'strategy-discussion.share-outcome', row, { participants: invited.length });
      });
    },

    /** Alerts every outcome past its deadline and not shared (the job's sweep). */
    async alertBreaches(context: AuditContext): Promise<number> {
      let alerted = 0;
      for (const { id } of await repo.breachedUnalerted(db, deps.now()))
        if (await alertBreach(context, id)) alerted += 1;
      return alerted;
    },

    /** One discussion, whole, for the MASH and its participants only; the read is audited. */
    async view(context: AuditContext, id: string) {
      const row = await repo.findDiscussion(db, id);
      if (!row) throw new NotFoundError('The strategy discussion');
      const { invited, parties } = await partiesOf(row);
      const decision = decideStrategyDiscussion(context.principal, 'strategy-discussion:view', parties);
      if (!decision.allowed)
        throw new ForbiddenError('strategy-discussion:view', decision.reason, subject(row));
      const [contributions, actions, children] = await Promise.all([
        repo.contributions(db, id),
        c.actions.forSource(context, { kind: 'strategy-discussion', id }),
        c.people.personNames(row.child_person_ids),
      ]);
      const names = await agencyNames([
        ...invited.map((p) => p.agency_id),
        ...(row.requested_by_agency_id ? [row.requested_by_agency_id] : []),
        ...contributions.flatMap((x) => (x.agency_id ? [x.agency_id] : [])),
      ]);
      await recordAudit(db, context, {
        action: 'strategy-discussion.view',
        subjectType: 'strategy-discussion',
        subjectId: id,
        personIds: row.child_person_ids,
        areaId: row.area_id,
      });
      const now = deps.now();
      return {
        row,
        reference: reference(id),
        children: children.map((p) => ({ id: p.id, name: `${p.given_name} ${p.family_name}` })),
        requestedBy: row.requested_by_agency_id ? (names.get(row.requested_by_agency_id) ?? '') : '',
        participants: invited.map((p) => ({
          agencyId: p.agency_id,
          name: names.get(p.agency_id) ?? '',
          why: p.why,
        })),
        contributions: contributions.map((x) => ({
          ...x,
          agencyName: x.agency_id ? (names.get(x.agency_id) ?? '') : '',
        })),
        actions,
        outcomeOverdue: Boolean(
          row.outcome_due_at && !row.outcome_shared_at && row.outcome_due_at.getTime() < now.getTime(),
        ),
        mayManage: decideInArea(context.principal, 'strategy-discussion:schedule', row.area_id).allowed,
        mayRecord: decideInArea(context.principal, 'strategy-discussion:record', row.area_id).allowed,
        mayContribute:
          row.status === 'scheduled' &&
          decideStrategyDiscussion(context.principal, 'strategy-discussion:contribute', parties).allowed,
      };
    },

    /** The manager's oversight: requests to decide, discussions to hold, outcomes with their deadlines. */
    async oversight(context: AuditContext) {
      const areaIds = context.principal.areaIds.filter(
        (a) => decideInArea(context.principal, 'strategy-discussion:schedule', a).allowed,
      );
      const rows = await repo.forOversight(db, areaIds);
      await recordAudit(db, context, {
        action: 'strategy-discussion.oversight',
        personIds: [...new Set(rows.flatMap((r) => r.child_person_ids))],
      });
      const now = deps.now().getTime();
      return rows.map((r) => ({
        ...r,
        reference: reference(r.id),
        breached: Boolean(r.outcome_due_at && !r.outcome_shared_at && r.outcome_due_at.getTime() < now),
      }));
    },

    /** The manager's home-page counts (no person is named, so not audited). */
    oversightCounts(principal: AuditContext['principal']) {
      const areaIds = principal.areaIds.filter(
        (a) => decideInArea(principal, 'strategy-discussion:schedule', a).allowed,
      );
      return repo.oversightCounts(db, areaIds, deps.now());
    },

    /** Discussions the signed-in agency asked for or was invited to. */
    async forAgency(context: AuditContext) {
      if (!context.principal.agencyId) return [];
      const rows = await repo.forAgency(db, context.principal.agencyId);
      await recordAudit(db, context, {
        action: 'strategy-discussion.list',
        personIds: [...new Set(rows.flatMap((r) => r.child_person_ids))],
      });
      return rows.map((r) => ({ ...r, reference: reference(r.id) }));
    },

    /** Marks one of this discussion's actions done (the owner agency only, as actions decides). */
    async markActionDone(context: AuditContext, id: string, actionId: string, input: { note: string }) {
      const actions = await c.actions.forSource(context, { kind: 'strategy-discussion', id });
      if (!actions.some((a) => a.id === actionId))
        throw new NotFoundError('The action on this strategy discussion');
      await c.actions.markDone(context, actionId, input);
    },
  };
}

export type StrategyDiscussionService = ReturnType<typeof strategyDiscussionService>;
