import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { ForbiddenError } from '../../platform/access.ts';
import type { FieldError } from '../../platform/errors.ts';
import { ValidationError } from '../../platform/errors.ts';
import { auditContext } from '../../platform/http/context.ts';
import { dateInput, dateItems, type Form, FormBody, text } from '../../platform/http/form-fields.ts';
import { redirectWithFlash } from '../../platform/http/form-save.ts';
import { formErrors } from '../../platform/views.ts';
import type { PeopleService } from '../people/service.ts';
import { FlagParams, PersonParams } from './schemas.ts';
import type { FlagsService } from './service.ts';

type App = Parameters<FastifyPluginAsyncTypebox>[0];

/** A date field of a form: its value, and its error when the parts are not a real date. */
function dateField(form: Form, name: string, label: string, errors: FieldError[]): string {
  const { value, invalid } = dateInput(form, name);
  if (invalid) errors.push({ field: name, message: `${label} must be a real date` });
  return value;
}

/** Field errors in the form's order, one per field (the service's, after the form's own). */
function merged(first: FieldError[], error: unknown, order: readonly string[]): FieldError[] {
  if (!(error instanceof ValidationError)) throw error;
  const seen = new Set(first.map((e) => e.field));
  const all = [...first, ...error.errors.filter((e) => !seen.has(e.field))];
  return all.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
}

/** One flag form: where it is, what it shows, the dates it reads, and the change it asks for. */
interface FlagForm<P extends typeof PersonParams | typeof FlagParams, D extends string> {
  path: string;
  params: P;
  view: string;
  /** The page's values, shown empty first and again with the form's values and errors. */
  page: (
    request: FastifyRequest,
    params: Static<P>,
    form: Form,
    errors: FieldError[],
  ) => Promise<Record<string, unknown>>;
  /** Each date field, and the label its error names it by. */
  dates: Record<D, string>;
  /** The form's fields in the order the page shows them, for the order of its errors. */
  fields: readonly string[];
  act: (request: FastifyRequest, params: Static<P>, form: Form, dates: Record<D, string>) => Promise<unknown>;
  /** The message the person's page shows once the change is made. */
  done: string;
}

/**
 * A flag form's page and its post, the same for both forms: once its dates are read, the service
 * acts (unless a date was wrong) and the person's page follows with a message, or the form is
 * shown again (400) with every error, in the form's order.
 */
function addFlagForm<P extends typeof PersonParams | typeof FlagParams, D extends string>(
  app: App,
  flagForm: FlagForm<P, D>,
) {
  // The schema checked the params; a generic schema leaves their type to be named here.
  const paramsOf = (request: FastifyRequest) => request.params as Static<P>;

  app.get(flagForm.path, { schema: { params: flagForm.params } }, async (request, reply) =>
    reply.page(flagForm.view, await flagForm.page(request, paramsOf(request), {}, [])),
  );

  app.post(flagForm.path, { schema: { params: flagForm.params, body: FormBody } }, async (request, reply) => {
    const params = paramsOf(request);
    const form = request.body;
    const dateErrors: FieldError[] = [];
    const dates = Object.fromEntries(
      Object.entries<string>(flagForm.dates).map(([name, label]) => [
        name,
        dateField(form, name, label, dateErrors),
      ]),
    ) as Record<D, string>;
    try {
      if (dateErrors.length) throw new ValidationError([]);
      await flagForm.act(request, params, form, dates);
      return redirectWithFlash(request, reply, flagForm.done, `/people/${params.id}`);
    } catch (error) {
      const errors = merged(dateErrors, error, flagForm.fields);
      return reply.code(400).page(flagForm.view, await flagForm.page(request, params, form, errors));
    }
  });
}

/** The owning service's pages: raise a flag on a person, end one. The banner is on the person page. */
export function flagsRoutes(flags: FlagsService, people: PeopleService): FastifyPluginAsyncTypebox {
  async function raisePage(
    request: FastifyRequest,
    { id }: Static<typeof PersonParams>,
    form: Form,
    errors: FieldError[],
  ) {
    const context = auditContext(request);
    const { person, resource } = await people.accessFacts(id);
    const choices = flags.typesRaisable(context, resource, person.kind);
    // Nothing this agency may raise here: the policy's refusal, audited by the error handler.
    if (choices.length === 0)
      throw new ForbiddenError('flag:raise', 'the agency owns no type of flag it may raise on this person', {
        type: 'person',
        id: person.id,
        personIds: [person.id],
        areaId: person.area_id,
      });
    const byField = new Set(errors.map((e) => e.field));
    return {
      title: 'Raise a flag',
      person,
      values: form,
      errors: formErrors(errors),
      typeItems: choices.map((t) => ({
        value: t.code,
        text: t.label,
        checked: text(form, 'type') === t.code,
      })),
      startItems: dateItems('start', dateInput(form, 'start').value, byField.has('start')),
      reviewItems: dateItems('review', dateInput(form, 'review').value, byField.has('review')),
    };
  }

  async function endPage(
    request: FastifyRequest,
    { id, flagId }: Static<typeof FlagParams>,
    form: Form,
    errors: FieldError[],
  ) {
    const found = await flags.flagOfPerson(auditContext(request), id, flagId);
    return {
      title: 'End a flag',
      ...found,
      values: form,
      errors: formErrors(errors),
      endItems: dateItems(
        'end',
        dateInput(form, 'end').value,
        errors.some((e) => e.field === 'end'),
      ),
    };
  }

  return async (app) => {
    addFlagForm(app, {
      path: '/people/:id/flags/new',
      params: PersonParams,
      view: 'flags/views/raise.njk',
      page: raisePage,
      dates: { start: 'The start date', review: 'The review date' },
      fields: ['type', 'start', 'review', 'contact'],
      act: (request, { id }, form, { start, review }) =>
        flags.raiseForPerson(auditContext(request), id, {
          type: text(form, 'type') ?? '',
          start,
          contact: text(form, 'contact') ?? '',
          ...(review ? { review } : {}),
        }),
      done: 'The flag was raised.',
    });

    addFlagForm(app, {
      path: '/people/:id/flags/:flagId/end',
      params: FlagParams,
      view: 'flags/views/end.njk',
      page: endPage,
      dates: { end: 'The end date' },
      fields: ['end', 'reason'],
      act: (request, { id, flagId }, form, { end }) =>
        flags.endForPerson(auditContext(request), id, flagId, { end, reason: text(form, 'reason') ?? '' }),
      done: 'The flag was ended.',
    });
  };
}
