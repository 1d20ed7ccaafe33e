import type { FastifyRequest } from 'fastify';
import { text } from '../../../../platform/http/form-fields.ts';
import type { QuestionPage } from '../../../../platform/http/journeys/journey.ts';
import type { ChildInput } from '../../types.ts';
import { validateAddress, validateChild } from '../../validation.ts';
import { type AgencyChoice, agencyItems } from '../agency-choices.ts';
import { childPage } from '../child-page.ts';
import type { ContactDraft } from './draft.ts';

/** One page per child; the first child's address is the family's, which routes the contact. */
export function childrenPage(
  now: () => Date,
  agencies: (request: FastifyRequest) => Promise<AgencyChoice[]>,
): QuestionPage<ContactDraft> {
  return childPage<ChildInput, ContactDraft>(now, agencies, {
    lists: (all, child) => ({
      schools: agencyItems(all, ['school'], child.school?.agencyCode, 'Not known, or not in this list'),
    }),
    read: (form) => {
      const school = text(form, 'school');
      return school ? { school: { agencyCode: school } } : {};
    },
    check: (child, today, which, n) => {
      const errors = validateChild(child as ChildInput, '', today, which);
      if (n === 1 && !child.address)
        errors.push(
          ...validateAddress({ line1: '', postcode: '' }, 'address.', 'address where the child lives'),
        );
      return errors;
    },
  });
}
