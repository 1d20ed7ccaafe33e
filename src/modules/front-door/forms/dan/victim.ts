import { text } from '../../../../platform/http/form-fields.ts';
import type { QuestionPage } from '../../../../platform/http/journeys/journey.ts';
import type { PersonDetailsInput } from '../../types.ts';
import { todayIn, validatePersonDetails } from '../../validation.ts';
import { personFrom, personShown } from '../person-fields.ts';
import type { DanDraft } from './draft.ts';

/** The victim's details and a phone number to reach them safely. */
export function victimPage(now: () => Date): QuestionPage<DanDraft> {
  return {
    id: 'victim',
    title: 'The victim',
    show: ({ draft }, errors) => personShown(draft.victim ?? {}, errors),
    save: ({ draft, form }) => {
      const { value, dateError } = personFrom(form);
      const phone = text(form, 'phone');
      draft.victim = { ...value, ...(phone ? { phone } : {}) };
      const errors = validatePersonDetails(draft.victim as PersonDetailsInput, '', 'victim', todayIn(now()));
      if (dateError) errors.push(dateError);
      return { errors };
    },
  };
}
