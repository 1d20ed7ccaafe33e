import type { FastifyRequest } from 'fastify';
import { dateItems, text, yesNo } from '../../../../platform/http/form-fields.ts';
import type { QuestionPage } from '../../../../platform/http/journeys/journey.ts';
import type { DanChildInput } from '../../types.ts';
import { ordinal, todayIn, validateDanChild } from '../../validation.ts';
import type { AgencyChoice } from '../agency-choices.ts';
import { capitalise, filledIn, personFrom } from '../person-fields.ts';
import type { DanDraft } from './draft.ts';
import { dateOfBirthWrong } from './victim.ts';

const ANSWERS = ['injuryDetails', 'childSaid', 'wishesAndFeelings', 'livedExperience'] as const;
const QUESTIONS = ['livesAtAddress', 'present', 'witnessed', 'injured'] as const;

function agencyItems(agencies: readonly AgencyChoice[], child: Partial<DanChildInput>) {
  return {
    schoolItems: [
      { value: '', text: 'Not known, or not a school in this list' },
      ...agencies
        .filter((a) => a.kind === 'school')
        .map((a) => ({ value: a.code, text: a.name, selected: child.school?.agencyCode === a.code })),
    ],
    healthItems: [
      { value: '', text: 'Not known' },
      ...agencies
        .filter((a) => ['gp_practice', 'community_health'].includes(a.kind))
        .map((a) => ({ value: a.code, text: a.name, selected: child.health?.agencyCode === a.code })),
    ],
  };
}

/** One page per child (F6): what the child saw, said and lives with, not lost in an adult's report. */
export function childrenPage(
  now: () => Date,
  agencies: (request: FastifyRequest) => Promise<AgencyChoice[]>,
): QuestionPage<DanDraft> {
  return {
    id: 'children',
    items: (draft) => draft.children,
    view: 'child',
    title: (n) => `${capitalise(ordinal(n - 1))} child`,
    show: async ({ draft, n, request }, errors) => {
      const child = draft.children[n - 1] ?? {};
      return {
        values: child,
        dob: dateItems('dateOfBirth', child.dateOfBirth, dateOfBirthWrong(errors)),
        ...agencyItems(await agencies(request), child),
      };
    },
    save: ({ draft, form, n }) => {
      const { value, dateError } = personFrom(form);
      const school = text(form, 'school');
      const schoolName = text(form, 'schoolName');
      const health = text(form, 'health');
      const upn = text(form, 'upn');
      const child: Partial<DanChildInput> = {
        ...value,
        ...(upn ? { upn: upn.toUpperCase() } : {}),
        ...filledIn(form, '', ANSWERS),
        ...(school || schoolName
          ? {
              school: {
                ...(school ? { agencyCode: school } : {}),
                ...(schoolName ? { name: schoolName } : {}),
              },
            }
          : {}),
        ...(health ? { health: { agencyCode: health } } : {}),
      };
      for (const key of QUESTIONS) {
        const answer = yesNo(form, key);
        if (answer !== undefined) child[key] = answer;
      }
      draft.children[n - 1] = child;
      const errors = validateDanChild(child as DanChildInput, '', todayIn(now()), ordinal(n - 1));
      if (dateError) errors.push(dateError);
      return { errors, ...(text(form, 'action') === 'another' ? { next: `children/${n + 1}` } : {}) };
    },
  };
}
