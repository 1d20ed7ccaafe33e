import { dateItems, text } from '../../../../platform/http/form-fields.ts';
import type { QuestionPage } from '../../../../platform/http/journeys/journey.ts';
import type { PersonDetailsInput } from '../../types.ts';
import { todayIn, validatePersonDetails } from '../../validation.ts';
import { perPerson, personFrom } from '../person-fields.ts';
import type { Adult, ContactDraft } from './draft.ts';

/** One page per adult involved; "none" ends the list here. */
export function adultsPage(now: () => Date): QuestionPage<ContactDraft> {
  return {
    ...perPerson<ContactDraft>('adults', 'adult', 'adult involved', (draft) => draft.adults),
    show: ({ draft, n }, errors) => {
      const adult = draft.adults[n - 1] ?? {};
      return { values: adult, dob: dateItems('dateOfBirth', adult.dateOfBirth, errors.length > 0) };
    },
    save: ({ draft, form, n }) => {
      if (text(form, 'action') === 'none') {
        draft.adults = draft.adults.slice(0, n - 1);
        return { errors: [] };
      }
      const { value, dateError } = personFrom(form);
      const relationship = text(form, 'relationshipToChildren');
      const adult: Partial<Adult> = {
        ...value,
        ...(relationship ? { relationshipToChildren: relationship } : {}),
      };
      draft.adults[n - 1] = adult;
      const errors = validatePersonDetails(adult as PersonDetailsInput, '', 'adult', todayIn(now()));
      if (dateError) errors.push(dateError);
      return { errors, ...(text(form, 'action') === 'another' ? { next: `adults/${n + 1}` } : {}) };
    },
  };
}
