import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { CHRONOLOGY_EVENT_TYPES } from '../../domain/chronology-event.ts';
import { ValidationError } from '../../platform/errors.ts';
import { auditContext } from '../../platform/http/context.ts';
import {
  Nullable,
  NullableString,
  PageCountsProperties,
  PageNumber,
} from '../../platform/http/schemas/atoms.ts';
import { parseChronologyQuery, typeLabel } from './filters.ts';
import { type ChronologyService, MAX_PAGE_SIZE } from './service.ts';

const Level = Type.Union([Type.Literal('standard'), Type.Literal('medium'), Type.Literal('high')]);
const Significance = Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high')]);
const Uuid = Type.String({ format: 'uuid' });

/** What a partner may say about an event when recording it directly. */
const EventData = Type.Object(
  {
    role: Type.Optional(
      Type.Union(
        ['victim', 'perpetrator', 'child-in-household', 'subject', 'parent-carer', 'other'].map((v) =>
          Type.Literal(v),
        ),
      ),
    ),
    victimIds: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
    perpetratorIds: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
    relatedPersonIds: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
    incidentRef: Type.Optional(Type.String({ maxLength: 100 })),
    reportedBy: Type.Optional(
      Type.Union(
        ['victim', 'child', 'perpetrator', 'family-member', 'neighbour', 'professional', 'other'].map((v) =>
          Type.Literal(v),
        ),
      ),
    ),
    childPresent: Type.Optional(Type.Boolean()),
    childInjured: Type.Optional(Type.Boolean()),
    riskGrade: Type.Optional(Level),
    indicators: Type.Optional(
      Type.Array(
        Type.Union(
          ['substance-misuse', 'mental-health', 'breach-of-bail-or-order', 'other-victims'].map((v) =>
            Type.Literal(v),
          ),
        ),
      ),
    ),
    schoolInformed: Type.Optional(Type.Boolean()),
    attendancePercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    preBirth: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const EventSchema = Type.Object(
  {
    id: Type.String(),
    personId: Type.String(),
    type: Type.String(),
    typeLabel: Type.String(),
    occurredAt: Type.String({ format: 'date-time' }),
    recordedAt: Type.String({ format: 'date-time' }),
    sourceAgency: Type.Union([
      Type.Object({
        id: Type.String(),
        name: NullableString(),
        kind: NullableString(),
      }),
      Type.Null(),
    ]),
    significance: Significance,
    summary: Type.String(),
    data: Type.Object({}, { additionalProperties: true }),
    subject: Nullable(Type.Object({ type: Type.String(), id: Type.String() })),
  },
  { additionalProperties: false },
);

export function chronologyApi(chronology: ChronologyService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/v1/people/:id/chronology',
      {
        schema: {
          tags: ['Chronology'],
          summary: 'A person’s chronology across agencies, newest first, as the caller may see it',
          description:
            'Events the caller’s agency may see under the sharing rules (the MASH sees every agency’s; a partner sees its own sharing group’s and events shared with it; `partial` says so). Filter by type, source agency, period (UK dates, `to` inclusive) and minimum significance.',
          params: Type.Object({ id: Uuid }),
          querystring: Type.Object({
            type: Type.Optional(Type.Array(Type.String({ maxLength: 60 }), { maxItems: 40 })),
            agency: Type.Optional(Type.Array(Uuid, { maxItems: 40 })),
            from: Type.Optional(Type.String({ maxLength: 10 })),
            to: Type.Optional(Type.String({ maxLength: 10 })),
            significance: Type.Optional(Significance),
            page: PageNumber(),
            pageSize: Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 100 }),
          }),
          response: {
            200: Type.Object({
              personId: Type.String(),
              ...PageCountsProperties,
              partial: Type.Boolean(),
              events: Type.Array(EventSchema),
            }),
            400: { $ref: 'Problem#' },
            401: { $ref: 'Problem#' },
            403: { $ref: 'Problem#' },
            404: { $ref: 'Problem#' },
          },
        },
      },
      async (request) => {
        const { filters, errors } = parseChronologyQuery(request.query);
        if (errors.length) throw new ValidationError(errors);
        const result = await chronology.forPerson(auditContext(request), request.params.id, filters);
        return {
          personId: result.person.id,
          total: result.total,
          page: result.page,
          pageSize: result.pageSize,
          partial: result.partial,
          events: result.events.map((e) => ({
            id: e.id,
            personId: e.person_id,
            type: e.type,
            typeLabel: typeLabel(e.type),
            occurredAt: e.occurred_at.toISOString(),
            recordedAt: e.recorded_at.toISOString(),
            sourceAgency: e.source_agency_id
              ? { id: e.source_agency_id, name: e.source_agency_name, kind: e.source_agency_kind }
              : null,
            significance: e.significance,
            summary: e.summary,
            data: e.data as Record<string, unknown>,
            subject: e.subject_type && e.subject_id ? { type: e.subject_type, id: e.subject_id } : null,
          })),
        };
      },
    );

    app.post(
      '/api/v1/people/:id/events',
      {
        schema: {
          tags: ['Chronology'],
          summary: 'Record an event on a person’s chronology',
          description:
            'Any agency with a relationship to the person (or the MASH, for its areas) may record an event. The event may not be dated in the future, nor before the date of birth unless `data.preBirth` is true. The event’s source agency is always the caller’s: `sourceAgencyId` may be left out or give the caller’s own agency; any other agency is 400 naming the field and nothing is written.',
          params: Type.Object({ id: Uuid }),
          body: Type.Object(
            {
              type: Type.Union(CHRONOLOGY_EVENT_TYPES.map((t) => Type.Literal(t))),
              occurredAt: Type.String({ format: 'date-time' }),
              significance: Significance,
              summary: Type.String({ minLength: 1, maxLength: 4000 }),
              sourceAgencyId: Type.Optional(Uuid),
              sharedWithAgencyIds: Type.Optional(Type.Array(Uuid, { maxItems: 20 })),
              data: Type.Optional(EventData),
            },
            { additionalProperties: false },
          ),
          response: {
            201: Type.Object({ id: Type.String() }),
            400: { $ref: 'Problem#' },
            401: { $ref: 'Problem#' },
            403: { $ref: 'Problem#' },
            404: { $ref: 'Problem#' },
          },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const id = await chronology.recordForPerson(auditContext(request), request.params.id, {
          type: body.type,
          occurredAt: new Date(body.occurredAt),
          significance: body.significance,
          summary: body.summary,
          ...(body.sourceAgencyId ? { sourceAgencyId: body.sourceAgencyId } : {}),
          ...(body.sharedWithAgencyIds ? { sharedWithAgencyIds: body.sharedWithAgencyIds } : {}),
          ...(body.data ? { data: body.data as never } : {}),
        });
        return reply.code(201).send({ id });
      },
    );
  };
}
