import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DateTime } from 'luxon';
import { seededAgencyId } from '../helpers/deps.ts';
import { areaOfPerson } from '../helpers/people-fixtures.ts';
import { app, appPerFile, deps, services } from '../helpers/per-file.ts';
import { seededAreaId } from '../helpers/seeded-areas.ts';
import { api, apiKeyFor, grantAccess, principalFor } from './risk-helpers.ts';

/**
 * Modelled on the inspection's case study of a 12-year-old (FINDINGS F3, F4, F29): several
 * standard-graded incidents over two years, calls she made herself, custody episodes her school
 * never heard about, changes of social worker, no safety plan. Every record goes in through the
 * API, as the agencies' systems would send it; the engine must say the picture is worse than the
 * latest grade, with each reason and its events.
 */
const ids = { girl: '', mother: '', stepfather: '' };
const recorded: Record<string, string[]> = {};

const ago = (months: number, days = 0) =>
  DateTime.now().setZone('Europe/London').minus({ months, days }).set({ hour: 21 }).toUTC().toISO()!;

async function insertPerson(areaId: string, kind: 'child' | 'adult', given: string, dob: string) {
  const row = await deps.db
    .insertInto('person')
    .values({
      area_id: areaId,
      kind,
      given_name: given,
      family_name: 'Ashdown',
      preferred_name: null,
      date_of_birth: dob,
      expected_date: null,
      sex: kind === 'child' ? 'female' : null,
      gender: null,
      ethnicity: null,
      language: null,
      disability: null,
      nhs_number: null,
      merged_into_id: null,
      created_by_agency_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

appPerFile({}, async () => {
  const areaId = await seededAreaId(deps.db, 'northbridge');
  const twelve = DateTime.now().minus({ years: 12, months: 3 }).toISODate()!;
  ids.girl = await insertPerson(areaId, 'child', 'Tamsin', twelve);
  ids.mother = await insertPerson(areaId, 'adult', 'Leanne', '1985-02-11');
  ids.stepfather = await insertPerson(areaId, 'adult', 'Craig', '1981-07-30');
  const rel = (person_id: string, related_person_id: string, kind: string) => ({
    area_id: areaId,
    person_id,
    related_person_id,
    kind,
    incident_reference: null,
    from_date: null,
    to_date: null,
    source_agency_id: null,
  });
  await deps.db
    .insertInto('person_relationship')
    .values([
      rel(ids.girl, ids.mother, 'parent'),
      rel(ids.mother, ids.girl, 'child'),
      rel(ids.girl, ids.stepfather, 'step-parent'),
      rel(ids.stepfather, ids.girl, 'step-child'),
    ])
    .execute();
  for (const code of ['police', 'northbridge-csc', 'youth-justice', 'school-riverside-primary-school']) {
    const agencyId = await seededAgencyId(deps, code);
    for (const personId of [ids.girl, ids.mother, ids.stepfather])
      await grantAccess(deps, { personId, agencyId, areaId, basis: 'allocated-worker' });
  }
});

async function post(key: string, personId: string, label: string, body: Record<string, unknown>) {
  const response = await api(app, key).post(`/api/v1/people/${personId}/events`, body);
  assert.equal(response.statusCode, 201, response.body);
  recorded[label] = [...(recorded[label] ?? []), response.json().id];
}

describe('the 12-year-old: chronic risk hidden by standard grades', () => {
  it('raises the level above the latest grade, listing each reason with its events', async () => {
    const police = await apiKeyFor(deps, 'police');
    const csc = await apiKeyFor(deps, 'northbridge-csc');
    const yjs = await apiKeyFor(deps, 'youth-justice');
    const school = await apiKeyFor(deps, 'school-riverside-primary-school');

    // Six incidents over two years, every one graded standard; she made two of the calls herself.
    const incidents = [
      { at: ago(23), by: 'victim' },
      { at: ago(19), by: 'neighbour' },
      { at: ago(14), by: 'child' },
      { at: ago(9), by: 'victim' },
      { at: ago(5), by: 'child' },
      { at: ago(1), by: 'victim' },
    ];
    for (const [i, incident] of incidents.entries()) {
      await post(police, ids.girl, 'incident', {
        type: 'dan',
        occurredAt: incident.at,
        significance: 'medium',
        summary: `Verbal and physical argument at home; officer graded standard (incident ${i + 1}).`,
        data: {
          role: 'child-in-household',
          riskGrade: 'standard',
          reportedBy: incident.by,
          incidentRef: `NB-DA-${1000 + i}`,
          victimIds: [ids.mother],
          perpetratorIds: [ids.stepfather],
          childPresent: true,
        },
      });
    }
    // Two nights in custody; the school was never told.
    for (const months of [7, 3]) {
      await post(yjs, ids.girl, 'custody', {
        type: 'custody-episode',
        occurredAt: ago(months),
        significance: 'high',
        summary: 'Held overnight in police custody after being found with older youths.',
        data: { role: 'subject', schoolInformed: false },
      });
    }
    // Three social workers in a year.
    for (const months of [11, 6, 2]) {
      await post(csc, ids.girl, 'social-worker', {
        type: 'social-worker-change',
        occurredAt: ago(months),
        significance: 'low',
        summary: 'Case reallocated to a new social worker.',
      });
    }
    // The school knows only that she is often absent.
    await post(school, ids.girl, 'absence', {
      type: 'school-absence',
      occurredAt: ago(2),
      significance: 'medium',
      summary: 'Attendance 84% this term.',
      data: { attendancePercent: 84 },
    });

    const schoolView = await api(app, school).get(`/api/v1/people/${ids.girl}/chronology`);
    assert.ok(
      schoolView.json().events.every((e: { type: string }) => e.type !== 'custody-episode'),
      'custody episodes are not shown to the school unless shared with it',
    );

    const response = await api(app, csc).get(`/api/v1/people/${ids.girl}/risk`);
    assert.equal(response.statusCode, 200, response.body);
    const risk = response.json();
    assert.equal(risk.latestRecorded.level, 'standard');
    assert.equal(risk.raisedAboveLatestRecorded, true);
    assert.equal(risk.level, 'high');

    const byRule = new Map(risk.findings.map((f: { ruleId: string }) => [f.ruleId, f]));
    const evidence = (ruleId: string) =>
      (byRule.get(ruleId) as { eventIds: string[] } | undefined)?.eventIds ?? [];
    const expectEvidence = (ruleId: string, label: string, atLeast: number) => {
      const found = evidence(ruleId).filter((id) => recorded[label]!.includes(id));
      assert.ok(
        found.length >= atLeast,
        `${ruleId}: ${found.length} of the ${label} events, expected ≥ ${atLeast}`,
      );
    };
    expectEvidence('repeat-domestic-abuse', 'incident', 3);
    expectEvidence('accumulating-lower-grades', 'incident', 4);
    expectEvidence('child-reported-abuse', 'incident', 2);
    expectEvidence('custody-episodes', 'custody', 2);
    expectEvidence('social-worker-changes', 'social-worker', 3);
    assert.ok(byRule.has('no-safety-plan'), 'a missing safety plan is flagged');
    assert.ok(byRule.has('recorded-level-below-history'));
    for (const finding of risk.findings) {
      assert.ok(finding.explanation.length > 20, `${finding.ruleId} explains itself`);
      for (const id of finding.eventIds)
        assert.ok(risk.evidence[id], `${finding.ruleId} evidence ${id} is listed`);
    }
    assert.equal(risk.marac.meetsCriteria, true);
    assert.ok(
      risk.marac.criteria.some((c: { id: string; met: boolean }) => c.id === 'potential-escalation' && c.met),
    );
    assert.match(risk.summary, /latest recorded level was standard/);
  });

  it('raises a review task when a new event lifts the level above the last decision’s', async () => {
    const risk = services.risk;
    const csc = await apiKeyFor(deps, 'northbridge-csc');
    // The front door decided at standard (as its decision would record it on the chronology).
    await post(csc, ids.girl, 'decision', {
      type: 'decision',
      occurredAt: ago(0, 2),
      significance: 'medium',
      summary: 'Threshold decision: early help offered.',
      data: { riskGrade: 'standard' },
    });
    const first = await risk.reassess({ personIds: [ids.girl], eventIds: recorded.decision! });
    assert.equal(first[ids.girl]!.level, 'high');
    const taskId = first[ids.girl]!.task;
    assert.ok(taskId, 'a review task is opened');

    // A new event on the stepfather's record reaches the girl through the household link.
    await post(csc, ids.stepfather, 'adult', {
      type: 'adult-risk-indicator',
      occurredAt: ago(0, 1),
      significance: 'medium',
      summary: 'Referred to the recovery service for alcohol misuse.',
      data: { indicators: ['substance-misuse'] },
    });
    const second = await risk.reassess({ personIds: [ids.stepfather], eventIds: recorded.adult! });
    assert.equal(second[ids.girl]!.task, taskId, 'the open task is kept, not duplicated');

    const frontDoor = await principalFor(deps, 'front.door@harbour.example');
    const areaId = await areaOfPerson(deps.db, ids.girl);
    const tasks = await risk.openReviewTasks({ principal: frontDoor }, areaId);
    const task = tasks.find((t) => t.id === taskId)!;
    assert.equal(task.cumulative_level, 'high');
    assert.equal(task.decision_level, 'standard');
    assert.ok(task.trigger_event_ids.includes(recorded.adult![0]!));
    const markers = await risk.historyMarkers([ids.girl]);
    assert.equal(markers.get(ids.girl)!.historySuggestsHigherRisk, true);

    // A decision at high covers it: the task closes itself.
    await post(csc, ids.girl, 'decision', {
      type: 'decision',
      occurredAt: new Date(Date.now() - 60_000).toISOString(),
      significance: 'high',
      summary: 'Strategy discussion convened.',
      data: { riskGrade: 'high' },
    });
    const third = await risk.reassess({ personIds: [ids.girl], eventIds: recorded.decision!.slice(-1) });
    assert.equal(third[ids.girl]!.task, null);
    assert.equal((await risk.openReviewTasks({ principal: frontDoor }, areaId)).length, 0);
  });
});
