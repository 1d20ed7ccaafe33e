import { type Db, transaction } from '../../../db/database.ts';
import { agencyDeadline, isAgencyOpen } from '../../../domain/agency-hours.ts';
import type { Rag, Timescale } from '../../../domain/clock.ts';
import { assertAllowed, enquiryConcerns } from '../../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../../platform/audit.ts';
import type { Deps } from '../../../platform/deps.ts';
import { ConflictError, type FieldError, NotFoundError, ValidationError } from '../../../platform/errors.ts';
import type { DirectoryService } from '../../directory/service.ts';
import { contactReference, updateContact } from '../contact-repository.ts';
import { blank, type ContactSteps, recordOnChildren, TEXT_MAX } from '../contact-steps.ts';
import type { Integrations } from '../integrations.ts';
import * as repo from '../repository.ts';
import { agencyCalendarFor, frontDoorConfig } from '../settings.ts';
import { insertEnquiries, lockEnquiry, recordResponse } from './enquiry-repository.ts';

function validateEnquiries(input: { agencyIds: string[]; question?: string }) {
  const errors: FieldError[] = [];
  const agencyIds = [...new Set(input.agencyIds.filter(Boolean))];
  if (agencyIds.length === 0)
    errors.push({ field: 'agencyIds', message: 'Select at least one agency to ask' });
  if (blank(input.question)) errors.push({ field: 'question', message: 'Say what information you need' });
  else if (input.question!.length > TEXT_MAX)
    errors.push({ field: 'question', message: `The request must be ${TEXT_MAX} characters or fewer` });
  if (errors.length) throw new ValidationError(errors);
  return { agencyIds, question: input.question!.trim() };
}

function validateResponse(input: { response?: string }) {
  if (blank(input.response))
    throw new ValidationError([{ field: 'response', message: 'Enter the information your agency holds' }]);
  if (input.response!.length > TEXT_MAX)
    throw new ValidationError([
      { field: 'response', message: `The response must be ${TEXT_MAX} characters or fewer` },
    ]);
  return input.response!.trim();
}

/**
 * When an enquiry to an agency of a kind is due: the RAG's enquiry timescale counted in that
 * agency's opening hours from the moment it is asked (issue 12); without a RAG, the contact's own.
 */
export function enquiryDeadlines(
  deps: Deps,
  contact: { rag: string | null; enquiries_due_at: Date | string | null; decision_due_at: Date | string },
  now: Date,
) {
  const { settings } = frontDoorConfig(deps);
  const timescale = contact.rag ? settings.timescales.enquiries[contact.rag as Rag] : null;
  return (kind: string) => {
    const calendar = agencyCalendarFor(settings, kind);
    const outOfHours = !isAgencyOpen(now, calendar);
    if (!timescale)
      return { dueAt: new Date(contact.enquiries_due_at ?? contact.decision_due_at), outOfHours };
    return { dueAt: agencyDeadline(now, timescale as Timescale, calendar), outOfHours };
  };
}

/** Information requests to partner agencies (F16, F18) and each agency's answer. */
export function enquiries(
  deps: Deps,
  db: Db,
  steps: ContactSteps,
  integrations: Integrations,
  directory: DirectoryService,
) {
  return {
    /** Information requests to partner agencies, each due by the RAG's enquiry deadline. */
    async sendEnquiries(
      context: AuditContext,
      contactId: string,
      input: { agencyIds: string[]; question?: string },
    ) {
      const { agencyIds, question } = validateEnquiries(input);
      return transaction(db, async (trx) => {
        const { contact, people } = await steps.authorisedContact(trx, context, contactId, 'contact:screen');
        steps.assertOpen(contact);
        const serving = new Set((await directory.agenciesInArea(contact.area_id, trx)).map((a) => a.id));
        if (agencyIds.some((id) => !serving.has(id)))
          throw new ValidationError([
            { field: 'agencyIds', message: 'Choose agencies that serve this area' },
          ]);
        const now = deps.now();
        const agencies = new Map((await directory.agenciesByIds(agencyIds, trx)).map((a) => [a.id, a]));
        const dueFor = enquiryDeadlines(deps, contact, now);
        const created = await insertEnquiries(
          trx,
          agencyIds.map((agencyId) => ({
            area_id: contact.area_id,
            contact_id: contactId,
            agency_id: agencyId,
            question,
            status: 'open' as const,
            requested_at: now,
            requested_by_user_id: context.principal.userId,
            requested_by_name: context.principal.name,
            due_at: dueFor(agencies.get(agencyId)!.kind).dueAt,
            breached_at: null,
            response: null,
            responded_at: null,
            responded_by_user_id: null,
            responded_by_name: null,
          })),
        );
        // Each agency asked may see, for this episode, the people its enquiry concerns: the
        // adults and the children it serves (access.ts, docs/access.md).
        const access = await integrations.peopleAccess(people.all, trx);
        const children = new Set(people.children);
        const facts = people.all.map((personId) => ({
          personId,
          child: children.has(personId),
          relationships: access.get(personId)?.relationships ?? [],
        }));
        await integrations.grantRelationships(
          trx,
          created.flatMap((enquiry) =>
            enquiryConcerns(agencies.get(enquiry.agency_id)!, facts, now).map((personId) => ({
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
        await updateContact(trx, contactId, {
          status: contact.status === 'screening' ? 'gathering' : contact.status,
          updated_at: now,
        });
        const names = new Map([...agencies.values()].map((a) => [a.id, a.name]));
        for (const enquiry of created) {
          const dueAt = dueFor(agencies.get(enquiry.agency_id)!.kind).dueAt;
          await steps.enqueueDeadline(trx, dueAt, { contactId, kind: 'enquiry', enquiryId: enquiry.id });
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
          // The agency asked is told on its chosen channels too: the reference and a link, no names.
          await integrations.outbox?.enqueue(trx, context, {
            type: 'front-door.enquiry',
            to: { agencyId: enquiry.agency_id },
            areaId: contact.area_id,
            personIds: people.all,
            reference: contact.reference,
            subject: `Information requested for ${contact.reference}`,
            link: `/front-door/contacts/${contactId}`,
            dueBy: dueAt,
          });
        }
        if (created.length)
          await steps.addToTimeline(
            trx,
            context,
            { areaId: contact.area_id, contactId, at: now },
            'enquiries',
            `Information requested from ${created.map((e) => names.get(e.agency_id)).join(', ')}.`,
          );
        await recordAudit(trx, context, {
          action: 'enquiry.send',
          subjectType: 'contact',
          subjectId: contactId,
          personIds: people.all,
          areaId: contact.area_id,
          details: { agencies: created.map((e) => e.agency_id), skipped: agencyIds.length - created.length },
        });
        return {
          created: created.map((e) => e.id),
          // Each agency's own deadline, and whether it was asked while closed ("out of hours").
          due: created.map((e) => ({
            enquiryId: e.id,
            agencyId: e.agency_id,
            dueAt: dueFor(agencies.get(e.agency_id)!.kind).dueAt,
            outOfHours: dueFor(agencies.get(e.agency_id)!.kind).outOfHours,
          })),
        };
      });
    },

    /** An agency's answer to an enquiry, with who and when; each child's chronology gets it. */
    async respond(context: AuditContext, enquiryId: string, input: { response?: string }) {
      const text = validateResponse(input);
      return transaction(db, async (trx) => {
        const enquiry = await lockEnquiry(trx, enquiryId);
        if (!enquiry) throw new NotFoundError('The enquiry');
        const people = await steps.childIdsOf(trx, enquiry.contact_id);
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
        await recordResponse(trx, enquiryId, {
          response: text,
          respondedAt: now,
          userId: context.principal.userId,
          name: context.principal.name,
        });
        const contact = await contactReference(trx, enquiry.contact_id);
        await recordOnChildren(
          trx,
          context,
          integrations,
          { childIds: people.children, areaId: enquiry.area_id, contactId: enquiry.contact_id, at: now },
          {
            type: 'enquiry-response',
            significance: 'medium',
            summary: `${context.principal.agencyName ?? 'An agency'} answered the front-door enquiry for ${contact.reference}: ${text.length > 500 ? `${text.slice(0, 497)}...` : text}`,
            subjectType: 'enquiry',
            subjectId: enquiryId,
          },
          {
            kind: 'response',
            summary: `${context.principal.agencyName ?? 'An agency'} responded to the enquiry.`,
          },
        );
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
  };
}
