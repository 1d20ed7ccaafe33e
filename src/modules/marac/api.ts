import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DateTime } from 'luxon';
import { TIME_ZONE } from '../../domain/time-zone.ts';
import { isoInstant, isoOrNull } from '../../platform/http/api-json.ts';
import { auditContext } from '../../platform/http/context.ts';
import { Id, problems } from '../../platform/http/schemas/atoms.ts';
import {
  ActionsQuery,
  MeetingDetail,
  MeetingSummary,
  MeetingsQuery,
  ReferralBody,
  ReferralResponse,
} from './schemas.ts';
import type { MaracService } from './service.ts';

/** The MARAC JSON API (docs/marac.md): referrals from any agency, meetings and agendas, an agency's actions. */
export function maracApi(marac: MaracService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/v1/marac/referrals',
      {
        schema: {
          tags: ['MARAC'],
          summary: 'Refer a victim to MARAC (or to the below-MARAC panel)',
          description:
            'Any agency serving the victim’s area may refer. A repeat (the same victim referred within 12 months, by any agency) and a referral already open are detected; the criteria say which are met and why.',
          body: ReferralBody,
          response: { 201: ReferralResponse, ...problems(400, 401, 403) },
        },
      },
      async (request, reply) => reply.code(201).send(await marac.refer(auditContext(request), request.body)),
    );

    app.get(
      '/api/v1/marac/meetings',
      {
        schema: {
          tags: ['MARAC'],
          summary: 'Meetings from a date: the coordinator’s areas, and those the agency takes part in',
          querystring: MeetingsQuery,
          response: { 200: { type: 'array', items: MeetingSummary }, ...problems(400, 401) },
        },
      },
      async (request) => {
        const from = request.query.from
          ? DateTime.fromISO(request.query.from, { zone: TIME_ZONE }).toJSDate()
          : DateTime.now().setZone(TIME_ZONE).startOf('day').toJSDate();
        const rows = await marac.meetingsFrom(auditContext(request), from, request.query.forum);
        return rows.map((m) => ({
          id: m.id,
          reference: m.reference,
          areaId: m.area_id,
          forum: m.forum,
          startsAt: isoInstant(m.starts_at),
          status: m.status,
          cases: Number(m.case_count),
          minutes: m.minutes,
        }));
      },
    );

    app.get(
      '/api/v1/marac/meetings/:id',
      {
        schema: {
          tags: ['MARAC'],
          summary: 'A meeting with its agenda in order (repeats and highest risk first)',
          params: Id,
          response: { 200: MeetingDetail, ...problems(401, 403, 404) },
        },
      },
      async (request) => {
        const { meeting, agenda, minutes } = await marac.viewMeeting(
          auditContext(request),
          request.params.id,
        );
        return {
          id: meeting.id,
          reference: meeting.reference,
          areaId: meeting.area_id,
          forum: meeting.forum,
          startsAt: isoInstant(meeting.starts_at),
          status: meeting.status,
          cases: agenda.length,
          minutes,
          minutesDueAt: isoOrNull(meeting.minutes_due_at),
          agenda: agenda.map((slot) => ({
            position: slot.position,
            caseId: slot.item.id,
            reference: slot.item.reference,
            repeat: slot.item.repeat,
            riskLevel: slot.item.risk_level,
            dashScore: slot.item.dash_score,
            startsAt: slot.startsAt.toISOString(),
            minutes: slot.minutes,
            status: slot.item.status,
          })),
        };
      },
    );

    app.get(
      '/api/v1/marac/actions',
      {
        schema: {
          tags: ['MARAC'],
          summary: 'The calling agency’s own MARAC and panel actions (shared actions module)',
          querystring: ActionsQuery,
          response: problems(400, 401, 409),
        },
      },
      async (request) =>
        marac.actionsForAgency(auditContext(request), {
          status: request.query.status ?? 'open',
          page: request.query.page ?? 1,
        }),
    );
  };
}
