import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ANSWER_VALUES, listInstruments } from '../../domain/instruments/index.ts';
import { auditContext } from '../../platform/http/context.ts';
import { Nullable, NullableString } from '../../platform/http/schemas/atoms.ts';
import type { RiskService } from './service.ts';

const Uuid = Type.String({ format: 'uuid' });
const Level = Type.Union([Type.Literal('standard'), Type.Literal('medium'), Type.Literal('high')]);
const Open = (properties: Parameters<typeof Type.Object>[0]) =>
  Type.Object(properties, { additionalProperties: true });
const Problems = {
  400: { $ref: 'Problem#' },
  401: { $ref: 'Problem#' },
  403: { $ref: 'Problem#' },
  404: { $ref: 'Problem#' },
};

const Finding = Open({
  ruleId: Type.String(),
  kind: Type.String(),
  title: Type.String(),
  explanation: Type.String(),
  impliedLevel: Nullable(Level),
  eventIds: Type.Array(Type.String()),
});

const CumulativeRisk = Type.Object({
  personId: Type.String(),
  summaryId: Type.String({ description: 'Store this with a decision: it identifies exactly what was shown' }),
  hash: Type.String(),
  asOf: Type.String({ format: 'date-time' }),
  level: Level,
  latestRecorded: Type.Union([
    Open({ level: Level, eventId: Type.String(), eventType: Type.String(), occurredAt: Type.String() }),
    Type.Null(),
  ]),
  raisedAboveLatestRecorded: Type.Boolean(),
  findings: Type.Array(Finding),
  minimumResponse: Open({ code: Type.String(), text: Type.String() }),
  marac: Open({
    meetsCriteria: Type.Boolean(),
    criteria: Type.Array(
      Open({
        id: Type.String(),
        met: Type.Boolean(),
        explanation: Type.String(),
        eventIds: Type.Array(Type.String()),
      }),
    ),
  }),
  observations: Type.Array(Type.String()),
  summary: Type.String(),
  adults: Type.Array(Open({ id: Type.String(), role: Type.String() })),
  evidence: Type.Record(
    Type.String(),
    Open({ id: Type.String(), type: Type.String(), summary: Type.String() }),
  ),
  eventsConsidered: Type.Integer(),
});

export function riskApi(risk: RiskService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/v1/risk-instruments',
      {
        schema: {
          tags: ['Risk'],
          summary: 'The risk instruments and versions Harbour accepts, with their questions',
          response: {
            200: Type.Array(
              Open({
                id: Type.String(),
                version: Type.String(),
                title: Type.String(),
                sections: Type.Array(Open({ id: Type.String(), title: Type.String() })),
                questions: Type.Array(
                  Open({
                    id: Type.String(),
                    number: Type.Integer(),
                    section: Type.String(),
                    text: Type.String(),
                    required: Type.Boolean(),
                  }),
                ),
              }),
            ),
            401: { $ref: 'Problem#' },
          },
        },
      },
      async () => listInstruments().map((i) => ({ ...i })),
    );

    app.post(
      '/api/v1/risk-assessments',
      {
        schema: {
          tags: ['Risk'],
          summary: 'Record a risk assessment (e.g. DASH) scored by its instrument',
          description:
            'Answers are keyed by question id (GET /api/v1/risk-instruments). Every required question needs an answer; "not-asked" needs a detail saying why. Professional judgement (`judgedLevel`) may raise the score band, never lower it, and needs `judgementReason` when it differs. A "risk-assessment" event is written to the victim’s chronology and each child’s. With `contactId`, an awaited assessment for that contact is marked received and the front door is asked to re-screen the contact (job `front-door.rescreen`).',
          body: Type.Object(
            {
              instrumentId: Type.String({ minLength: 1, maxLength: 60 }),
              instrumentVersion: Type.String({ minLength: 1, maxLength: 20 }),
              victimPersonId: Uuid,
              perpetratorPersonIds: Type.Optional(Type.Array(Uuid, { maxItems: 10 })),
              childPersonIds: Type.Optional(Type.Array(Uuid, { maxItems: 20 })),
              contactId: Type.Optional(Uuid),
              incidentReference: Type.Optional(Type.String({ maxLength: 100 })),
              assessedAt: Type.Optional(Type.String({ format: 'date-time' })),
              answers: Type.Record(
                Type.String({ maxLength: 60 }),
                Type.Object(
                  {
                    value: Type.Union(ANSWER_VALUES.map((v) => Type.Literal(v))),
                    detail: Type.Optional(Type.String({ maxLength: 2000 })),
                  },
                  { additionalProperties: false },
                ),
              ),
              judgedLevel: Type.Optional(Level),
              judgementReason: Type.Optional(Type.String({ maxLength: 4000 })),
            },
            { additionalProperties: false },
          ),
          response: {
            201: Type.Object({
              id: Type.String(),
              score: Type.Integer(),
              band: Level,
              level: Level,
              prompts: Type.Array(Open({ id: Type.String(), title: Type.String(), text: Type.String() })),
              childPersonIds: Type.Array(Type.String()),
              eventIds: Type.Array(Type.String()),
              attachedToAwaited: NullableString(),
            }),
            ...Problems,
          },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const result = await risk.createAssessment(auditContext(request), {
          ...body,
          answers: body.answers as never,
          ...(body.assessedAt ? { assessedAt: new Date(body.assessedAt) } : { assessedAt: undefined }),
        } as never);
        return reply.code(201).send({ ...result, prompts: result.prompts.map((p) => ({ ...p })) });
      },
    );

    app.get(
      '/api/v1/risk-assessments/:id',
      {
        schema: {
          tags: ['Risk'],
          summary: 'A stored risk assessment with its answers, score and level',
          params: Type.Object({ id: Uuid }),
          response: {
            200: Open({
              id: Type.String(),
              instrumentId: Type.String(),
              instrumentVersion: Type.String(),
              victimPersonId: Type.String(),
              childPersonIds: Type.Array(Type.String()),
              score: Type.Integer(),
              band: Level,
              level: Level,
              assessedAt: Type.String(),
            }),
            ...Problems,
          },
        },
      },
      async (request) => {
        const row = await risk.findAssessment(auditContext(request), request.params.id);
        return {
          id: row.id,
          instrumentId: row.instrument_id,
          instrumentVersion: row.instrument_version,
          victimPersonId: row.victim_person_id,
          perpetratorPersonIds: row.perpetrator_person_ids,
          childPersonIds: row.child_person_ids,
          contactId: row.contact_id,
          score: row.score,
          band: row.score_band,
          judgedLevel: row.judged_level,
          judgementReason: row.judgement_reason,
          level: row.level,
          answers: row.answers,
          assessedAt: row.assessed_at.toISOString(),
        };
      },
    );

    app.get(
      '/api/v1/people/:id/risk',
      {
        schema: {
          tags: ['Risk'],
          summary: 'Cumulative risk for a child: level, findings with their evidence, MARAC criteria',
          description:
            'Runs the cumulative-risk engine over the child’s chronology and the linked adults’ (parents, carers, household adults and anyone named as victim or perpetrator on the child’s incidents), with the thresholds configured for the child’s area.',
          params: Type.Object({ id: Uuid }),
          response: { 200: CumulativeRisk, ...Problems },
        },
      },
      async (request) => {
        const s = await risk.summaryFor(auditContext(request), request.params.id);
        return {
          personId: s.child.id,
          summaryId: s.summaryId,
          hash: s.hash,
          asOf: s.result.asOf.toISOString(),
          level: s.result.level,
          latestRecorded: s.result.latestRecorded
            ? { ...s.result.latestRecorded, occurredAt: s.result.latestRecorded.occurredAt.toISOString() }
            : null,
          raisedAboveLatestRecorded: s.result.raisedAboveLatestRecorded,
          findings: s.result.findings.map((f) => ({ ...f, eventIds: [...f.eventIds] })),
          minimumResponse: { ...s.result.minimumResponse },
          marac: {
            meetsCriteria: s.result.marac.meetsCriteria,
            criteria: s.result.marac.criteria.map((c) => ({ ...c, eventIds: [...c.eventIds] })),
          },
          observations: [...s.result.observations],
          summary: s.result.summary,
          adults: s.adults.map((a) => ({ ...a })),
          evidence: Object.fromEntries(
            Object.entries(s.evidence).map(([id, e]) => [
              id,
              { ...e, occurredAt: e.occurredAt.toISOString() },
            ]),
          ),
          eventsConsidered: s.eventsConsidered,
        };
      },
    );

    app.get(
      '/api/v1/dash-awaited',
      {
        schema: {
          tags: ['Risk'],
          summary: 'Risk assessments awaited after a DAN, oldest first (police supervisors, MASH managers)',
          querystring: Type.Object({ includeReceived: Type.Boolean({ default: false }) }),
          response: {
            200: Type.Array(
              Open({
                id: Type.String(),
                contactId: Type.String(),
                officer: Type.String(),
                awaitedSince: Type.String(),
                dueAt: Type.String(),
                escalateAt: Type.String(),
                state: Type.String(),
                ageHours: Type.Number(),
              }),
            ),
            ...Problems,
          },
        },
      },
      async (request) => {
        const rows = await risk.awaitedReport(auditContext(request), {
          includeReceived: request.query.includeReceived,
        });
        return rows.map((r) => ({
          id: r.id,
          contactId: r.contact_id,
          officer: r.officer,
          personIds: r.person_ids,
          awaitedSince: r.awaited_since.toISOString(),
          dueAt: r.due_at.toISOString(),
          escalateAt: r.escalate_at.toISOString(),
          state: r.state,
          ageHours: Math.round((r.ageMs / 3_600_000) * 10) / 10,
          remindedAt: r.reminded_at?.toISOString() ?? null,
          escalatedAt: r.escalated_at?.toISOString() ?? null,
          assessmentId: r.assessment_id,
        }));
      },
    );

    app.get(
      '/api/v1/risk/review-tasks',
      {
        schema: {
          tags: ['Risk'],
          summary: 'Open “history suggests higher risk” review tasks for an area (front-door queue)',
          querystring: Type.Object({ areaId: Uuid }),
          response: {
            200: Type.Array(
              Open({
                id: Type.String(),
                personId: Type.String(),
                cumulativeLevel: Level,
                decisionLevel: Level,
                reasons: Type.String(),
                createdAt: Type.String(),
              }),
            ),
            ...Problems,
          },
        },
      },
      async (request) => {
        const rows = await risk.openReviewTasks(auditContext(request), request.query.areaId);
        return rows.map((r) => ({
          id: r.id,
          personId: r.child_person_id,
          cumulativeLevel: r.cumulative_level,
          decisionLevel: r.decision_level,
          decisionEventId: r.decision_event_id,
          summaryId: r.summary_id,
          triggerEventIds: r.trigger_event_ids,
          reasons: r.reasons,
          createdAt: r.created_at.toISOString(),
        }));
      },
    );
  };
}
