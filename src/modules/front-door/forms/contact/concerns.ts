import { list, text } from '../../../../platform/http/form-fields.ts';
import type { QuestionPage } from '../../../../platform/http/journeys/journey.ts';
import type { ContactInput } from '../../types.ts';
import { validateConcerns } from '../../validation.ts';
import type { ContactDraft } from './draft.ts';

/** What the concern is: categories (which route the contact) and the professional's account. */
export const concernsPage: QuestionPage<ContactDraft> = {
  id: 'concerns',
  title: 'The concern',
  save: ({ draft, form }) => {
    draft.concerns = list(form, 'concerns');
    draft.narrative = text(form, 'narrative') ?? '';
    return { errors: validateConcerns(draft as ContactInput) };
  },
};
