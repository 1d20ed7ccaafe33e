import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError } from '../../platform/access.ts';
import type { FieldError } from '../../platform/errors.ts';
import { ValidationError } from '../../platform/errors.ts';
import { auditContext } from '../../platform/http/context.ts';
import { dateInput, dateItems, type Form, FormBody, text } from '../../platform/http/form-fields.ts';
import { formErrors } from '../../platform/views.ts';
import type { PeopleService } from '../people/service.ts';
import { FlagParams, PersonParams } from './schemas.ts';
import type { FlagsService } from './service.ts';

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

/**
 * What both flag forms do once their dates are read: the service acts (unless a date was wrong)
 * and the person's page follows with a message, or the form is shown again (400) with every error,
 * in the form's order.
 */
async function sendFlagForm(
  reply: FastifyReply,
  form: {
    personId: string;
    dateErrors: FieldError[];
    fields: readonly string[];
    act: () => Promise<unknown>;
    done: string;
    view: string;
    shown: (errors: FieldError[]) => Promise<Record<string, unknown>>;
  },
) {
  try {
    if (form.dateErrors.length) throw new ValidationError([]);
    await form.act();
    reply.request.session.flash = form.done;
    return reply.redirect(`/people/${form.personId}`, 303);
  } catch (error) {
    return reply.code(400).page(form.view, await form.shown(merged(form.dateErrors, error, form.fields)));
  }
}

/** The owning service's pages: raise a flag on a person, end one. The banner is on the person page. */
export function flagsRoutes(flags: FlagsService, people: PeopleService): FastifyPluginAsyncTypebox {
  async function raisePage(request: FastifyRequest, personId: string, form: Form, errors: FieldError[]) {
    const context = auditContext(request);
    const { person, resource } = await people.accessFacts(personId);
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

  return async (app) => {
    app.get('/people/:id/flags/new', { schema: { params: PersonParams } }, async (request, reply) =>
      reply.page('flags/views/raise.njk', await raisePage(request, request.params.id, {}, [])),
    );

    app.post(
      '/people/:id/flags/new',
      { schema: { params: PersonParams, body: FormBody } },
      async (request, reply) => {
        const form = request.body;
        const errors: FieldError[] = [];
        const start = dateField(form, 'start', 'The start date', errors);
        const review = dateField(form, 'review', 'The review date', errors);
        return sendFlagForm(reply, {
          personId: request.params.id,
          dateErrors: errors,
          fields: ['type', 'start', 'review', 'contact'],
          act: () =>
            flags.raiseForPerson(auditContext(request), request.params.id, {
              type: text(form, 'type') ?? '',
              start,
              contact: text(form, 'contact') ?? '',
              ...(review ? { review } : {}),
            }),
          done: 'The flag was raised.',
          view: 'flags/views/raise.njk',
          shown: (all) => raisePage(request, request.params.id, form, all),
        });
      },
    );

    async function endPage(request: FastifyRequest, form: Form, errors: FieldError[]) {
      const { id, flagId } = request.params as { id: string; flagId: string };
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

    app.get('/people/:id/flags/:flagId/end', { schema: { params: FlagParams } }, async (request, reply) =>
      reply.page('flags/views/end.njk', await endPage(request, {}, [])),
    );

    app.post(
      '/people/:id/flags/:flagId/end',
      { schema: { params: FlagParams, body: FormBody } },
      async (request, reply) => {
        const form = request.body;
        const errors: FieldError[] = [];
        const end = dateField(form, 'end', 'The end date', errors);
        return sendFlagForm(reply, {
          personId: request.params.id,
          dateErrors: errors,
          fields: ['end', 'reason'],
          act: () =>
            flags.endForPerson(auditContext(request), request.params.id, request.params.flagId, {
              end,
              reason: text(form, 'reason') ?? '',
            }),
          done: 'The flag was ended.',
          view: 'flags/views/end.njk',
          shown: (all) => endPage(request, form, all),
        });
      },
    );
  };
}
