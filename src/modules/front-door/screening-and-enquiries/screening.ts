import { type Db, transaction } from '../../../db/database.ts';
import { deadlinesFor, RAG_RATINGS, type Rag } from '../../../domain/clock.ts';
import { type AuditContext, recordAudit } from '../../../platform/audit.ts';
import type { Deps } from '../../../platform/deps.ts';
import { type FieldError, ValidationError } from '../../../platform/errors.ts';
import { updateContact } from '../contact-repository.ts';
import { blank, type ContactSteps } from '../contact-steps.ts';
import { frontDoorConfig } from '../settings.ts';
import { RAG_LABELS } from '../vocabulary.ts';

function validateScreening(input: { rag?: string; rationale?: string }): Rag {
  const errors: FieldError[] = [];
  const rag = RAG_RATINGS.find((r) => r === input.rag);
  if (!rag) errors.push({ field: 'rag', message: 'Select a RAG rating' });
  if (blank(input.rationale))
    errors.push({ field: 'rationale', message: 'Give the reason for the RAG rating' });
  if (!rag || errors.length) throw new ValidationError(errors);
  return rag;
}

/** Taking a contact and setting its RAG rating; the clock follows the rating. */
export function screening(deps: Deps, db: Db, steps: ContactSteps) {
  return {
    async assignToMe(context: AuditContext, contactId: string) {
      return transaction(db, async (trx) => {
        const { contact, people } = await steps.authorisedContact(trx, context, contactId, 'contact:screen');
        steps.assertOpen(contact);
        const now = deps.now();
        await updateContact(trx, contactId, {
          assigned_user_id: context.principal.userId,
          assigned_name: context.principal.name,
          updated_at: now,
        });
        await steps.addToTimeline(
          trx,
          context,
          { areaId: contact.area_id, contactId, at: now },
          'assigned',
          `Assigned to ${context.principal.name}.`,
        );
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
      const rag = validateScreening(input);
      return transaction(db, async (trx) => {
        const { contact, people } = await steps.authorisedContact(trx, context, contactId, 'contact:screen');
        steps.assertOpen(contact);
        const config = frontDoorConfig(deps);
        const now = deps.now();
        const deadlines = deadlinesFor(
          { receivedAt: new Date(contact.received_at), rag, screenedAt: now },
          config.timescales,
          config.calendar,
        );
        await updateContact(trx, contactId, {
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
        });
        if (deadlines.decisionDueAt.getTime() !== new Date(contact.decision_due_at).getTime())
          await steps.enqueueDeadline(trx, deadlines.decisionDueAt, { contactId, kind: 'decision' });
        await steps.addToTimeline(
          trx,
          context,
          { areaId: contact.area_id, contactId, at: now },
          'screened',
          `Screened ${RAG_LABELS[rag]}. ${input.rationale!.trim()}`,
        );
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
  };
}
