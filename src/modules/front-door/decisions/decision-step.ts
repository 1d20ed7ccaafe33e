import type { Trx } from '../../../db/database.ts';
import type { AuditContext } from '../../../platform/audit.ts';
import { auditOnSubject } from '../../../platform/audit-subject.ts';
import type { NewChronologyEvent } from '../../chronology/service.ts';
import { recordOnChildren } from '../contact-steps.ts';
import type { Integrations } from '../integrations.ts';

/**
 * A step on a contact's decision (made, signed off): the transaction and caller it is taken in,
 * which decision, its contact and the people on it.
 */
export interface DecisionStep {
  trx: Trx;
  context: AuditContext;
  integrations: Pick<Integrations, 'recordChronology'>;
  contactId: string;
  areaId: string;
  decisionId: string;
  people: { all: readonly string[]; children: readonly string[] };
  at: Date;
}

/** The step on `decision` of `contact`, taken in the caller's transaction at `at`. */
export function decisionStep(
  writing: Pick<DecisionStep, 'trx' | 'context' | 'integrations'>,
  contact: { id: string; area_id: string },
  decision: { id: string },
  people: DecisionStep['people'],
  at: Date,
): DecisionStep {
  return { ...writing, contactId: contact.id, areaId: contact.area_id, decisionId: decision.id, people, at };
}

/**
 * The step as a decision event on every child's chronology, naming the decision record, and as a
 * line on the contact's timeline: a decision and its sign-off are read in the same places.
 */
export function recordDecisionOnChildren(
  step: DecisionStep,
  event: Pick<NewChronologyEvent, 'significance' | 'summary' | 'data'>,
  timeline: { kind: string; summary: string },
) {
  const { trx, context, integrations, contactId, areaId, at } = step;
  return recordOnChildren(
    trx,
    context,
    integrations,
    { childIds: step.people.children, areaId, contactId, at },
    { type: 'decision', ...event, subjectType: 'decision', subjectId: step.decisionId },
    timeline,
  );
}

/** Audits the step on the decision record, naming everyone on the contact. */
export function auditDecision(step: DecisionStep, action: string, details: Record<string, unknown>) {
  const subject = { type: 'decision', id: step.decisionId, personIds: step.people.all, areaId: step.areaId };
  return auditOnSubject(step.trx, step.context, action, subject, { details });
}
