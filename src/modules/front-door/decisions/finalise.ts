import type { Trx } from '../../../db/database.ts';
import type { DecisionOutcome } from '../../../domain/chronology-event.ts';
import type { AuditContext } from '../../../platform/audit.ts';
import { childrenOfContact, updateContact } from '../contact-repository.ts';
import { addToTimeline } from '../contact-steps.ts';
import type { Integrations } from '../integrations.ts';
import * as repo from '../repository.ts';
import { withdrawOpenEnquiries } from '../screening-and-enquiries/enquiry-repository.ts';
import { OUTCOMES } from '../vocabulary.ts';

/** Finalises a decision: the contact closes, the referrer is told (F1, F16) and open enquiries are withdrawn. */
export async function finalise(
  trx: Trx,
  now: Date,
  integrations: Integrations,
  context: AuditContext,
  contact: { id: string; area_id: string; reference: string; source_agency_id: string | null },
  decision: { levelOfNeed: string; outcome: string; feedback: string },
) {
  await updateContact(trx, contact.id, {
    status: 'closed',
    level_of_need: decision.levelOfNeed,
    outcome: decision.outcome,
    decided_at: now,
    feedback: decision.feedback,
    feedback_sent_at: now,
    closed_at: now,
    updated_at: now,
  });
  await withdrawOpenEnquiries(trx, contact.id);
  if (decision.outcome === 'strategy-discussion' && integrations.openStrategyDiscussion) {
    const children = (await childrenOfContact(trx, contact.id)).map((c) => c.person_id);
    if (children.length)
      await integrations.openStrategyDiscussion(trx, context, {
        childPersonIds: children,
        reason: `Front-door decision on ${contact.reference}: ${decision.feedback}`,
        sourceContactId: contact.id,
      });
  }
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
  await addToTimeline(
    trx,
    context,
    { areaId: contact.area_id, contactId: contact.id, at: now },
    'feedback',
    'Outcome fed back to the referrer.',
  );
}
