import { choice, filledIn, yesNo } from '../../../../platform/http/form-fields.ts';
import type { QuestionPage } from '../../../../platform/http/journeys/journey.ts';
import type { DanInput } from '../../types.ts';
import { validateConsent, validateEarlyHelp } from '../../validation.ts';
import { EARLY_HELP_RESPONSES } from '../../vocabulary.ts';
import { consentFrom } from '../person-fields.ts';
import type { DanDraft } from './draft.ts';

/** Consent to share, the offer of early help (F28) and the officer to call back. */
export const consentPage: QuestionPage<DanDraft> = {
  id: 'consent',
  title: 'Consent and early help',
  show: ({ draft }) => ({ draft, responses: EARLY_HELP_RESPONSES }),
  save: ({ draft, form }) => {
    draft.consent = consentFrom(form);
    const offered = yesNo(form, 'earlyHelp.offered');
    const response = choice(form, 'earlyHelp.response', EARLY_HELP_RESPONSES);
    draft.earlyHelp = {
      ...(offered !== undefined ? { offered } : {}),
      ...(offered && response ? { response } : {}),
    };
    draft.officer = filledIn(form, 'officer.', ['name', 'collarNumber', 'phone'] as const);
    const errors = [
      ...validateConsent(draft.consent as DanInput['consent'], 'consent.'),
      ...validateEarlyHelp(draft.earlyHelp as DanInput['earlyHelp']),
    ];
    return { errors };
  },
};
