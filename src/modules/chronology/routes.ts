import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import Type from 'typebox';
import {
  CHRONOLOGY_EVENT_TYPES,
  type ChronologyEventType,
  isChronologyEventType,
  type Significance,
} from '../../domain/chronology-event.ts';
import { TIME_ZONE } from '../../domain/time-zone.ts';
import type { Deps } from '../../platform/deps.ts';
import { type FieldError, ValidationError } from '../../platform/errors.ts';
import { auditContext } from '../../platform/http/context.ts';
import { takeFlash } from '../../platform/http/flash.ts';
import { FormBody } from '../../platform/http/form-fields.ts';
import { pagesOf } from '../../platform/http/page-counts.ts';
import { Id, PageNumber } from '../../platform/http/schemas/atoms.ts';
import { formErrors } from '../../platform/views.ts';
import type { DirectoryService } from '../directory/service.ts';
import { parseChronologyQuery, typeLabel } from './filters.ts';
import { type ChronologyService, MAX_PAGE_SIZE } from './service.ts';

const PAGE_SIZE = 50;
const SIGNIFICANCE_LABELS: Record<Significance, string> = { low: 'Low', medium: 'Medium', high: 'High' };
const TYPE_ITEMS = CHRONOLOGY_EVENT_TYPES.map((t) => ({ value: t, text: typeLabel(t) })).sort((a, b) =>
  a.text.localeCompare(b.text),
);

interface EventForm {
  type?: string;
  'occurredAt-day'?: string;
  'occurredAt-month'?: string;
  'occurredAt-year'?: string;
  time?: string;
  sourceAgencyId?: string;
  significance?: string;
  summary?: string;
  preBirth?: string;
}

function parseEventForm(form: EventForm): {
  errors: FieldError[];
  value?: { type: ChronologyEventType; occurredAt: Date; significance: Significance; summary: string };
} {
  const errors: FieldError[] = [];
  if (!isChronologyEventType(form.type)) errors.push({ field: 'type', message: 'Select the type of event' });
  const [d, m, y] = [form['occurredAt-day'], form['occurredAt-month'], form['occurredAt-year']].map((v) =>
    (v ?? '').trim(),
  );
  const time = (form.time ?? '').trim();
  let occurredAt: Date | undefined;
  if (!d || !m || !y) errors.push({ field: 'occurredAt', message: 'Enter the date the event happened' });
  else {
    const dt = DateTime.fromObject(
      {
        year: Number(y),
        month: Number(m),
        day: Number(d),
        hour: time ? Number(time.split(':')[0]) : 12,
        minute: time ? Number(time.split(':')[1]) : 0,
      },
      { zone: TIME_ZONE },
    );
    if (!/^\d{4}$/.test(y) || !dt.isValid)
      errors.push({ field: 'occurredAt', message: 'The date the event happened must be a real date' });
    else occurredAt = dt.toJSDate();
  }
  if (time && !/^([01]?\d|2[0-3]):[0-5]\d$/.test(time))
    errors.push({ field: 'time', message: 'Enter the time as hours and minutes, like 14:30' });
  if (!['low', 'medium', 'high'].includes(form.significance ?? ''))
    errors.push({ field: 'significance', message: 'Select how significant the event is' });
  if (!form.summary?.trim()) errors.push({ field: 'summary', message: 'Enter a summary of what happened' });
  if (errors.length || !occurredAt) return { errors };
  // A date without a time is taken as midday, so "today" is never in the future.
  if (!time && DateTime.fromJSDate(occurredAt).hasSame(DateTime.now().setZone(TIME_ZONE), 'day'))
    occurredAt = new Date(Math.min(occurredAt.getTime(), Date.now()));
  return {
    errors,
    value: {
      type: form.type as ChronologyEventType,
      occurredAt,
      significance: form.significance as Significance,
      summary: form.summary!.trim(),
    },
  };
}

export function chronologyRoutes(
  _deps: Deps,
  chronology: ChronologyService,
  directory: DirectoryService,
): FastifyPluginAsyncTypebox {
  const agencies = () => directory.agencyChoices();

  return async (app) => {
    app.get(
      '/people/:id/chronology',
      {
        schema: {
          params: Id,
          querystring: Type.Object({
            type: Type.Optional(Type.Array(Type.String({ maxLength: 60 }), { maxItems: 40 })),
            agency: Type.Optional(Type.Array(Type.String({ maxLength: 36 }), { maxItems: 40 })),
            from: Type.Optional(Type.String({ maxLength: 10 })),
            to: Type.Optional(Type.String({ maxLength: 10 })),
            significant: Type.Optional(Type.String({ maxLength: 3 })),
            print: Type.Optional(Type.String({ maxLength: 3 })),
            page: PageNumber(),
          }),
        },
      },
      async (request, reply) => {
        const q = request.query;
        const print = q.print === 'yes';
        const { filters, errors } = parseChronologyQuery({
          ...q,
          agency: (q.agency ?? []).filter((a) => /^[0-9a-f-]{36}$/i.test(a)),
        });
        const context = auditContext(request);
        const person = await chronology.personFor(context, request.params.id, 'chronology:view');
        const result =
          errors.length === 0
            ? await chronology.forPerson(context, request.params.id, {
                ...filters,
                page: print ? 1 : q.page,
                pageSize: print ? MAX_PAGE_SIZE : PAGE_SIZE,
              })
            : null;
        const params = new URLSearchParams();
        for (const [key, value] of Object.entries(q)) {
          if (key === 'page' || key === 'print' || value === undefined || value === '') continue;
          for (const v of Array.isArray(value) ? value : [value]) if (v) params.append(key, String(v));
        }
        const flash = takeFlash(request);
        const pages = result ? pagesOf(result.total, result.pageSize) : 1;
        return reply
          .code(errors.length ? 400 : 200)
          .page(print ? 'chronology/views/chronology-print.njk' : 'chronology/views/chronology.njk', {
            title: `Chronology: ${person.given_name} ${person.family_name}`,
            person,
            result,
            query: q,
            errors: formErrors(errors),
            typeItems: TYPE_ITEMS,
            selectedType: q.type?.[0] ?? '',
            selectedAgency: q.agency?.[0] ?? '',
            queryString: params.toString(),
            page: q.page,
            pages,
            typeLabel,
            significanceLabels: SIGNIFICANCE_LABELS,
            flash,
          });
      },
    );

    const showForm = async (
      request: FastifyRequest,
      personId: string,
      values: EventForm,
      errors: FieldError[],
    ) => {
      const person = await chronology.personFor(auditContext(request), personId, 'chronology:record');
      const principal = request.principal!;
      const list = await agencies();
      return {
        title: `Record an event for ${person.given_name} ${person.family_name}`,
        person,
        values,
        errors: formErrors(errors),
        typeItems: [{ value: '', text: 'Choose a type' }, ...TYPE_ITEMS].map((i) => ({
          ...i,
          selected: i.value === (values.type ?? ''),
        })),
        agencyName: list.find((a) => a.id === principal.agencyId)?.name ?? principal.agencyName,
      };
    };

    app.get(
      '/people/:id/events/new',
      {
        schema: {
          params: Id,
          querystring: Type.Object({ type: Type.Optional(Type.String({ maxLength: 60 })) }),
        },
      },
      async (request, reply) =>
        reply.page(
          'chronology/views/record-event.njk',
          await showForm(
            request,
            request.params.id,
            request.query.type ? { type: request.query.type } : {},
            [],
          ),
        ),
    );

    // Posted to the form's own address, so an error leaves the address bar on the form.
    app.post(
      '/people/:id/events/new',
      {
        schema: {
          params: Id,
          body: FormBody,
        },
      },
      async (request, reply) => {
        const form = request.body as EventForm;
        const { errors, value } = parseEventForm(form);
        if (value) {
          try {
            await chronology.recordForPerson(auditContext(request), request.params.id, {
              ...value,
              ...(form.sourceAgencyId ? { sourceAgencyId: form.sourceAgencyId } : {}),
              ...(form.preBirth === 'yes' ? { data: { preBirth: true } } : {}),
            });
            request.session.flash = 'The event was added to the chronology.';
            return reply.redirect(`/people/${request.params.id}/chronology`, 303);
          } catch (error) {
            if (!(error instanceof ValidationError)) throw error;
            errors.push(...error.errors);
          }
        }
        return reply
          .code(400)
          .page(
            'chronology/views/record-event.njk',
            await showForm(request, request.params.id, form, errors),
          );
      },
    );
  };
}
