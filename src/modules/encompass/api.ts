import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type, { type Static } from 'typebox';
import type { NoticeContent } from '../../db/schema/encompass.ts';
import { auditContext } from '../../platform/http/context.ts';
import { pagedAnswer } from '../../platform/http/page-counts.ts';
import {
  Id,
  IsoDateTime,
  Nullable,
  NullableString,
  PageCountsProperties,
  problems,
  Text,
  Uuid,
} from '../../platform/http/schemas/atoms.ts';
import type { EncompassService, NoticeRow } from './service.ts';

const NoticeJson = Type.Object({
  id: Uuid(),
  reference: Type.String(),
  kind: Type.Union([Type.Literal('incident'), Type.Literal('custody'), Type.Literal('missing')]),
  schoolAgencyId: Type.Union([Uuid(), Type.Literal('local-authority')]),
  localAuthorityReason: NullableString(),
  status: Type.Union([
    Type.Literal('awaiting-review'),
    Type.Literal('released'),
    Type.Literal('acknowledged'),
  ]),
  dueBy: IsoDateTime(),
  childName: Type.String(),
  dateOfBirth: NullableString(),
  policeReference: Type.String(),
  occurredAt: IsoDateTime(),
  place: Type.String(),
  present: Nullable(Type.Boolean()),
  witnessed: Nullable(Type.Boolean()),
  childSaid: NullableString(),
  summary: Type.String({ description: 'Child-focused: what happened around the child' }),
  doNotApproachParents: Type.Literal(true),
  escalationStage: Type.Union([Type.Literal('deputy'), Type.Literal('local-authority'), Type.Null()]),
  acknowledgedAt: Nullable(IsoDateTime()),
  actionTaken: NullableString(),
});

export function noticeJson(n: NoticeRow): Static<typeof NoticeJson> {
  const c = n.content as NoticeContent;
  return {
    id: n.id,
    reference: n.reference,
    kind: n.kind,
    schoolAgencyId: n.school_agency_id ?? 'local-authority',
    localAuthorityReason: n.la_reason,
    status: n.status,
    dueBy: new Date(n.due_by).toISOString(),
    childName: c.childName,
    dateOfBirth: c.dateOfBirth,
    policeReference: c.policeReference,
    occurredAt: new Date(n.occurred_at).toISOString(),
    place: c.place,
    present: c.present,
    witnessed: c.witnessed,
    childSaid: c.childSaid,
    summary: c.summary,
    doNotApproachParents: true,
    escalationStage: n.escalation_stage,
    acknowledgedAt: n.acknowledged_at ? new Date(n.acknowledged_at).toISOString() : null,
    actionTaken: n.action_taken,
  };
}

export const AcknowledgementBody = Type.Object(
  {
    actionTaken: Text(4000, 'What the school did: support offered, who was told'),
    supportOffered: Type.Boolean(),
    loggedOnSchoolSystem: Type.Boolean({ description: 'Logged on the school’s own safeguarding system' }),
  },
  { additionalProperties: false },
);

export const EpisodeBody = Type.Object(
  {
    personId: Uuid(),
    kind: Type.Union([Type.Literal('custody'), Type.Literal('missing')]),
    policeReference: Text(40),
    occurredAt: Type.String({ description: 'When the episode began (date-time)' }),
    place: Text(300),
    summary: Text(4000, 'A child-focused summary for the school'),
  },
  { additionalProperties: false },
);

const Created = Type.Object({
  id: Uuid(),
  schoolAgencyId: Type.Union([Uuid(), Type.Literal('local-authority')]),
  dueBy: IsoDateTime(),
});

export function encompassApi(encompass: EncompassService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/v1/encompass/notices',
      {
        schema: {
          tags: ['Operation Encompass'],
          summary: 'Operation Encompass notices the caller may see (a school’s key: those addressed to it)',
          querystring: Type.Object({
            status: Type.Optional(
              Type.Union([
                Type.Literal('unacknowledged'),
                Type.Literal('acknowledged'),
                Type.Literal('awaiting-review'),
                Type.Literal('all'),
              ]),
            ),
            page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
            pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
          }),
          response: {
            200: Type.Object({
              notices: Type.Array(NoticeJson),
              ...PageCountsProperties,
            }),
            ...problems(400, 401, 403),
          },
        },
      },
      async (request) => {
        return pagedAnswer('notices', await encompass.list(auditContext(request), request.query), noticeJson);
      },
    );

    app.get(
      '/api/v1/encompass/notices/:id',
      {
        schema: {
          tags: ['Operation Encompass'],
          summary: 'One Operation Encompass notice',
          params: Id,
          response: { 200: NoticeJson, ...problems(401, 403, 404) },
        },
      },
      async (request) => noticeJson((await encompass.view(auditContext(request), request.params.id)).notice),
    );

    app.post(
      '/api/v1/encompass/notices/:id/acknowledgement',
      {
        schema: {
          tags: ['Operation Encompass'],
          summary: 'The key adult acknowledges a notice, saying what the school did',
          params: Id,
          body: AcknowledgementBody,
          response: {
            200: Type.Object({
              id: Uuid(),
              status: Type.Literal('acknowledged'),
              acknowledgedAt: IsoDateTime(),
            }),
            ...problems(400, 401, 403, 404, 409),
          },
        },
      },
      async (request) => {
        const done = await encompass.acknowledge(auditContext(request), request.params.id, request.body);
        return {
          id: done.id,
          status: 'acknowledged' as const,
          acknowledgedAt: done.acknowledgedAt.toISOString(),
        };
      },
    );

    app.post(
      '/api/v1/encompass/episodes',
      {
        schema: {
          tags: ['Operation Encompass'],
          summary: 'Police share a child’s custody or missing episode with the school (F29)',
          description:
            'Recorded on the child’s chronology, shared with the school on roll by name, and sent as a notice due before the next school day; a child with no school in the partnership goes to the local authority.',
          body: EpisodeBody,
          response: { 201: Created, ...problems(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const created = await encompass.shareEpisode(auditContext(request), request.body);
        return reply.code(201).send(created);
      },
    );
  };
}
