import { type Trx, transaction } from '../../../db/database.ts';
import { assertAllowed, type Subject } from '../../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../../platform/audit.ts';
import { auditOnSubject } from '../../../platform/audit-subject.ts';
import type { Deps } from '../../../platform/deps.ts';
import { ConflictError, type FieldError, NotFoundError, ValidationError } from '../../../platform/errors.ts';
import type { Principal } from '../../../platform/principal.ts';
import { childrenOfContact, lockContact } from '../contact-repository.ts';
import { recordOnChildren } from '../contact-steps.ts';
import { type IntakePerson, intake } from '../intake/intake.ts';
import type { Integrations } from '../integrations.ts';
import { frontDoorConfig, routeContact } from '../settings.ts';
import type { IntakeResult } from '../types.ts';
import { CONCERNS, type Concern, isConcern } from '../vocabulary.ts';
import {
  assignEpisode,
  type InboxShow,
  inboxEpisodes,
  insertEpisode,
  insertTransition,
  lockEpisode,
  markSteppedUp,
  openEpisodes,
  recentTransitions,
  stepDownOf,
  toPickUpCount,
  transitionCounts,
} from './early-help-repository.ts';

/** An episode as its refusals and its audit name it: one child's episode, in its area. */
const episodeSubject = (episode: { id: string; person_id: string; area_id: string }): Subject => ({
  type: 'early-help-episode',
  id: episode.id,
  personIds: [episode.person_id],
  areaId: episode.area_id,
});

const blank = (value: unknown) => typeof value !== 'string' || value.trim() === '';

export interface TransitionInput {
  reason?: string;
  handover?: string;
}

/**
 * Early help step-up and step-down (F12). Stepping down turns a front-door decision into an early
 * help episode for each child, with the worker's handover; stepping up turns an episode into a new
 * front-door contact, keeping the lead practitioner and plan in the handover. Both directions are
 * recorded as transitions (counted on the early help page) and on each child's chronology.
 */
export function earlyHelp(deps: Deps, integrations: Integrations) {
  const { db } = deps;
  const { directory } = integrations;
  const { people } = integrations;

  /** Locks an episode the principal may manage and that is still open (step up, pick up). */
  async function openEpisodeToManage(trx: Trx, context: AuditContext, episodeId: string) {
    const episode = await lockEpisode(trx, episodeId);
    if (!episode) throw new NotFoundError('The early help episode');
    assertAllowed(
      context.principal,
      'early-help:manage',
      { areaId: episode.area_id },
      episodeSubject(episode),
    );
    if (episode.status !== 'open') throw new ConflictError('This early help episode is no longer open.');
    return episode;
  }

  function validateTransition(input: TransitionInput, extra: FieldError[] = []) {
    const errors = [...extra];
    if (blank(input.reason)) errors.push({ field: 'reason', message: 'Give the reason for the move' });
    if (blank(input.handover))
      errors.push({ field: 'handover', message: 'Write the handover: what the next worker needs to know' });
    if (errors.length) throw new ValidationError(errors);
  }

  return {
    /** Opens an early help episode for a child known to the front door's area. */
    async openEpisode(
      context: AuditContext,
      input: { personId: string; leadPractitioner: string; leadAgencyId: string; plan: string },
    ) {
      return transaction(db, async (trx) => {
        const [person] = await people.peopleByIds([input.personId], trx);
        if (!person) throw new NotFoundError('The child');
        assertAllowed(
          context.principal,
          'early-help:manage',
          { areaId: person.area_id },
          { type: 'early-help', personIds: [person.id], areaId: person.area_id },
        );
        const episode = await insertEpisode(trx, {
          area_id: person.area_id,
          person_id: person.id,
          lead_practitioner: input.leadPractitioner,
          lead_agency_id: input.leadAgencyId,
          plan: input.plan,
          status: 'open',
          started_at: deps.now(),
          from_contact_id: null,
          recorded_by_name: context.principal.name,
          closed_at: null,
        });
        await auditOnSubject(
          trx,
          context,
          'early-help.open',
          episodeSubject({ id: episode.id, person_id: person.id, area_id: person.area_id }),
        );
        return episode.id;
      });
    },

    /**
     * A decided contact's children move to early help, each with an episode and the handover. The
     * lead is a person or team chosen from the directory (issue 12): one of the lead agencies
     * serving the contact's area, checked here whatever the form offered. The lead agency is given
     * an allocated-worker relationship to each child, so its people may open their records.
     */
    async stepDown(
      context: AuditContext,
      contactId: string,
      input: TransitionInput & { lead?: string; plan?: string },
    ) {
      // In the order the form asks them.
      const extra: FieldError[] = [];
      if (blank(input.lead)) extra.push({ field: 'lead', message: 'Choose the lead practitioner or team' });
      if (blank(input.plan)) extra.push({ field: 'plan', message: 'Describe the early help plan' });
      validateTransition(input, extra);
      return transaction(db, async (trx) => {
        const contact = await lockContact(trx, contactId);
        if (!contact) throw new NotFoundError('The contact');
        const children = await childrenOfContact(trx, contactId);
        assertAllowed(
          context.principal,
          'early-help:manage',
          { areaId: contact.area_id },
          {
            type: 'contact',
            id: contactId,
            personIds: children.map((c) => c.person_id),
            areaId: contact.area_id,
          },
        );
        if (contact.status !== 'closed')
          throw new ConflictError('Record the front-door decision before stepping down to early help.');
        const done = await stepDownOf(trx, contactId);
        if (done) throw new ConflictError('These children have already been stepped down to early help.');
        const lead = (await directory.earlyHelpLeadChoices(contact.area_id, trx)).find(
          (choice) => choice.value === input.lead,
        );
        if (!lead)
          throw new ValidationError([
            { field: 'lead', message: 'Choose a lead practitioner or team from the list' },
          ]);
        const now = deps.now();
        const episodes: string[] = [];
        for (const child of children) {
          const episode = await insertEpisode(trx, {
            area_id: contact.area_id,
            person_id: child.person_id,
            lead_practitioner: lead.name,
            lead_agency_id: lead.agencyId,
            lead_user_id: lead.kind === 'user' ? lead.id : null,
            lead_team_id: lead.kind === 'team' ? lead.id : null,
            plan: input.plan!.trim(),
            status: 'open',
            started_at: now,
            from_contact_id: contactId,
            recorded_by_name: context.principal.name,
            closed_at: null,
          });
          episodes.push(episode.id);
          await insertTransition(trx, {
            area_id: contact.area_id,
            direction: 'step-down',
            person_id: child.person_id,
            episode_id: episode.id,
            contact_id: contactId,
            reason: input.reason!.trim(),
            handover: input.handover!.trim(),
            recorded_at: now,
            recorded_by_user_id: context.principal.userId,
            recorded_by_name: context.principal.name,
          });
        }
        await integrations.grantRelationships(
          trx,
          children.map((c, i) => ({
            personId: c.person_id,
            areaId: contact.area_id,
            agencyId: lead.agencyId,
            basis: 'allocated-worker' as const,
            episodeType: 'early-help',
            episodeId: episodes[i]!,
            grantedByAgencyId: context.principal.agencyId,
            grantedByName: context.principal.name,
            grantedAt: now,
          })),
        );
        await recordOnChildren(
          trx,
          context,
          integrations,
          { childIds: children.map((c) => c.person_id), areaId: contact.area_id, contactId, at: now },
          {
            type: 'early-help-step-down',
            significance: 'medium',
            summary: `Stepped down from the front door (${contact.reference}) to early help, led by ${lead.name}: ${input.reason!.trim()}`,
            subjectType: 'contact',
            subjectId: contactId,
          },
          { kind: 'step-down', summary: `Stepped down to early help, led by ${lead.text}.` },
        );
        await recordAudit(trx, context, {
          action: 'early-help.step-down',
          subjectType: 'contact',
          subjectId: contactId,
          personIds: children.map((c) => c.person_id),
          areaId: contact.area_id,
          details: { episodes, lead: lead.value },
        });
        return episodes;
      });
    },

    /** An early help episode comes back to the front door as a new contact, with its handover. */
    async stepUp(context: AuditContext, episodeId: string, input: TransitionInput & { concerns?: string[] }) {
      const concerns = (input.concerns ?? []).filter(isConcern) as Concern[];
      validateTransition(
        input,
        concerns.length ? [] : [{ field: 'concerns', message: 'Select at least one concern' }],
      );
      return transaction(db, async (trx) => {
        const episode = await openEpisodeToManage(trx, context, episodeId);
        const postcode = await people.latestPostcode(episode.person_id, trx);
        const { settings } = frontDoorConfig(deps);
        const now = deps.now();
        const child: IntakePerson = {
          role: 'child',
          person: { kind: 'child', givenName: episode.given_name, familyName: episode.family_name },
          existingPersonId: episode.person_id,
          details: {},
          chronology: {
            role: 'subject',
            significance: 'high',
            summary: `Stepped up from early help (lead practitioner ${episode.lead_practitioner}, ${episode.agency_name}): ${input.reason!.trim()}`,
          },
        };
        const districts = await directory.areaPostcodeDistricts(episode.area_id, trx);
        const result: IntakeResult = await intake(deps, integrations, trx, context, {
          kind: 'contact',
          action: 'contact:create',
          sourceCode: '5D',
          referrer: {
            name: episode.lead_practitioner,
            organisation: episode.agency_name,
            role: 'Early help lead practitioner',
          },
          postcode: postcode ?? `${districts[0] ?? ''} 1AA`,
          postcodeField: 'postcode',
          concerns,
          details: {
            narrative: input.reason!.trim(),
            actionsTaken: `Early help plan: ${episode.plan}\n\nHandover: ${input.handover!.trim()}`,
            consent: {
              asked: false,
              reasonSharingWithoutConsent: 'Step-up from an early help plan the family agreed to',
            },
            familyKnows: true,
            earlyHelpEpisodeId: episodeId,
          },
          incidentRef: null,
          incidentDate: null,
          occurredAt: now,
          riskGrade: null,
          dashStatus: null,
          route: {
            route: 'mash',
            reason: `Stepped up from early help (${routeContact(settings, concerns).reason})`,
          },
          rag: null,
          people: [
            { ...child, relationships: [{ agencyId: episode.lead_agency_id, basis: 'allocated-worker' }] },
          ],
          chronologyType: 'contact',
          summary: `Step-up from early help: ${concerns.map((c) => CONCERNS[c]).join(', ')}.`,
        });
        await markSteppedUp(trx, episodeId, now);
        await insertTransition(trx, {
          area_id: episode.area_id,
          direction: 'step-up',
          person_id: episode.person_id,
          episode_id: episodeId,
          contact_id: result.contactId,
          reason: input.reason!.trim(),
          handover: input.handover!.trim(),
          recorded_at: now,
          recorded_by_user_id: context.principal.userId,
          recorded_by_name: context.principal.name,
        });
        await integrations.recordChronology(trx, context, [
          {
            personId: episode.person_id,
            areaId: episode.area_id,
            type: 'early-help-step-up',
            occurredAt: now,
            significance: 'high',
            summary: `Stepped up from early help to the front door (${result.reference}): ${input.reason!.trim()}`,
            subjectType: 'contact',
            subjectId: result.contactId,
          },
        ]);
        await auditOnSubject(trx, context, 'early-help.step-up', episodeSubject(episode), {
          details: { contactId: result.contactId },
        });
        return result;
      });
    },

    /**
     * The early-help inbox (issue 12): stepped-down children waiting to be picked up (or those the
     * principal picked up, or every open episode), a page at a time. The read is audited.
     */
    async inbox(
      context: AuditContext,
      query: { show: InboxShow; leadAgencyId?: string; page: number; pageSize: number },
    ) {
      assertAllowed(context.principal, 'early-help:manage');
      const areaIds = context.principal.areaIds;
      if (areaIds.length === 0) return { rows: [], total: 0 };
      const result = await inboxEpisodes(db, { ...query, areaIds, userId: context.principal.userId });
      if (result.rows.length)
        await recordAudit(db, context, {
          action: 'early-help.inbox-view',
          subjectType: 'early-help-inbox',
          subjectId: query.show,
          personIds: [...new Set(result.rows.map((r) => r.person_id))],
          details: { page: query.page, episodes: result.rows.length },
        });
      return result;
    },

    /** The inbox's count for a home page: children waiting to be picked up in the areas. */
    async toPickUp(principal: Principal) {
      assertAllowed(principal, 'early-help:manage');
      return toPickUpCount(db, principal.areaIds);
    },

    /** Picks an episode up from the inbox: assigned to the principal, in one audited transaction. */
    async assignToMe(context: AuditContext, episodeId: string) {
      return transaction(db, async (trx) => {
        const episode = await openEpisodeToManage(trx, context, episodeId);
        if (episode.assigned_user_id && episode.assigned_user_id !== context.principal.userId)
          throw new ConflictError(`${episode.assigned_name ?? 'Someone else'} has already picked this up.`);
        const now = deps.now();
        await assignEpisode(trx, episodeId, {
          userId: context.principal.userId,
          name: context.principal.name,
          at: now,
        });
        await auditOnSubject(trx, context, 'early-help.assign', episodeSubject(episode));
        return { name: `${episode.given_name} ${episode.family_name}` };
      });
    },

    /** Open episodes in the principal's areas, and both directions counted. */
    async overview(context: AuditContext) {
      assertAllowed(context.principal, 'early-help:manage');
      const areaIds = context.principal.areaIds;
      if (areaIds.length === 0) return { episodes: [], counts: { stepUp: 0, stepDown: 0 }, recent: [] };
      const [episodes, counts, recent] = await Promise.all([
        openEpisodes(db, areaIds),
        transitionCounts(db, areaIds),
        recentTransitions(db, areaIds),
      ]);
      await recordAudit(db, context, {
        action: 'early-help.list',
        personIds: episodes.map((e) => e.person_id),
        details: { episodes: episodes.length },
      });
      return { episodes, counts, recent };
    },
  };
}
