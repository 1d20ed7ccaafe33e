import { type Db, transaction } from '../../../db/database.ts';
import { isRiskLevel } from '../../../domain/instruments/bands.ts';
import type { AuditContext } from '../../../platform/audit.ts';
import type { Deps } from '../../../platform/deps.ts';
import { ConflictError, type FieldError, ValidationError } from '../../../platform/errors.ts';
import { updateContact } from '../contact-repository.ts';
import { blank, type ContactSteps, TEXT_MAX } from '../contact-steps.ts';
import type { Integrations } from '../integrations.ts';
import * as repo from '../repository.ts';
import { frontDoorConfig, needsSignOff } from '../settings.ts';
import type { DecisionInput } from '../types.ts';
import { isOutcome, OUTCOMES } from '../vocabulary.ts';
import { insertDecision } from './decision-repository.ts';
import { auditDecision, decisionStep, recordDecisionOnChildren } from './decision-step.ts';
import { finalise } from './finalise.ts';

/** The threshold decision (F1), with the cumulative-risk summary the worker was shown. */
export function decisions(deps: Deps, db: Db, steps: ContactSteps, integrations: Integrations) {
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

    async decide(context: AuditContext, contactId: string, input: Partial<DecisionInput>) {
      const errors = validateDecision(input);
      if (errors.length) throw new ValidationError(errors);
      const { settings } = frontDoorConfig(deps);
      return transaction(db, async (trx) => {
        const { contact, people } = await steps.authorisedContact(trx, context, contactId, 'contact:decide');
        steps.assertOpen(contact);
        if (contact.status === 'awaiting-sign-off')
          throw new ConflictError('A decision is already awaiting sign-off.');
        const now = deps.now();
        const signOff = needsSignOff(settings, input.levelOfNeed!, input.outcome!);
        const decision = await insertDecision(trx, {
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
        });
        const level = settings.levelsOfNeed.find((l) => l.code === input.levelOfNeed)!;
        // The risk level the decision was made on: the cumulative picture shown, else the officer's grade.
        const shown = input.riskSummarySeen?.level;
        const decidedOn = isRiskLevel(shown) ? shown : contact.risk_grade;
        const step = decisionStep({ trx, context, integrations }, contact, decision, people, now);
        await recordDecisionOnChildren(
          step,
          {
            significance:
              input.outcome === 'no-further-action' || input.outcome === 'universal-services'
                ? 'low'
                : 'high',
            summary: `Front-door decision on ${contact.reference}: ${OUTCOMES[input.outcome!]} (${level.label})${signOff ? ', awaiting manager sign-off' : ''}.`,
            data: {
              decisionLevel: input.levelOfNeed!,
              decisionOutcome: input.outcome!,
              ...(decidedOn ? { riskGrade: decidedOn } : {}),
            },
          },
          {
            kind: 'decision',
            summary: `Decision: ${OUTCOMES[input.outcome!]} (${level.label}).${signOff ? ' Needs a manager’s sign-off.' : ''}`,
          },
        );
        if (signOff) {
          await updateContact(trx, contactId, {
            status: 'awaiting-sign-off',
            level_of_need: input.levelOfNeed!,
            outcome: input.outcome!,
            updated_at: now,
          });
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
          await finalise(trx, now, integrations, context, contact, {
            levelOfNeed: input.levelOfNeed!,
            outcome: input.outcome!,
            feedback: input.feedback!.trim(),
          });
        }
        await auditDecision(step, 'decision.record', {
          contactId,
          level: input.levelOfNeed,
          outcome: input.outcome,
          signOff,
          riskSummarySeen: input.riskSummarySeen ?? null,
        });
        return { decisionId: decision.id, signOffRequired: signOff };
      });
    },
  };
}
