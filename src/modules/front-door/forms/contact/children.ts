import type { FastifyRequest } from 'fastify';
import { text } from '../../../../platform/http/form-fields.ts';
import type { QuestionPage } from '../../../../platform/http/journeys/journey.ts';
import type { ChildInput } from '../../types.ts';
import { ordinal, todayIn, validateAddress, validateChild } from '../../validation.ts';
import { type AgencyChoice, agencyItems } from '../agency-choices.ts';
import { perPerson, personFrom, personShown } from '../person-fields.ts';
import type { ContactDraft } from './draft.ts';

/** One page per child; the first child's address is the family's, which routes the contact. */
export function childrenPage(
  now: () => Date,
  agencies: (request: FastifyRequest) => Promise<AgencyChoice[]>,
): QuestionPage<ContactDraft> {
  return {
    ...perPerson<ContactDraft>('children', 'child', 'child', (draft) => draft.children),
    show: async ({ draft, n, request }, errors) => {
      const child = draft.children[n - 1] ?? {};
      return {
        ...personShown(child, errors),
        schools: agencyItems(
          await agencies(request),
          ['school'],
          child.school?.agencyCode,
          'Not known, or not in this list',
        ),
      };
    },
    save: ({ draft, form, n }) => {
      const { value, dateError } = personFrom(form);
      const school = text(form, 'school');
      const upn = text(form, 'upn');
      const child: Partial<ChildInput> = {
        ...value,
        ...(school ? { school: { agencyCode: school } } : {}),
        ...(upn ? { upn: upn.toUpperCase() } : {}),
      };
      draft.children[n - 1] = child;
      const errors = validateChild(child as ChildInput, '', todayIn(now()), ordinal(n - 1));
      if (dateError) errors.push(dateError);
      if (n === 1 && !child.address)
        errors.push(
          ...validateAddress({ line1: '', postcode: '' }, 'address.', 'address where the child lives'),
        );
      return { errors, ...(text(form, 'action') === 'another' ? { next: `children/${n + 1}` } : {}) };
    },
  };
}
