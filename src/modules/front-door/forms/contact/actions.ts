import type { FieldError } from '../../../../platform/errors.ts';
import { text, yesNo } from '../../../../platform/http/form-fields.ts';
import type { QuestionPage } from '../../../../platform/http/journeys/journey.ts';
import type { ContactDraft } from './draft.ts';

/** What the professional has done so far, and whether the family knows about the contact. */
export const actionsPage: QuestionPage<ContactDraft> = {
  id: 'actions',
  title: 'What has happened so far',
  save: ({ draft, form }) => {
    draft.actionsTaken = text(form, 'actionsTaken') ?? '';
    const knows = yesNo(form, 'familyKnows');
    if (knows === undefined) delete draft.familyKnows;
    else draft.familyKnows = knows;
    const errors: FieldError[] = [];
    if (!draft.actionsTaken)
      errors.push({ field: 'actionsTaken', message: 'Say what you have done so far, or “nothing yet”' });
    if (knows === undefined)
      errors.push({ field: 'familyKnows', message: 'Select whether the family knows about this contact' });
    return { errors };
  },
};
