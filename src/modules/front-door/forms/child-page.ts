import type { FastifyRequest } from 'fastify';
import type { FieldError } from '../../../platform/errors.ts';
import { type Form, text } from '../../../platform/http/form-fields.ts';
import type { JourneyDraft, QuestionPage } from '../../../platform/http/journeys/journey.ts';
import type { PersonDetailsInput } from '../types.ts';
import { ordinal, todayIn } from '../validation.ts';
import type { AgencyChoice } from './agency-choices.ts';
import { perPerson, personFrom, personShown } from './person-fields.ts';

type ChildDraft<C> = JourneyDraft & { children: Partial<C>[] };

/**
 * The children's pages both front-door journeys ask, one page per child: the person's details and
 * UPN read alike, the journey adds its own questions (`read`), its agency lists (`lists`) and its
 * check of a child (`check`); "add another" goes on to the next child's page.
 */
export function childPage<C extends PersonDetailsInput & { upn?: string }, D extends ChildDraft<C>>(
  now: () => Date,
  agencies: (request: FastifyRequest) => Promise<AgencyChoice[]>,
  page: {
    lists: (agencies: readonly AgencyChoice[], child: Partial<C>) => object;
    read: (form: Form) => Partial<C>;
    /** `which` names the child in messages ("first"); `today` bounds a date of birth. */
    check: (child: Partial<C>, today: string, which: string, n: number) => FieldError[];
  },
): QuestionPage<D> {
  return {
    ...perPerson<D>('children', 'child', 'child', (draft) => draft.children),
    show: async ({ draft, n, request }, errors) => {
      const child = draft.children[n - 1] ?? {};
      return { ...personShown(child, errors), ...page.lists(await agencies(request), child) };
    },
    save: ({ draft, form, n }) => {
      const { value, dateError } = personFrom(form);
      const upn = text(form, 'upn');
      const child: Partial<C> = { ...value, ...(upn ? { upn: upn.toUpperCase() } : {}), ...page.read(form) };
      draft.children[n - 1] = child;
      const errors = page.check(child, todayIn(now()), ordinal(n - 1), n);
      if (dateError) errors.push(dateError);
      return { errors, ...(text(form, 'action') === 'another' ? { next: `children/${n + 1}` } : {}) };
    },
  };
}
