import type { FastifyRequest } from 'fastify';
import { filledIn, text, yesNo } from '../../../../platform/http/form-fields.ts';
import type { QuestionPage } from '../../../../platform/http/journeys/journey.ts';
import type { DanChildInput } from '../../types.ts';
import { ordinal, todayIn, validateDanChild } from '../../validation.ts';
import { type AgencyChoice, agencyItems } from '../agency-choices.ts';
import { perPerson, personFrom, personShown } from '../person-fields.ts';
import type { DanDraft } from './draft.ts';

const ANSWERS = ['injuryDetails', 'childSaid', 'wishesAndFeelings', 'livedExperience'] as const;
const QUESTIONS = ['livesAtAddress', 'present', 'witnessed', 'injured'] as const;

const agencyLists = (agencies: readonly AgencyChoice[], child: Partial<DanChildInput>) => ({
  schoolItems: agencyItems(
    agencies,
    ['school'],
    child.school?.agencyCode,
    'Not known, or not a school in this list',
  ),
  healthItems: agencyItems(
    agencies,
    ['gp_practice', 'community_health'],
    child.health?.agencyCode,
    'Not known',
  ),
});

/** One page per child (F6): what the child saw, said and lives with, not lost in an adult's report. */
export function childrenPage(
  now: () => Date,
  agencies: (request: FastifyRequest) => Promise<AgencyChoice[]>,
): QuestionPage<DanDraft> {
  return {
    ...perPerson<DanDraft>('children', 'child', 'child', (draft) => draft.children),
    show: async ({ draft, n, request }, errors) => {
      const child = draft.children[n - 1] ?? {};
      return {
        ...personShown(child, errors),
        ...agencyLists(await agencies(request), child),
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
      // The injuries are the follow-up to "injured: yes"; under "no" they are not kept.
      if (child.injured !== true) delete child.injuryDetails;
      draft.children[n - 1] = child;
      const errors = validateDanChild(child as DanChildInput, '', todayIn(now()), ordinal(n - 1));
      if (dateError) errors.push(dateError);
      return { errors, ...(text(form, 'action') === 'another' ? { next: `children/${n + 1}` } : {}) };
    },
  };
}
