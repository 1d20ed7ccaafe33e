import type { FastifyRequest } from 'fastify';
import { filledIn, text, yesNo } from '../../../../platform/http/form-fields.ts';
import type { QuestionPage } from '../../../../platform/http/journeys/journey.ts';
import type { DanChildInput } from '../../types.ts';
import { validateDanChild } from '../../validation.ts';
import { type AgencyChoice, agencyItems } from '../agency-choices.ts';
import { childPage } from '../child-page.ts';
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
  return childPage<DanChildInput, DanDraft>(now, agencies, {
    lists: agencyLists,
    read: (form) => {
      const school = text(form, 'school');
      const schoolName = text(form, 'schoolName');
      const health = text(form, 'health');
      const child: Partial<DanChildInput> = {
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
      return child;
    },
    check: (child, today, which) => validateDanChild(child as DanChildInput, '', today, which),
  });
}
