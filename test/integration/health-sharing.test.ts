import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../src/app.ts';
import { syntheticNhsNumber } from '../../src/domain/identifiers.ts';
import { seededAgencyId, type TestDeps, testDeps } from '../helpers/deps.ts';
import { Browser, testApp } from '../helpers/http.ts';
import { api, apiKeyFor, dashAnswers, household } from './risk-helpers.ts';

let deps: TestDeps;
let app: App;
let hospital: ReturnType<typeof api>;
let police: ReturnType<typeof api>;
let family: Awaited<ReturnType<typeof household>>;
let childNhs: string;
let motherNhs: string;
let unknownNhs: string;

const agencyId = (code: string) => seededAgencyId(deps, code);

before(async () => {
  deps = await testDeps();
  app = await testApp(deps);
  hospital = api(app, await apiKeyFor(deps, 'hospital'));
  police = api(app, await apiKeyFor(deps, 'police'));
  family = await household(deps, 'northbridge', 1);
  let seed = 7;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const numbers: string[] = [];
  while (numbers.length < 3) {
    const n = syntheticNhsNumber(random);
    const held = await deps.db
      .selectFrom('person')
      .select('id')
      .where('nhs_number', '=', n)
      .executeTakeFirst();
    if (!held && !numbers.includes(n)) numbers.push(n);
  }
  [childNhs, motherNhs, unknownNhs] = numbers as [string, string, string];
  await deps.db
    .updateTable('person')
    .set({ nhs_number: childNhs })
    .where('id', '=', family.childId)
    .execute();
  await deps.db
    .updateTable('person')
    .set({ nhs_number: motherNhs })
    .where('id', '=', family.parentIds[0]!)
    .execute();
});
after(async () => {
  await app.close();
  await deps.close();
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
  const eventCount = async () =>
    Number(
      (
        await deps.db
          .selectFrom('chronology_event')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('subject_type', '=', 'health-event')
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('records each known person’s event, answers not-known for the rest, and a re-send changes nothing', async () => {
    const first = await hospital.post('/api/v1/health/events', batch());
    assert.equal(first.statusCode, 200, first.body);
    assert.deepEqual(
      first.json().results.map((r: { outcome: string }) => r.outcome),
      ['recorded', 'recorded', 'not-known'],
    );
    const missed = await deps.db
      .selectFrom('chronology_event')
      .select(['type', 'significance', 'summary'])
      .where('person_id', '=', family.childId)
      .where('subject_type', '=', 'health-event')
      .executeTakeFirstOrThrow();
    assert.equal(missed.type, 'missed-health-appointment');
    const booking = await deps.db
      .selectFrom('chronology_event')
      .select(['type', 'significance', 'summary'])
      .where('person_id', '=', family.parentIds[0]!)
      .where('subject_type', '=', 'health-event')
      .executeTakeFirstOrThrow();
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
    await deps.db
      .insertInto('access_relationship')
      .values({
        person_id: family.parentIds[0]!,
        agency_id: await agencyId('police'),
        area_id: family.areaId,
        basis: 'marac',
        granted_by_name: 'Test setup',
      })
      .execute();
    const assessed = await police.post('/api/v1/risk-assessments', {
      instrumentId: 'safelives-dash-ric',
      instrumentVersion: '1',
      victimPersonId: family.parentIds[0],
      answers: dashAnswers('safelives-dash-ric', '1', 15),
      assessedAt: '2026-01-05T10:00:00.000Z',
    });
    assert.equal(assessed.statusCode, 201, assessed.body);
    const recovery = await deps.db
      .selectFrom('app_user')
      .select('agency_id')
      .where('email', '=', 'adult.services@harbour.example')
      .executeTakeFirstOrThrow();
    await deps.db
      .insertInto('access_relationship')
      .values({
        person_id: family.parentIds[0]!,
        agency_id: recovery.agency_id!,
        area_id: family.areaId,
        basis: 'allocated-worker',
        granted_by_name: 'Test setup',
      })
      .execute();
    const browser = new Browser(app);
    await browser.signIn('adult.services@harbour.example');
    const page = await browser.get(`/people/${family.parentIds[0]}`);
    assert.equal(page.statusCode, 200, page.body);
    assert.match(page.body, /DASH risk assessment<\/strong>, 5 January 2026, held by Harbourshire Police/);
    // Not its content: no score, no answers, no link to the assessment.
    assert.doesNotMatch(page.body, /Score|score of|\/risk-assessments\/[0-9a-f]{8}-/);
    const form = /action="(\/health\/ask-holder\/[^"]+)"/.exec(page.body);
    assert.ok(form, 'an ask-the-holder button');
    const asked = await browser.post(form[1]!, {});
    assert.equal(asked.statusCode, 303, asked.body);
    const audit = await deps.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'health.ask-holder')
      .executeTakeFirstOrThrow();
    const details = typeof audit.details === 'string' ? JSON.parse(audit.details) : audit.details;
    assert.deepEqual(details.to, [await agencyId('police')]);
  });
});
