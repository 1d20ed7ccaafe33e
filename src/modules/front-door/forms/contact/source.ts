import { filledIn, text } from '../../../../platform/http/form-fields.ts';
import type { QuestionPage } from '../../../../platform/http/journeys/journey.ts';
import type { ContactInput } from '../../types.ts';
import { validateSource } from '../../validation.ts';
import type { ContactDraft } from './draft.ts';

/** Who the contact is from: the census source code and the referrer to feed back to. */
export const sourcePage: QuestionPage<ContactDraft> = {
  id: 'source',
  title: 'Who the contact is from',
  save: ({ draft, form }) => {
    draft.sourceCode = text(form, 'sourceCode') ?? '';
    draft.referrer = filledIn(form, 'referrer.', ['name', 'role', 'organisation', 'phone', 'email'] as const);
    return { errors: validateSource(draft as ContactInput) };
  },
};
