import { type Trx, transaction } from '../../db/database.ts';
import type { DecisionOutcome } from '../../domain/chronology-event.ts';
import { deadlinesFor, RAG_RATINGS, type Rag } from '../../domain/clock.ts';
import { isRiskLevel } from '../../domain/instruments/bands.ts';
import { assertAllowed } from '../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { ConflictError, type FieldError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { contactResource } from './contact-access.ts';
import type { Integrations } from './integrations.ts';
import { DEADLINE_QUEUE, type DeadlineJob } from './job-names.ts';
import * as repo from './repository.ts';
import { frontDoorConfig, needsSignOff } from './settings.ts';
import type { DecisionInput } from './types.ts';
import { isOutcome, OPEN_STATUSES, OUTCOMES, RAG_LABELS } from './vocabulary.ts';

const TEXT_MAX = 10_000;
const blank = (value: unknown) => typeof value !== 'string' || value.trim() === '';

/** Screening, assignment, enquiries, responses, decisions and sign-off: each one transaction. */
export function workflow(deps: Deps, integrations: Integrations) {
  const { db } = deps;
  const { directory } = integrations;

  async function lockedContact(trx: Trx, id: string) {
    const contact = await trx
      .selectFrom('contact')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!contact) throw new NotFoundError('The contact');
    return contact;
  }

  async function childIdsOf(trx: Trx, contactId: string) {
    const rows = await trx
      .selectFrom('contact_person')
      .select(['person_id', 'role'])
      .where('contact_id', '=', contactId)
      .orderBy('position')
      .execute();
    return {
      all: rows.map((r) => r.person_id),
      children: rows.filter((r) => r.role === 'child').map((r) => r.person_id),
    };
  }

  function assertOpen(contact: { status: string; reference: string }) {
    if (!(OPEN_STATUSES as readonly string[]).includes(contact.status))
      throw new ConflictError(
        `${contact.reference} is no longer open: its decision has been made or it is a duplicate.`,
      );
  }

  async function enqueueDeadline(trx: Trx, due: Date, data: DeadlineJob) {
    if (!deps.jobs) return;
    await deps.jobs.enqueue(trx, DEADLINE_QUEUE, data, {
      startAfter: new Date(due.getTime() + 1000),
      singletonKey: `${data.kind}:${data.enquiryId ?? data.contactId}:${due.getTime()}`,
    });
  }

  async function authorisedContact(
    trx: Trx,
    context: AuditContext,
    id: string,
    action: 'contact:screen' | 'contact:decide',
  ) {
    const contact = await lockedContact(trx, id);
    const people = await childIdsOf(trx, id);
    assertAllowed(context.principal, action, contactResource(contact, [], deps.now()), {
      type: 'contact',
      id,
      personIds: people.all,
      areaId: contact.area_id,
    });
    return { contact, people };
  }

  /** Finalises a decision: the contact closes, the referrer is told (F1, F16) and open enquiries are withdrawn. */
  async function finalise(
    trx: Trx,
    context: AuditContext,
    contact: { id: string; area_id: string; reference: string; source_agency_id: string | null },
    decision: { levelOfNeed: string; outcome: string; feedback: string },
  ) {
    const now = deps.now();
    await trx
      .updateTable('contact')
      .set({
        status: 'closed',
        level_of_need: decision.levelOfNeed,
        outcome: decision.outcome,
        decided_at: now,
        feedback: decision.feedback,
        feedback_sent_at: now,
        closed_at: now,
        updated_at: now,
      })
      .where('id', '=', contact.id)
      .execute();
    await trx
      .updateTable('enquiry')
      .set({ status: 'withdrawn' })
      .where('contact_id', '=', contact.id)
      .where('status', '=', 'open')
      .execute();
    await integrations.endEnquiryEpisodes(trx, contact.id, now);
    if (contact.source_agency_id) {
      await repo.notify(trx, {
        area_id: contact.area_id,
        contact_id: contact.id,
        kind: 'feedback',
        audience_agency_id: contact.source_agency_id,
        message: `Outcome of ${contact.reference}: ${OUTCOMES[decision.outcome as DecisionOutcome] ?? decision.outcome}.`,
        created_at: now,
        dedupe_key: `feedback:${contact.id}`,
      });
    }
    await repo.addHistory(trx, [
      {
        area_id: contact.area_id,
        contact_id: contact.id,
        at: now,
        actor_name: context.principal.name,
        kind: 'feedback',
        summary: 'Outcome fed back to the referrer.',
      },
    ]);
  }

  function validateDecision(input: Partial<DecisionInput>, prefix = ''): FieldError[] {
    const { settings } = frontDoorConfig(deps);
    const errors: FieldError[] = [];
    if (!settings.levelsOfNeed.some((l) => l.code === input.levelOfNeed))
      errors.push({ field: `${prefix}levelOfNeed`, message: 'Select the level of need' });
    if (!isOutcome(input.outcome)) errors.push({ field: `${prefix}outcome`, message: 'Select the outcome' });
    if (blank(input.rationale))
      errors.push({ field: `${prefix}rationale`, message: 'Give the rationale for the decision' });
    else if (input.rationale!.length > TEXT_MAX)
      errors.push({
        field: `${prefix}rationale`,
        message: `Rationale must be ${TEXT_MAX} characters or fewer`,
      });
    if (blank(input.feedback))
      errors.push({ field: `${prefix}feedback`, message: 'Write what the referrer will be told' });
    return errors;
  }

  return {
    validateDecision,

    async assignToMe(context: AuditContext, contactId: string) {
      return transaction(db, async (trx) => {
        const { contact, people } = await authorisedContact(trx, context, contactId, 'contact:screen');
        assertOpen(contact);
        const now = deps.now();
        await trx
          .updateTable('contact')
          .set({
            assigned_user_id: context.principal.userId,
            assigned_name: context.principal.name,
            updated_at: now,
          })
          .where('id', '=', contactId)
          .execute();
        await repo.addHistory(trx, [
          {
            area_id: contact.area_id,
            contact_id: contactId,
            at: now,
            actor_name: context.principal.name,
            kind: 'assigned',
            summary: `Assigned to ${context.principal.name}.`,
          },
        ]);
        await recordAudit(trx, context, {
          action: 'contact.assign',
          subjectType: 'contact',
          subjectId: contactId,
          personIds: people.all,
          areaId: contact.area_id,
        });
      });
    },

    /** Sets (or confirms) the RAG rating; the clock follows it. */
    async screen(context: AuditContext, contactId: string, input: { rag?: string; rationale?: string }) {
      const errors: FieldError[] = [];
      if (!(RAG_RATINGS as readonly string[]).includes(input.rag ?? ''))
        errors.push({ field: 'rag', message: 'Select a RAG rating' });
      if (blank(input.rationale))
        errors.push({ field: 'rationale', message: 'Give the reason for the RAG rating' });
      if (errors.length) throw new ValidationError(errors);
      const rag = input.rag as Rag;
      return transaction(db, async (trx) => {
        const { contact, people } = await authorisedContact(trx, context, contactId, 'contact:screen');
        assertOpen(contact);
        const config = frontDoorConfig(deps);
        const now = deps.now();
        const deadlines = deadlinesFor(
          { receivedAt: new Date(contact.received_at), rag, screenedAt: now },
          config.timescales,
          config.calendar,
        );
        await trx
          .updateTable('contact')
          .set({
            rag,
            rag_source: 'screening',
            screened_at: now,
            screened_by_name: context.principal.name,
            status: contact.status === 'screening' ? 'gathering' : contact.status,
            enquiries_due_at: deadlines.enquiriesDueAt ?? null,
            decision_due_at: deadlines.decisionDueAt,
            rescreen_requested_at: null,
            rescreen_reason: null,
            updated_at: now,
          })
          .where('id', '=', contactId)
          .execute();
        if (deadlines.decisionDueAt.getTime() !== new Date(contact.decision_due_at).getTime())
          await enqueueDeadline(trx, deadlines.decisionDueAt, { contactId, kind: 'decision' });
        await repo.addHistory(trx, [
          {
            area_id: contact.area_id,
            contact_id: contactId,
            at: now,
            actor_name: context.principal.name,
            kind: 'screened',
            summary: `Screened ${RAG_LABELS[rag]}. ${input.rationale!.trim()}`,
          },
        ]);
        await recordAudit(trx, context, {
          action: 'contact.screen',
          subjectType: 'contact',
          subjectId: contactId,
          personIds: people.all,
          areaId: contact.area_id,
          details: { rag, previous: contact.rag },
        });
        return {
          rag,
          decisionDueAt: deadlines.decisionDueAt,
          enquiriesDueAt: deadlines.enquiriesDueAt ?? null,
        };
      });
    },

    /** Information requests to partner agencies, each due by the RAG's enquiry deadline. */
    async sendEnquiries(
      context: AuditContext,
      contactId: string,
      input: { agencyIds: string[]; question?: string },
    ) {
      const errors: FieldError[] = [];
      const agencyIds = [...new Set(input.agencyIds.filter(Boolean))];
      if (agencyIds.length === 0)
        errors.push({ field: 'agencyIds', message: 'Select at least one agency to ask' });
      if (blank(input.question)) errors.push({ field: 'question', message: 'Say what information you need' });
      else if (input.question!.length > TEXT_MAX)
        errors.push({ field: 'question', message: `The request must be ${TEXT_MAX} characters or fewer` });
      if (errors.length) throw new ValidationError(errors);
      return transaction(db, async (trx) => {
        const { contact, people } = await authorisedContact(trx, context, contactId, 'contact:screen');
        assertOpen(contact);
        const serving = new Set((await directory.agenciesInArea(contact.area_id, trx)).map((a) => a.id));
        if (agencyIds.some((id) => !serving.has(id)))
          throw new ValidationError([
            { field: 'agencyIds', message: 'Choose agencies that serve this area' },
          ]);
        const now = deps.now();
        const dueAt = new Date(contact.enquiries_due_at ?? contact.decision_due_at);
        const created = await trx
          .insertInto('enquiry')
          .values(
            agencyIds.map((agencyId) => ({
              area_id: contact.area_id,
              contact_id: contactId,
              agency_id: agencyId,
              question: input.question!.trim(),
              status: 'open' as const,
              requested_at: now,
              requested_by_user_id: context.principal.userId,
              requested_by_name: context.principal.name,
              due_at: dueAt,
              breached_at: null,
              response: null,
              responded_at: null,
              responded_by_user_id: null,
              responded_by_name: null,
            })),
          )
          .onConflict((oc) => oc.columns(['contact_id', 'agency_id']).doNothing())
          .returning(['id', 'agency_id'])
          .execute();
        // Each agency asked may see the contact's people for this episode (docs/access.md).
        await integrations.grantRelationships(
          trx,
          created.flatMap((enquiry) =>
            people.all.map((personId) => ({
              personId,
              areaId: contact.area_id,
              agencyId: enquiry.agency_id,
              basis: 'enquiry' as const,
              contactId,
              episodeType: 'enquiry',
              episodeId: enquiry.id,
              grantedByAgencyId: context.principal.agencyId,
              grantedByName: context.principal.name,
              grantedAt: now,
            })),
          ),
        );
        await trx
          .updateTable('contact')
          .set({
            status: contact.status === 'screening' ? 'gathering' : contact.status,
            updated_at: now,
          })
          .where('id', '=', contactId)
          .execute();
        const names = new Map((await directory.agenciesByIds(agencyIds, trx)).map((a) => [a.id, a.name]));
        for (const enquiry of created) {
          await enqueueDeadline(trx, dueAt, { contactId, kind: 'enquiry', enquiryId: enquiry.id });
          await repo.notify(trx, {
            area_id: contact.area_id,
            contact_id: contactId,
            enquiry_id: enquiry.id,
            kind: 'enquiry',
            audience_agency_id: enquiry.agency_id,
            message: `Information requested for ${contact.reference}.`,
            created_at: now,
            dedupe_key: `enquiry:${enquiry.id}`,
          });
        }
        if (created.length)
          await repo.addHistory(trx, [
            {
              area_id: contact.area_id,
              contact_id: contactId,
              at: now,
              actor_name: context.principal.name,
              kind: 'enquiries',
              summary: `Information requested from ${created.map((e) => names.get(e.agency_id)).join(', ')}.`,
            },
          ]);
        await recordAudit(trx, context, {
          action: 'enquiry.send',
          subjectType: 'contact',
          subjectId: contactId,
          personIds: people.all,
          areaId: contact.area_id,
          details: { agencies: created.map((e) => e.agency_id), skipped: agencyIds.length - created.length },
        });
        return { created: created.map((e) => e.id), dueAt };
      });
    },

    /** An agency's answer to an enquiry, with who and when; each child's chronology gets it. */
    async respond(context: AuditContext, enquiryId: string, input: { response?: string }) {
      if (blank(input.response))
        throw new ValidationError([
          { field: 'response', message: 'Enter the information your agency holds' },
        ]);
      if (input.response!.length > TEXT_MAX)
        throw new ValidationError([
          { field: 'response', message: `The response must be ${TEXT_MAX} characters or fewer` },
        ]);
      return transaction(db, async (trx) => {
        const enquiry = await trx
          .selectFrom('enquiry')
          .selectAll()
          .where('id', '=', enquiryId)
          .forUpdate()
          .executeTakeFirst();
        if (!enquiry) throw new NotFoundError('The enquiry');
        const people = await childIdsOf(trx, enquiry.contact_id);
        assertAllowed(
          context.principal,
          'enquiry:respond',
          {
            areaId: enquiry.area_id,
            relationships: await integrations.enquiryRelationships(enquiryId, trx),
            asOf: deps.now(),
          },
          { type: 'enquiry', id: enquiryId, personIds: people.all, areaId: enquiry.area_id },
        );
        if (enquiry.status !== 'open')
          throw new ConflictError(
            enquiry.status === 'responded'
              ? 'This enquiry has already been answered.'
              : 'This enquiry was withdrawn because the decision has been made.',
          );
        const now = deps.now();
        await trx
          .updateTable('enquiry')
          .set({
            status: 'responded',
            response: input.response!.trim(),
            responded_at: now,
            responded_by_user_id: context.principal.userId,
            responded_by_name: context.principal.name,
          })
          .where('id', '=', enquiryId)
          .execute();
        const contact = await trx
          .selectFrom('contact')
          .select(['reference', 'area_id'])
          .where('id', '=', enquiry.contact_id)
          .executeTakeFirstOrThrow();
        const text = input.response!.trim();
        await integrations.recordChronology(
          trx,
          context,
          people.children.map((personId) => ({
            personId,
            areaId: enquiry.area_id,
            type: 'enquiry-response' as const,
            occurredAt: now,
            significance: 'medium' as const,
            summary: `${context.principal.agencyName ?? 'An agency'} answered the front-door enquiry for ${contact.reference}: ${text.length > 500 ? `${text.slice(0, 497)}...` : text}`,
            subjectType: 'enquiry',
            subjectId: enquiryId,
          })),
        );
        await repo.addHistory(trx, [
          {
            area_id: enquiry.area_id,
            contact_id: enquiry.contact_id,
            at: now,
            actor_name: context.principal.name,
            kind: 'response',
            summary: `${context.principal.agencyName ?? 'An agency'} responded to the enquiry.`,
          },
        ]);
        await recordAudit(trx, context, {
          action: 'enquiry.respond',
          subjectType: 'enquiry',
          subjectId: enquiryId,
          personIds: people.all,
          areaId: enquiry.area_id,
          details: { contactId: enquiry.contact_id },
        });
        return { enquiryId, contactId: enquiry.contact_id, respondedAt: now };
      });
    },

    /** The threshold decision (F1), with the cumulative-risk summary the worker was shown. */
    async decide(context: AuditContext, contactId: string, input: Partial<DecisionInput>) {
      const errors = validateDecision(input);
      if (errors.length) throw new ValidationError(errors);
      const { settings } = frontDoorConfig(deps);
      return transaction(db, async (trx) => {
        const { contact, people } = await authorisedContact(trx, context, contactId, 'contact:decide');
        assertOpen(contact);
        if (contact.status === 'awaiting-sign-off')
          throw new ConflictError('A decision is already awaiting sign-off.');
        const now = deps.now();
        const signOff = needsSignOff(settings, input.levelOfNeed!, input.outcome!);
        const decision = await trx
          .insertInto('decision')
          .values({
            area_id: contact.area_id,
            contact_id: contactId,
            level_of_need: input.levelOfNeed!,
            outcome: input.outcome!,
            rationale: input.rationale!.trim(),
            feedback: input.feedback!.trim(),
            risk_summary_seen: input.riskSummarySeen ? JSON.stringify(input.riskSummarySeen) : null,
            decided_at: now,
            decided_by_user_id: context.principal.userId,
            decided_by_name: context.principal.name,
            sign_off_status: signOff ? 'awaiting' : 'not-required',
            signed_off_at: null,
            signed_off_by_user_id: null,
            signed_off_by_name: null,
            sign_off_reason: null,
            final_level_of_need: signOff ? null : input.levelOfNeed!,
            final_outcome: signOff ? null : input.outcome!,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const level = settings.levelsOfNeed.find((l) => l.code === input.levelOfNeed)!;
        // The risk level the decision was made on: the cumulative picture shown, else the officer's grade.
        const shown = input.riskSummarySeen?.level;
        const decidedOn = isRiskLevel(shown) ? shown : contact.risk_grade;
        await integrations.recordChronology(
          trx,
          context,
          people.children.map((personId) => ({
            personId,
            areaId: contact.area_id,
            type: 'decision' as const,
            occurredAt: now,
            significance:
              input.outcome === 'no-further-action' || input.outcome === 'universal-services'
                ? ('low' as const)
                : ('high' as const),
            summary: `Front-door decision on ${contact.reference}: ${OUTCOMES[input.outcome!]} (${level.label})${signOff ? ', awaiting manager sign-off' : ''}.`,
            data: {
              decisionLevel: input.levelOfNeed!,
              decisionOutcome: input.outcome!,
              ...(decidedOn ? { riskGrade: decidedOn } : {}),
            },
            subjectType: 'decision',
            subjectId: decision.id,
          })),
        );
        await repo.addHistory(trx, [
          {
            area_id: contact.area_id,
            contact_id: contactId,
            at: now,
            actor_name: context.principal.name,
            kind: 'decision',
            summary: `Decision: ${OUTCOMES[input.outcome!]} (${level.label}).${signOff ? ' Needs a manager’s sign-off.' : ''}`,
          },
        ]);
        if (signOff) {
          await trx
            .updateTable('contact')
            .set({
              status: 'awaiting-sign-off',
              level_of_need: input.levelOfNeed!,
              outcome: input.outcome!,
              updated_at: now,
            })
            .where('id', '=', contactId)
            .execute();
          await repo.notify(trx, {
            area_id: contact.area_id,
            contact_id: contactId,
            kind: 'sign-off',
            audience_role: 'mash_manager',
            message: `${contact.reference}: a decision awaits your sign-off.`,
            created_at: now,
            dedupe_key: `sign-off:${decision.id}`,
          });
        } else {
          await finalise(trx, context, contact, {
            levelOfNeed: input.levelOfNeed!,
            outcome: input.outcome!,
            feedback: input.feedback!.trim(),
          });
        }
        await recordAudit(trx, context, {
          action: 'decision.record',
          subjectType: 'decision',
          subjectId: decision.id,
          personIds: people.all,
          areaId: contact.area_id,
          details: {
            contactId,
            level: input.levelOfNeed,
            outcome: input.outcome,
            signOff,
            riskSummarySeen: input.riskSummarySeen ?? null,
          },
        });
        return { decisionId: decision.id, signOffRequired: signOff };
      });
    },

    /** Management oversight (F26): agree, or change the decision, always with a reason. */
    async signOff(
      context: AuditContext,
      contactId: string,
      input: { agree?: boolean; reason?: string; levelOfNeed?: string; outcome?: string; feedback?: string },
    ) {
      const errors: FieldError[] = [];
      if (input.agree === undefined)
        errors.push({ field: 'agree', message: 'Select whether you agree with the decision' });
      if (blank(input.reason)) errors.push({ field: 'reason', message: 'Give the reason for your sign-off' });
      if (input.agree === false) {
        const { settings } = frontDoorConfig(deps);
        if (!settings.levelsOfNeed.some((l) => l.code === input.levelOfNeed))
          errors.push({ field: 'levelOfNeed', message: 'Select the level of need you have decided' });
        if (!isOutcome(input.outcome))
          errors.push({ field: 'outcome', message: 'Select the outcome you have decided' });
      }
      if (errors.length) throw new ValidationError(errors);
      return transaction(db, async (trx) => {
        const contact = await lockedContact(trx, contactId);
        const people = await childIdsOf(trx, contactId);
        assertAllowed(context.principal, 'decision:sign-off', contactResource(contact, [], deps.now()), {
          type: 'contact',
          id: contactId,
          personIds: people.all,
          areaId: contact.area_id,
        });
        const decision = await trx
          .selectFrom('decision')
          .selectAll()
          .where('contact_id', '=', contactId)
          .executeTakeFirst();
        if (decision?.sign_off_status !== 'awaiting')
          throw new ConflictError('There is no decision awaiting sign-off on this contact.');
        if (decision.decided_by_user_id && decision.decided_by_user_id === context.principal.userId)
          throw new ConflictError(
            'A decision must be signed off by someone other than the person who made it.',
          );
        const now = deps.now();
        const level = input.agree ? decision.level_of_need : input.levelOfNeed!;
        const outcome = input.agree ? decision.outcome : input.outcome!;
        const feedback = input.agree ? decision.feedback : input.feedback?.trim() || decision.feedback;
        await trx
          .updateTable('decision')
          .set({
            sign_off_status: input.agree ? 'agreed' : 'changed',
            signed_off_at: now,
            signed_off_by_user_id: context.principal.userId,
            signed_off_by_name: context.principal.name,
            sign_off_reason: input.reason!.trim(),
            final_level_of_need: level,
            final_outcome: outcome,
            feedback,
          })
          .where('id', '=', decision.id)
          .execute();
        if (!input.agree) {
          await integrations.recordChronology(
            trx,
            context,
            people.children.map((personId) => ({
              personId,
              areaId: contact.area_id,
              type: 'decision' as const,
              occurredAt: now,
              significance: 'high' as const,
              summary: `Manager changed the front-door decision on ${contact.reference} to ${OUTCOMES[outcome as DecisionOutcome]}: ${input.reason!.trim()}`,
              data: { decisionLevel: level, decisionOutcome: outcome as DecisionOutcome },
              subjectType: 'decision',
              subjectId: decision.id,
            })),
          );
        }
        await repo.addHistory(trx, [
          {
            area_id: contact.area_id,
            contact_id: contactId,
            at: now,
            actor_name: context.principal.name,
            kind: 'sign-off',
            summary: input.agree
              ? `Manager agreed the decision. ${input.reason!.trim()}`
              : `Manager changed the decision to ${OUTCOMES[outcome as DecisionOutcome]}. ${input.reason!.trim()}`,
          },
        ]);
        await finalise(trx, context, contact, { levelOfNeed: level, outcome, feedback });
        await recordAudit(trx, context, {
          action: 'decision.sign-off',
          subjectType: 'decision',
          subjectId: decision.id,
          personIds: people.all,
          areaId: contact.area_id,
          details: { agreed: input.agree, level, outcome },
        });
        return { decisionId: decision.id, outcome, levelOfNeed: level };
      });
    },
  };
}
