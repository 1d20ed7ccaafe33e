import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { grantAccess } from '../helpers/access-relationship.ts';
import { latestAuditDetails } from '../helpers/audit-events.ts';
import { seededAgencyId } from '../helpers/deps.ts';
import { signedIn } from '../helpers/http.ts';
import { setNhsNumber, unusedNhsNumbers } from '../helpers/nhs-numbers.ts';
import { app, appPerFile, deps } from '../helpers/per-file.ts';
import { rowCountWhere } from '../helpers/row-count.ts';
import { rowWhere } from '../helpers/rows.ts';
import { api, apiKeyFor, dashAnswers, household } from './risk-helpers.ts';

let hospital: ReturnType<typeof api>;
let police: ReturnType<typeof api>;
let family: Awaited<ReturnType<typeof household>>;
let childNhs: string;
let motherNhs: string;
let unknownNhs: string;

const agencyId = (code: string) => seededAgencyId(deps, code);

appPerFile({}, async () => {
  hospital = api(app, await apiKeyFor(deps, 'hospital'));
  police = api(app, await apiKeyFor(deps, 'police'));
  family = await household(deps, 'northbridge', 1);
  [childNhs, motherNhs, unknownNhs] = (await unusedNhsNumbers(deps, 3, 7)) as [string, string, string];
  await setNhsNumber(deps, family.childId, childNhs);
  await setNhsNumber(deps, family.parentIds[0]!, motherNhs);
});

describe('health events by API', () => {
  const batch = () => ({
    events: [
      {
        reference: 'WNB-1001',
        nhsNumber: childNhs,
        kind: 'was-not-brought',
        occurredAt: '2026-01-10T09:30:00Z',
        summary: 'Not brought to the paediatric clinic',
      },
      {
        reference: 'MAT-2001',
        nhsNumber: motherNhs,
        kind: 'maternity-booking',
        occurredAt: '2026-01-11T11:00:00Z',
        summary: 'Booked at 10 weeks',
        domesticAbuseDisclosed: true,
      },
      {
        reference: 'DNA-3001',
        nhsNumber: unknownNhs,
        kind: 'did-not-attend',
        occurredAt: '2026-01-12T11:00:00Z',
        summary: 'Did not attend',
      },
    ],
  });
  const eventCount = () => rowCountWhere(deps.db, 'chronology_event', { subject_type: 'health-event' });

  it('records each known person’s event, answers not-known for the rest, and a re-send changes nothing', async () => {
    const first = await hospital.post('/api/v1/health/events', batch());
    assert.equal(first.statusCode, 200, first.body);
    assert.deepEqual(
      first.json().results.map((r: { outcome: string }) => r.outcome),
      ['recorded', 'recorded', 'not-known'],
    );
    const missed = await rowWhere(deps.db, 'chronology_event', {
      person_id: family.childId,
      subject_type: 'health-event',
    });
    assert.equal(missed.type, 'missed-health-appointment');
    const booking = await rowWhere(deps.db, 'chronology_event', {
      person_id: family.parentIds[0]!,
      subject_type: 'health-event',
    });
    assert.equal(booking.type, 'maternity-booking');
    assert.equal(booking.significance, 'high');
    assert.match(booking.summary, /domestic abuse disclosed/);
    const count = await eventCount();
    const again = await hospital.post('/api/v1/health/events', batch());
    assert.equal(again.statusCode, 200, again.body);
    assert.deepEqual(
      again.json().results.map((r: { outcome: string }) => r.outcome),
      ['already-recorded', 'already-recorded', 'not-known'],
    );
    assert.equal(again.json().results[0].eventId, first.json().results[0].eventId);
    assert.equal(await eventCount(), count);
  });

  it('a wrong kind for the person is 400 naming the event, and nothing of the batch is written', async () => {
    const count = await eventCount();
    const response = await hospital.post('/api/v1/health/events', {
      events: [
        {
          reference: 'OK-1',
          nhsNumber: childNhs,
          kind: 'health-visitor-concern',
          occurredAt: '2026-01-13T09:00:00Z',
          summary: 'Bruising',
        },
        {
          reference: 'BAD-1',
          nhsNumber: motherNhs,
          kind: 'was-not-brought',
          occurredAt: '2026-01-13T09:00:00Z',
          summary: 'x',
        },
      ],
    });
    assert.equal(response.statusCode, 400, response.body);
    assert.match(response.body, /events\[1\]\.kind/);
    assert.equal(await eventCount(), count);
  });

  it('a police key may not send health events', async () => {
    const response = await police.post('/api/v1/health/events', batch());
    assert.equal(response.statusCode, 403);
  });
});

describe('adult services see that an assessment exists and who holds it (F22)', () => {
  it('shows "DASH risk assessment … held by" police without its answers, and lets them ask', async () => {
    // The force is party to the mother's MARAC episode, so it assesses her (a recorded relationship).
    await grantAccess(deps, {
      personId: family.parentIds[0]!,
      agencyId: await agencyId('police'),
      areaId: family.areaId,
      basis: 'marac',
    });
    const assessed = await police.post('/api/v1/risk-assessments', {
      instrumentId: 'safelives-dash-ric',
      instrumentVersion: '1',
      victimPersonId: family.parentIds[0],
      answers: dashAnswers('safelives-dash-ric', '1', 15),
      assessedAt: '2026-01-05T10:00:00.000Z',
    });
    assert.equal(assessed.statusCode, 201, assessed.body);
    const recovery = await rowWhere(deps.db, 'app_user', { email: 'adult.services@harbour.example' });
    await grantAccess(deps, {
      personId: family.parentIds[0]!,
      agencyId: recovery.agency_id!,
      areaId: family.areaId,
      basis: 'allocated-worker',
    });
    const browser = await signedIn(app, 'adult.services@harbour.example');
    const page = await browser.get(`/people/${family.parentIds[0]}`);
    assert.equal(page.statusCode, 200, page.body);
    assert.match(page.body, /DASH risk assessment<\/strong>, 5 January 2026, held by Harbourshire Police/);
    // Not its content: no score, no answers, no link to the assessment.
    assert.doesNotMatch(page.body, /Score|score of|\/risk-assessments\/[0-9a-f]{8}-/);
    const form = /action="(\/health\/ask-holder\/[^"]+)"/.exec(page.body);
    assert.ok(form, 'an ask-the-holder button');
    const asked = await browser.post(form[1]!, {});
    assert.equal(asked.statusCode, 303, asked.body);
    const details = await latestAuditDetails(deps.db, 'health.ask-holder');
    assert.deepEqual(details.to, [await agencyId('police')]);
  });
});
