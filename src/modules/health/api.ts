import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ValidationError } from '../../platform/errors.ts';
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
          summary: 'Unscheduled care: look a patient up by NHS number, or by name and date of birth',
          description:
            'One of the honest answers: `flags` (what, since when, whom to call), `known-no-flags`, or `not-known` (not known to the partnership; never a clearance). Without an NHS number, give `givenName`, `familyName` and `dateOfBirth` (any name the person is held under, compared without case): when more than one person matches the answer is `several-known`, with whether any of them has a flag and the MASH to call, never which of them. Health agencies only; audited with what was searched for. An acute trust’s lookup of one known person records an emergency-department attendance on the person’s chronology and tells the allocated worker or the MASH.',
          querystring: LookupQuery,
          response: { 200: LookupResponse, ...problems(400, 401, 403) },
        },
      },
      async (request) => {
        const { nhsNumber, ...named } = request.query;
        const byName = nhsNumber === undefined;
        if (byName && !named.givenName && !named.familyName && !named.dateOfBirth)
          throw new ValidationError([
            { field: 'nhsNumber', message: 'Give an NHS number, or givenName, familyName and dateOfBirth' },
          ]);
        const result = await health.lookup(auditContext(request), byName ? named : nhsNumber, {
          channel: 'api',
        });
        return {
          answer: result.answer,
          searchedBy: result.searchedBy,
          nhsNumber: result.nhsNumber,
          personId: result.person?.id ?? null,
          flags: result.flags.map(({ endReason: _endReason, ...flag }) => flag),
          anyFlagged: result.anyFlagged,
          mashAgencies: result.mashAgencies,
        };
      },
    );
  };
}
