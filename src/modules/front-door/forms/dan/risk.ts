import { RISK_LEVELS } from '../../../../domain/instruments/bands.ts';
import { choice, text, unprefixed } from '../../../../platform/http/form-fields.ts';
import type { QuestionPage } from '../../../../platform/http/journeys/journey.ts';
import type { DanInput } from '../../types.ts';
import { validateRisk } from '../../validation.ts';
import { DASH_STATUSES } from '../../vocabulary.ts';
import type { DanDraft } from './draft.ts';

/** The DASH risk assessment and the officer's own grade. */
export const riskPage: QuestionPage<DanDraft> = {
  id: 'risk',
  title: 'Risk assessment',
  show: ({ draft }) => ({ values: draft.risk ?? {}, dashStatuses: DASH_STATUSES }),
  save: ({ draft, form }) => {
    const dashStatus = choice(form, 'dashStatus', DASH_STATUSES);
    // The score and reference are the follow-up to "completed" (a conditional reveal): an answer
    // left in the hidden field under another choice is not sent.
    const completed = dashStatus === 'completed';
    const score = completed ? text(form, 'dashScore') : undefined;
    const scoreNumber = score !== undefined && /^\d+$/.test(score) ? Number(score) : undefined;
    const dashReference = completed ? text(form, 'dashReference') : undefined;
    const officerRiskGrade = choice(form, 'officerRiskGrade', RISK_LEVELS);
    const gradeReason = text(form, 'gradeReason');
    draft.risk = {
      ...(dashStatus ? { dashStatus } : {}),
      ...(scoreNumber !== undefined ? { dashScore: scoreNumber } : {}),
      ...(dashReference ? { dashReference } : {}),
      ...(officerRiskGrade ? { officerRiskGrade } : {}),
      ...(gradeReason ? { gradeReason } : {}),
    };
    const errors = unprefixed(validateRisk(draft.risk as DanInput['risk']), 'risk.');
    if (score !== undefined && scoreNumber === undefined)
      errors.push({ field: 'dashScore', message: 'DASH score must be a whole number from 0 to 27' });
    return { errors, shown: { values: { ...draft.risk, dashScore: score } } };
  },
};
