import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { auditEvents } from '../helpers/audit-events.ts';
import { rowCount } from '../helpers/deps.ts';
import { app, appPerFile, deps } from '../helpers/per-file.ts';
import { api, apiKeyFor, dashAnswers, household, putOnSchoolRoll } from './risk-helpers.ts';

let csc: ReturnType<typeof api>;
let school: ReturnType<typeof api>;
let family: Awaited<ReturnType<typeof household>>;

appPerFile({}, async () => {
  csc = api(app, await apiKeyFor(deps, 'northbridge-csc'));
  school = api(app, await apiKeyFor(deps, 'school-riverside-primary-school'));
  family = await household(deps);
  await putOnSchoolRoll(deps, family);
});

async function counts() {
  const [assessments, events] = await Promise.all([
    rowCount(deps, 'risk_assessment'),
    rowCount(deps, 'chronology_event'),
  ]);
  return { assessments, events };
}

function assessment(overrides: Record<string, unknown> = {}) {
  return {
    instrumentId: 'safelives-dash-ric',
    instrumentVersion: '1',
    victimPersonId: family.parentIds[0],
    perpetratorPersonIds: [family.parentIds[1]],
    answers: dashAnswers('safelives-dash-ric', '1', 11),
    assessedAt: '2025-05-02T10:00:00.000Z',
    ...overrides,
  };
}

/** A chronology event as a partner system posts it: a minor school concern unless the test says otherwise. */
function chronologyEvent(overrides: Record<string, unknown> = {}) {
  return {
    type: 'school-concern',
    occurredAt: '2025-01-01T09:00:00.000Z',
    significance: 'low',
    summary: 'x',
    ...overrides,
  };
}

/** A chronology event on the household's child, as one agency's system would post it. */
const eventOnChild = (by: ReturnType<typeof api>, event: Record<string, unknown>) =>
  by.post(`/api/v1/people/${family.childId}/events`, chronologyEvent(event));

describe('POST /api/v1/risk-assessments', () => {
  it('scores, stores and writes a risk-assessment event for the victim and each child in the household', async () => {
    const response = await csc.post('/api/v1/risk-assessments', assessment());
    assert.equal(response.statusCode, 201, response.body);
    const body = response.json();
    assert.equal(body.score, 11);
    assert.equal(body.band, 'medium');
    assert.equal(body.level, 'medium');
    const expectedPeople = [family.parentIds[0], family.childId, ...family.siblingIds].sort();
    assert.deepEqual([...body.childPersonIds, family.parentIds[0]].sort(), expectedPeople);
    const events = await deps.db
      .selectFrom('chronology_event')
      .select(['person_id', 'type', 'data', 'subject_id'])
      .where('subject_type', '=', 'risk-assessment')
      .where('subject_id', '=', body.id)
      .execute();
    assert.deepEqual(events.map((e) => e.person_id).sort(), expectedPeople);
    const childEvent = events.find((e) => e.person_id === family.childId)!;
    assert.equal(childEvent.type, 'risk-assessment');
    assert.equal(childEvent.data.instrumentScore, 11);
    assert.equal(childEvent.data.riskGrade, 'medium');
    assert.equal(childEvent.data.role, 'child-in-household');
    const read = await csc.get(`/api/v1/risk-assessments/${body.id}`);
    assert.equal(read.statusCode, 200);
    assert.equal(read.json().answers.injury.value, 'yes');
  });

  it('lets professional judgement raise the level with a reason', async () => {
    const response = await csc.post(
      '/api/v1/risk-assessments',
      assessment({
        judgedLevel: 'high',
        judgementReason: 'Threats to the children since the incident',
        assessedAt: '2025-05-03T10:00:00.000Z',
      }),
    );
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(response.json().band, 'medium');
    assert.equal(response.json().level, 'high');
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ['an unknown instrument', { instrumentId: 'dash-2030' }, 'instrumentId'],
    ['an unknown version', { instrumentVersion: '9' }, 'instrumentVersion'],
    [
      'a missing required answer',
      { answers: (({ injury: _, ...rest }) => rest)(dashAnswers('safelives-dash-ric', '1', 2)) },
      'answers.injury',
    ],
    [
      'judgement below the score band',
      { judgedLevel: 'standard', judgementReason: 'Seems fine' },
      'judgedLevel',
    ],
    ['judgement raised without a reason', { judgedLevel: 'high' }, 'judgementReason'],
    [
      'an answer outside the allowed values',
      { answers: { injury: { value: 'maybe' } } },
      'answers.injury.value',
    ],
    ['an assessment dated in the future', { assessedAt: '2099-01-01T00:00:00.000Z' }, 'assessedAt'],
  ];
  for (const [label, overrides, field] of bad) {
    it(`refuses ${label} with 400 naming ${field}, writing nothing`, async () => {
      const before = await counts();
      const response = await csc.post('/api/v1/risk-assessments', assessment(overrides));
      assert.equal(response.statusCode, 400, response.body);
      assert.match(String(response.headers['content-type']), /application\/problem\+json/);
      const fields = response.json().errors.map((e: { field: string }) => e.field);
      assert.ok(fields.includes(field), `expected ${field} in ${fields.join(', ')}`);
      assert.deepEqual(await counts(), before);
    });
  }

  it('refuses an agency with no relationship to the victim, and audits the refusal', async () => {
    const other = api(app, await apiKeyFor(deps, 'southmere-csc'));
    const response = await other.post('/api/v1/risk-assessments', assessment());
    assert.equal(response.statusCode, 403);
    const denied = (await auditEvents(deps.db, { action: 'risk-assessment:create', outcome: 'denied' }))[0]!;
    assert.deepEqual(denied.person_ids, [family.parentIds[0]]);
  });

  it('lists instruments and versions', async () => {
    const response = await csc.get('/api/v1/risk-instruments');
    assert.equal(response.statusCode, 200);
    const ids = response
      .json()
      .map((i: { id: string; questions: unknown[] }) => `${i.id}:${i.questions.length}`);
    assert.deepEqual(ids.sort(), ['police-dash-2009:27', 'safelives-dash-ric:24']);
  });
});

describe('chronology API', () => {
  it('records an event and returns the chronology newest first, filtered', async () => {
    const created = await eventOnChild(csc, {
      occurredAt: '2025-04-01T09:00:00.000Z',
      significance: 'medium',
      summary: 'Came to school hungry three days running.',
    });
    assert.equal(created.statusCode, 201, created.body);
    const response = await csc.get(`/api/v1/people/${family.childId}/chronology`);
    assert.equal(response.statusCode, 200);
    const body = response.json();
    assert.ok(body.total >= 2);
    const times = body.events.map((e: { occurredAt: string }) => Date.parse(e.occurredAt));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
    );
    const concern = body.events.find((e: { id: string }) => e.id === created.json().id);
    assert.equal(concern.typeLabel, 'School concern');
    assert.equal(concern.sourceAgency.kind, 'childrens_social_care');
    const filtered = await csc.get(
      `/api/v1/people/${family.childId}/chronology?type=risk-assessment&from=2025-05-01&to=2025-05-02`,
    );
    assert.ok(filtered.json().events.length >= 1);
    assert.ok(filtered.json().events.every((e: { type: string }) => e.type === 'risk-assessment'));
    const empty = await csc.get(`/api/v1/people/${family.childId}/chronology?from=2025-05-04&to=2025-05-04`);
    assert.equal(empty.json().total, 0);
  });

  it('refuses a future event, and one before the date of birth unless pre-birth, with nothing written', async () => {
    const before = await counts();
    const future = await eventOnChild(csc, { occurredAt: '2099-01-01T09:00:00.000Z' });
    assert.equal(future.statusCode, 400);
    assert.deepEqual(
      future.json().errors.map((e: { field: string }) => e.field),
      ['occurredAt'],
    );
    const beforeBirth = new Date(`${family.dateOfBirth}T00:00:00Z`);
    beforeBirth.setUTCMonth(beforeBirth.getUTCMonth() - 2);
    const pregnancyConcern = {
      type: 'health-visitor-concern',
      occurredAt: beforeBirth.toISOString(),
      summary: 'Concern about the pregnancy',
    };
    const early = await eventOnChild(csc, pregnancyConcern);
    assert.equal(early.statusCode, 400);
    assert.match(early.json().errors[0].message, /date of birth/);
    const unknownType = await eventOnChild(csc, { type: 'picnic' });
    assert.equal(unknownType.statusCode, 400);
    assert.ok(unknownType.json().errors.some((e: { field: string }) => e.field === 'type'));
    assert.deepEqual(await counts(), before);
    const preBirth = await eventOnChild(csc, { ...pregnancyConcern, data: { preBirth: true } });
    assert.equal(preBirth.statusCode, 201);
  });

  it('shows the school its own events but not children’s services’ or health’s', async () => {
    const own = await eventOnChild(school, {
      type: 'school-absence',
      occurredAt: '2025-03-01T09:00:00.000Z',
      significance: 'medium',
      summary: 'Attendance 82% this half term.',
      data: { attendancePercent: 82 },
    });
    assert.equal(own.statusCode, 201, own.body);
    const response = await school.get(`/api/v1/people/${family.childId}/chronology`);
    assert.equal(response.statusCode, 200);
    const body = response.json();
    assert.equal(body.partial, true);
    assert.ok(body.events.some((e: { id: string }) => e.id === own.json().id));
    assert.ok(body.events.every((e: { sourceAgency: { kind: string } }) => e.sourceAgency.kind === 'school'));
  });
});

describe('GET /api/v1/people/{id}/risk', () => {
  it('returns the cumulative level, findings with evidence and a stable summary id', async () => {
    const first = await csc.get(`/api/v1/people/${family.childId}/risk`);
    assert.equal(first.statusCode, 200, first.body);
    const body = first.json();
    assert.ok(['standard', 'medium', 'high'].includes(body.level));
    assert.equal(body.latestRecorded.level, 'high');
    assert.ok(body.adults.some((a: { id: string; role: string }) => a.id === family.parentIds[0]));
    for (const finding of body.findings)
      for (const id of finding.eventIds) assert.ok(body.evidence[id], `evidence for ${finding.ruleId}`);
    const second = await csc.get(`/api/v1/people/${family.childId}/risk`);
    assert.equal(second.json().summaryId, body.summaryId);
    assert.equal(second.json().hash, body.hash);
    const audited = (await auditEvents(deps.db, { action: 'risk.view' })).at(-1)!;
    assert.equal((audited.details as { summaryId: string }).summaryId, body.summaryId);
  });

  it('refuses the school', async () => {
    const response = await school.get(`/api/v1/people/${family.childId}/risk`);
    assert.equal(response.statusCode, 403);
  });

  it('documents every chronology and risk endpoint in OpenAPI', async () => {
    const doc = (await app.inject('/api/openapi.json')).json();
    for (const path of [
      '/api/v1/people/{id}/chronology',
      '/api/v1/people/{id}/events',
      '/api/v1/people/{id}/risk',
      '/api/v1/risk-assessments',
      '/api/v1/risk-instruments',
      '/api/v1/dash-awaited',
      '/api/v1/risk/review-tasks',
    ])
      assert.ok(doc.paths[path], path);
  });
});
