import type { FastifyRequest } from 'fastify';
import { dateItems, text } from '../../../../platform/http/form-fields.ts';
import type { QuestionPage } from '../../../../platform/http/journeys/journey.ts';
import type { ChildInput } from '../../types.ts';
import { ordinal, todayIn, validateAddress, validateChild } from '../../validation.ts';
import type { AgencyChoice } from '../agency-choices.ts';
import { capitalise, personFrom } from '../person-fields.ts';
import type { ContactDraft } from './draft.ts';

const dateOfBirthWrong = (errors: readonly { field: string }[]) =>
  errors.some((e) => e.field === 'dateOfBirth');

/** One page per child; the first child's address is the family's, which routes the contact. */
export function childrenPage(
  now: () => Date,
  agencies: (request: FastifyRequest) => Promise<AgencyChoice[]>,
): QuestionPage<ContactDraft> {
  return {
    id: 'children',
    items: (draft) => draft.children,
    view: 'child',
    title: (n) => `${capitalise(ordinal(n - 1))} child`,
    show: async ({ draft, n, request }, errors) => {
      const child = draft.children[n - 1] ?? {};
      const schools = (await agencies(request)).filter((a) => a.kind === 'school');
      return {
        values: child,
        dob: dateItems('dateOfBirth', child.dateOfBirth, dateOfBirthWrong(errors)),
        schools: [
          { value: '', text: 'Not known, or not in this list' },
          ...schools.map((a) => ({
            value: a.code,
            text: a.name,
            selected: a.code === child.school?.agencyCode,
          })),
        ],
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
