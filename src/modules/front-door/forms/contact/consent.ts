import type { QuestionPage } from '../../../../platform/http/journeys/journey.ts';
import type { ContactInput } from '../../types.ts';
import { validateConsent } from '../../validation.ts';
import { consentFrom } from '../person-fields.ts';
import type { ContactDraft } from './draft.ts';

/** Whether the family agreed to the contact being shared, or why it is shared without consent. */
export const consentPage: QuestionPage<ContactDraft> = {
  id: 'consent',
  title: 'Consent to share',
  save: ({ draft, form }) => {
    draft.consent = consentFrom(form);
    return { errors: validateConsent(draft.consent as ContactInput['consent'], 'consent.') };
  },
};
