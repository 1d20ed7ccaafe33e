import { text, yesNo } from '../../../../platform/http/form-fields.ts';
import type { QuestionPage } from '../../../../platform/http/journeys/journey.ts';
import type { PersonDetailsInput } from '../../types.ts';
import { todayIn, validatePersonDetails } from '../../validation.ts';
import { perPerson, personFrom, personShown } from '../person-fields.ts';
import type { DanDraft, Suspect } from './draft.ts';

/** One page per suspect; "no suspect" clears the list. */
export function suspectsPage(now: () => Date): QuestionPage<DanDraft> {
  return {
    ...perPerson<DanDraft>('suspects', 'suspect', 'suspect', (draft) => draft.suspects),
    show: ({ draft, n }, errors) => {
      const suspect = draft.suspects[n - 1] ?? {};
      return personShown(suspect, errors);
    },
    save: ({ draft, form, n }) => {
      if (text(form, 'action') === 'none') {
        draft.noSuspect = true;
        draft.suspects = [];
        return { errors: [] };
      }
      const { value, dateError } = personFrom(form);
      const relationship = text(form, 'relationshipToVictim');
      const arrested = yesNo(form, 'arrested');
      const suspect: Partial<Suspect> = {
        ...value,
        ...(relationship ? { relationshipToVictim: relationship } : {}),
        ...(arrested !== undefined ? { arrested } : {}),
      };
      draft.suspects[n - 1] = suspect;
      draft.noSuspect = false;
      const errors = validatePersonDetails(suspect as PersonDetailsInput, '', 'suspect', todayIn(now()));
      if (dateError) errors.push(dateError);
      return { errors, ...(text(form, 'action') === 'another' ? { next: `suspects/${n + 1}` } : {}) };
    },
  };
}
