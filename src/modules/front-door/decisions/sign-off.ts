import { type Db, transaction } from '../../../db/database.ts';
import type { DecisionOutcome } from '../../../domain/chronology-event.ts';
import type { AuditContext } from '../../../platform/audit.ts';
import type { Deps } from '../../../platform/deps.ts';
import { ConflictError, type FieldError, ValidationError } from '../../../platform/errors.ts';
import { blank, type ContactSteps } from '../contact-steps.ts';
import type { Integrations } from '../integrations.ts';
import * as repo from '../repository.ts';
import { frontDoorConfig } from '../settings.ts';
import { isOutcome, OUTCOMES } from '../vocabulary.ts';
import { updateDecision } from './decision-repository.ts';
import { auditDecision, decisionStep, recordDecisionOnChildren } from './decision-step.ts';
import { finalise } from './finalise.ts';

export interface SignOffInput {
  agree?: boolean;
  reason?: string;
  levelOfNeed?: string;
  outcome?: string;
  feedback?: string;
}

function validateSignOff(deps: Deps, input: SignOffInput) {
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
}

/** Management oversight (F26): agree, or change the decision, always with a reason. */
export function signOffs(deps: Deps, db: Db, steps: ContactSteps, integrations: Integrations) {
  return {
    async signOff(context: AuditContext, contactId: string, input: SignOffInput) {
      validateSignOff(deps, input);
      return transaction(db, async (trx) => {
        const { contact, people } = await steps.authorisedContact(
          trx,
          context,
          contactId,
          'decision:sign-off',
        );
        const decision = await repo.decisionOf(trx, contactId);
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
        await updateDecision(trx, decision.id, {
          sign_off_status: input.agree ? 'agreed' : 'changed',
          signed_off_at: now,
          signed_off_by_user_id: context.principal.userId,
          signed_off_by_name: context.principal.name,
          sign_off_reason: input.reason!.trim(),
          final_level_of_need: level,
          final_outcome: outcome,
          feedback,
        });
        // Sign-off, agreed or changed, is a chronology entry with its reason (issue 12: the
        // chronology stayed on "awaiting manager sign-off").
        const step = decisionStep({ trx, context, integrations }, contact, decision, people, now);
        await recordDecisionOnChildren(
          step,
          {
            significance: input.agree ? 'medium' : 'high',
            summary: input.agree
              ? `Manager ${context.principal.name} signed off the front-door decision on ${contact.reference} (${OUTCOMES[outcome as DecisionOutcome]}): ${input.reason!.trim()}`
              : `Manager ${context.principal.name} changed the front-door decision on ${contact.reference} to ${OUTCOMES[outcome as DecisionOutcome]}: ${input.reason!.trim()}`,
            data: { decisionLevel: level, decisionOutcome: outcome as DecisionOutcome },
          },
          {
            kind: 'sign-off',
            summary: input.agree
              ? `Manager agreed the decision. ${input.reason!.trim()}`
              : `Manager changed the decision to ${OUTCOMES[outcome as DecisionOutcome]}. ${input.reason!.trim()}`,
          },
        );
        await finalise(trx, now, integrations, context, contact, { levelOfNeed: level, outcome, feedback });
        await auditDecision(step, 'decision.sign-off', { agreed: input.agree, level, outcome });
        return { decisionId: decision.id, outcome, levelOfNeed: level };
      });
    },
  };
}
