import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { auditContext } from '../../platform/http/context.ts';
import { problems } from '../../platform/http/schemas/atoms.ts';
import type { HealthEventsService } from './health-events.ts';
import { HealthEventsBody, HealthEventsResponse, LookupQuery, LookupResponse } from './schemas.ts';
import type { HealthService } from './service.ts';

export function healthApi(
  health: HealthService,
  healthEvents: HealthEventsService,
): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/v1/health/events',
      {
        schema: {
          tags: ['Health'],
          summary:
            'Health events in bulk: missed appointments, ED attendances, HV and school-nurse concerns, maternity bookings',
          description:
            'Up to 500 events, each found by NHS number and kept idempotent by the sender’s `reference`: sending the same reference again changes nothing and answers `already-recorded`. An NHS number the partnership does not hold is answered `not-known`. Missed appointments reach the cumulative-risk engine. One transaction: a bad event is 400 naming it and nothing is written.',
          body: HealthEventsBody,
          response: { 200: HealthEventsResponse, ...problems(400, 401, 403) },
        },
      },
      async (request) => ({ results: await healthEvents.submit(auditContext(request), request.body.events) }),
    );

    app.get(
      '/api/v1/health/lookup',
      {
        schema: {
          tags: ['Health'],
          summary: 'Unscheduled care: look a patient up by NHS number',
          description:
            'One of three honest answers: `flags` (what, since when, whom to call), `known-no-flags`, or `not-known` (not known to the partnership). Health agencies only; audited with the NHS number. An acute trust’s lookup records an emergency-department attendance on the person’s chronology and tells the allocated worker or the MASH.',
          querystring: LookupQuery,
          response: { 200: LookupResponse, ...problems(400, 401, 403) },
        },
      },
      async (request) => {
        const result = await health.lookup(auditContext(request), request.query.nhsNumber, {
          channel: 'api',
        });
        return {
          answer: result.answer,
          nhsNumber: result.nhsNumber,
          personId: result.person?.id ?? null,
          flags: result.flags.map(({ endReason: _endReason, ...flag }) => flag),
        };
      },
    );
  };
}
