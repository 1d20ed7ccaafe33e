import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
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
        try {
          if (errors.length) throw new ValidationError([]);
          await flags.raiseForPerson(auditContext(request), request.params.id, {
            type: text(form, 'type') ?? '',
            start,
            contact: text(form, 'contact') ?? '',
            ...(review ? { review } : {}),
          });
          request.session.flash = 'The flag was raised.';
          return reply.redirect(`/people/${request.params.id}`, 303);
        } catch (error) {
          const all = merged(errors, error, ['type', 'start', 'review', 'contact']);
          return reply
            .code(400)
            .page('flags/views/raise.njk', await raisePage(request, request.params.id, form, all));
        }
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
        try {
          if (errors.length) throw new ValidationError([]);
          await flags.endForPerson(auditContext(request), request.params.id, request.params.flagId, {
            end,
            reason: text(form, 'reason') ?? '',
          });
          request.session.flash = 'The flag was ended.';
          return reply.redirect(`/people/${request.params.id}`, 303);
        } catch (error) {
          const all = merged(errors, error, ['end', 'reason']);
          return reply.code(400).page('flags/views/end.njk', await endPage(request, form, all));
        }
      },
    );
  };
}
