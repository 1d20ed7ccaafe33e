import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Principal } from '../../src/platform/principal.ts';
import { rowCount } from '../helpers/deps.ts';
import { signedIn } from '../helpers/http.ts';
import { app, appPerFile, deps, services } from '../helpers/per-file.ts';
import { rowById } from '../helpers/rows.ts';
import { seededAreaId } from '../helpers/seeded-areas.ts';
import { api, apiKeyFor, household, principalFor } from './risk-helpers.ts';

let police: ReturnType<typeof api>;
let idva: ReturnType<typeof api>;
let coordinator: Principal;
let hospital: Principal;
let policeUser: Principal;
const families: Awaited<ReturnType<typeof household>>[] = [];

// A Thursday in term, well clear of bank holidays: the minutes deadline is easy to reason about.
const START = new Date('2026-03-05T10:00:00.000Z');

appPerFile({ now: START }, async () => {
  police = api(app, await apiKeyFor(deps, 'police'));
  idva = api(app, await apiKeyFor(deps, 'idva-service'));
  coordinator = await principalFor(deps, 'marac@harbour.example');
  hospital = await principalFor(deps, 'ed.nurse@harbour.example');
  policeUser = await principalFor(deps, 'police.officer@harbour.example');
  // Three households with different parents (children of one family are consecutive siblings).
  for (let index = 0; families.length < 3; index += 1) {
    const family = await household(deps, 'northbridge', index);
    if (family.parentIds.length < 2) continue;
    if (families.some((f) => f.parentIds.some((p) => family.parentIds.includes(p)))) continue;
    families.push(family);
  }
});

const referral = (family: (typeof families)[number], overrides: Record<string, unknown> = {}) => ({
  victimPersonId: family.parentIds[0],
  perpetratorPersonIds: [family.parentIds[1]],
  criterion: 'visible-high-risk',
  dashScore: 15,
  consent: 'given',
  ...overrides,
});

function caseCount() {
  return rowCount(deps, 'marac_case');
}

let firstCaseId = '';
let repeatCaseId = '';
let panelCaseId = '';

describe('MARAC referrals', () => {
  it('takes a referral from the police with the criteria met, not a repeat the first time', async () => {
    const response = await police.post('/api/v1/marac/referrals', referral(families[0]!));
    assert.equal(response.statusCode, 201, response.body);
    const body = response.json();
    assert.equal(body.repeat, false);
    assert.equal(body.duplicateOf, null);
    const visible = body.criteria.find((c: { id: string }) => c.id === 'visible-high-risk');
    assert.deepEqual(visible, { id: 'visible-high-risk', met: true, sources: ['referrer'] });
    firstCaseId = body.id;
  });

  it('flags a repeat referral of the same victim within 12 months from a different agency', async () => {
    deps.setNow(new Date(START.getTime() + 2 * 24 * 3600_000));
    const response = await idva.post(
      '/api/v1/marac/referrals',
      referral(families[0]!, {
        criterion: 'professional-judgement',
        judgementReason: 'Threats since',
        dashScore: 9,
      }),
    );
    assert.equal(response.statusCode, 201, response.body);
    const body = response.json();
    assert.equal(body.repeat, true);
    assert.equal(body.duplicateOf, firstCaseId, 'the first referral is still open');
    assert.deepEqual(body.criteria.find((c: { id: string }) => c.id === 'repeat').sources, [
      'referral-history',
    ]);
    repeatCaseId = body.id;
    const row = await rowById(deps.db, 'marac_case', body.id);
    assert.equal(row.repeat_of_case_id, firstCaseId);
    assert.equal(row.referring_agency_kind, 'idva_service');
  });

  it('does not call a referral more than 12 months after the last a repeat', async () => {
    deps.setNow(new Date('2027-04-01T10:00:00.000Z'));
    const referrals = services.marac;
    const idvaPrincipal = { ...policeUser, agencyId: null };
    void idvaPrincipal;
    const response = await police.post('/api/v1/marac/referrals', referral(families[2]!));
    assert.equal(response.json().repeat, false);
    const again = await idva.post(
      '/api/v1/marac/referrals',
      referral(families[2]!, { forum: 'panel', criterion: 'below-threshold' }),
    );
    assert.equal(again.json().repeat, true);
    // The same victim's earlier referrals (families[0]) are more than 12 months back now.
    const late = await police.post('/api/v1/marac/referrals', referral(families[0]!));
    assert.equal(late.statusCode, 201);
    assert.equal(late.json().repeat, false);
    assert.ok(referrals);
    panelCaseId = again.json().id;
    deps.setNow(START);
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ['professional judgement without a reason', { criterion: 'professional-judgement' }, 'judgementReason'],
    ['no consent and no reason for sharing', { consent: 'not-given' }, 'sharingReason'],
    ['visible high risk on a DASH below 14', { dashScore: 12 }, 'criterion'],
    ['visible high risk with no DASH', { dashScore: undefined }, 'riskAssessmentId'],
    ['a below-threshold referral to MARAC', { criterion: 'below-threshold' }, 'criterion'],
    ['an unknown victim', { victimPersonId: '00000000-0000-4000-8000-000000000000' }, 'victimPersonId'],
    ['an unknown criterion', { criterion: 'gut-feeling' }, 'criterion'],
  ];
  for (const [label, overrides, field] of bad) {
    it(`refuses ${label} with 400 naming ${field}, writing nothing`, async () => {
      const before = await caseCount();
      const response = await police.post('/api/v1/marac/referrals', referral(families[1]!, overrides));
      assert.equal(response.statusCode, 400, response.body);
      const fields = response.json().errors.map((e: { field: string }) => e.field);
      assert.ok(
        fields.some((f: string) => f.endsWith(field)),
        `expected ${field} in ${fields.join(', ')}`,
      );
      assert.equal(await caseCount(), before);
    });
  }

  it('refuses an agency that does not serve the victim’s area', async () => {
    const southmere = api(app, await apiKeyFor(deps, 'southmere-csc'));
    const response = await southmere.post('/api/v1/marac/referrals', referral(families[1]!));
    assert.equal(response.statusCode, 403);
  });
});

describe('a MARAC meeting', () => {
  let meetingId = '';
  let highCaseId = '';
  let mediumCaseId = '';
  const ctx = () => ({ principal: coordinator });

  it('orders the agenda: repeats first, then the highest risk, then the longest waiting', async () => {
    deps.setNow(START);
    const medium = await police.post(
      '/api/v1/marac/referrals',
      referral(families[1]!, { criterion: 'potential-escalation', dashScore: 11 }),
    );
    mediumCaseId = medium.json().id;
    deps.setNow(new Date(START.getTime() + 3600_000));
    const high = await police.post(
      '/api/v1/marac/referrals',
      referral(families[1]!, {
        victimPersonId: families[1]!.parentIds[1],
        perpetratorPersonIds: [],
        dashScore: 20,
      }),
    );
    highCaseId = high.json().id;
    const queue = await services.marac.queue(ctx(), 'marac');
    assert.ok(queue.some((c) => c.id === highCaseId && c.missing.includes('perpetrator')));
    const meeting = await services.marac.scheduleMeeting(ctx(), {
      areaId: families[0]!.areaId,
      forum: 'marac',
      startsAt: new Date('2026-03-12T10:00:00.000Z'),
    });
    meetingId = meeting.id;
    for (const id of [mediumCaseId, firstCaseId, highCaseId, repeatCaseId])
      await services.marac.listOnMeeting(ctx(), id, meetingId);
    const view = await services.marac.viewMeeting(ctx(), meetingId);
    assert.deepEqual(
      view.agenda.map((s) => s.item.id),
      [repeatCaseId, highCaseId, firstCaseId, mediumCaseId],
    );
    assert.deepEqual(
      view.agenda.map((s) => s.startsAt.toISOString()),
      [
        '2026-03-12T10:00:00.000Z',
        '2026-03-12T10:15:00.000Z',
        '2026-03-12T10:30:00.000Z',
        '2026-03-12T10:45:00.000Z',
      ],
    );
    const research = await deps.db
      .selectFrom('marac_research')
      .selectAll()
      .where('case_id', '=', firstCaseId)
      .execute();
    assert.ok(research.length >= 5, 'every participating agency is asked');
    // One working day before the meeting.
    assert.ok(research.every((r) => new Date(r.due_at).toISOString() === '2026-03-11T10:00:00.000Z'));
  });

  it('serves the agenda in order on the API to an agency taking part', async () => {
    const list = await police.get('/api/v1/marac/meetings?from=2026-03-01');
    assert.equal(list.statusCode, 200, list.body);
    assert.ok(list.json().some((m: { id: string }) => m.id === meetingId));
    const detail = await police.get(`/api/v1/marac/meetings/${meetingId}`);
    assert.equal(detail.statusCode, 200, detail.body);
    assert.deepEqual(
      detail.json().agenda.map((a: { caseId: string; position: number }) => [a.position, a.caseId]),
      [
        [1, repeatCaseId],
        [2, highCaseId],
        [3, firstCaseId],
        [4, mediumCaseId],
      ],
    );
    const southmere = api(app, await apiKeyFor(deps, 'southmere-csc'));
    assert.equal((await southmere.get(`/api/v1/marac/meetings/${meetingId}`)).statusCode, 403);
  });

  it('keeps each agency’s research from the other agencies until the meeting starts', async () => {
    await services.marac.returnResearch(
      { principal: policeUser },
      firstCaseId,
      'Three call-outs since January.',
    );
    const ownView = await services.marac.viewCase({ principal: policeUser }, firstCaseId);
    assert.equal(ownView.research.filter((r) => r.information).length, 1);
    const before = await services.marac.viewCase({ principal: hospital }, firstCaseId);
    assert.ok(
      before.research.every((r) => r.agency_kind !== 'police'),
      'the hospital does not see the police research',
    );
    const coordinating = await services.marac.viewCase(ctx(), firstCaseId);
    assert.ok(coordinating.research.some((r) => r.information === 'Three call-outs since January.'));
    deps.setNow(new Date('2026-03-12T10:00:00.000Z'));
    await services.marac.startMeeting(ctx(), meetingId);
    const during = await services.marac.viewCase({ principal: hospital }, firstCaseId);
    assert.ok(during.research.some((r) => r.information === 'Three call-outs since January.'));
  });

  it('refuses research from an agency not taking part in the case', async () => {
    const school = await principalFor(deps, 'school.dsl@harbour.example');
    await assert.rejects(
      services.marac.returnResearch({ principal: school }, firstCaseId, 'We know the family.'),
      { name: 'ForbiddenError' },
    );
  });

  it('records discussions on the chronology; cases not heard go back to the queue; minutes due in 3 working days', async () => {
    await services.marac.recordDiscussion(ctx(), repeatCaseId, 'Safety plan agreed; IDVA to contact.');
    await services.marac.recordDiscussion(ctx(), highCaseId, 'Police to review bail conditions.');
    const events = await deps.db
      .selectFrom('chronology_event')
      .select(['person_id'])
      .where('type', '=', 'marac-discussion')
      .where('subject_id', '=', repeatCaseId)
      .execute();
    assert.ok(events.some((e) => e.person_id === families[0]!.parentIds[0]));
    assert.ok(events.some((e) => e.person_id === families[0]!.childId));
    const flags = await deps.db
      .selectFrom('person_flag')
      .select(['person_id', 'type', 'start_date', 'review_date', 'source_id'])
      .where('source_id', '=', repeatCaseId)
      .execute();
    assert.ok(flags.some((f) => f.person_id === families[0]!.parentIds[0] && f.type === 'marac'));
    assert.ok(flags.some((f) => f.person_id === families[0]!.childId));
    assert.ok(flags.every((f) => f.start_date === '2026-03-12' && f.review_date === '2027-03-12'));
    const policeAgency = policeUser.agencyId!;
    const { id: actionId } = await services.marac.addAction(ctx(), repeatCaseId, {
      ownerAgencyId: policeAgency,
      description: 'Review bail conditions',
      dueBy: new Date('2026-03-16T17:00:00.000Z'),
    });
    const planned = (await services.marac.actionsOfCase(ctx(), repeatCaseId)) ?? [];
    assert.ok(planned.some((a) => a.id === actionId));
    await assert.rejects(services.marac.publishMinutes(ctx(), meetingId, 'Too soon'), {
      name: 'ConflictError',
    });
    deps.setNow(new Date('2026-03-12T12:30:00.000Z')); // Thursday
    const { minutesDueAt } = await services.marac.finishMeeting(ctx(), meetingId);
    assert.equal(minutesDueAt.toISOString(), '2026-03-17T12:30:00.000Z'); // Tuesday: Fri, Mon, Tue
    const back = await services.marac.queue(ctx(), 'marac');
    assert.ok(
      back.some((c) => c.id === mediumCaseId),
      'a case not heard waits for the next meeting',
    );
    assert.equal((await services.marac.viewMeeting(ctx(), meetingId)).minutes, 'due');
    deps.setNow(new Date('2026-03-17T13:00:00.000Z'));
    assert.equal((await services.marac.viewMeeting(ctx(), meetingId)).minutes, 'overdue');
    await services.marac.publishMinutes(ctx(), meetingId, 'Two cases heard.');
    assert.equal((await services.marac.viewMeeting(ctx(), meetingId)).minutes, 'published-late');
  });

  it('chases a MARAC action not done by its due date', async () => {
    deps.setNow(new Date('2026-03-18T09:00:00.000Z'));
    const chased = await services.actions.chaseOverdue({ principal: coordinator });
    assert.ok(chased >= 1);
    const row = await deps.db
      .selectFrom('multi_agency_action')
      .selectAll()
      .where('source_id', '=', repeatCaseId)
      .executeTakeFirstOrThrow();
    assert.ok(row.chased_at, 'the overdue action was chased');
    const open = await police.get('/api/v1/marac/actions?status=overdue');
    assert.equal(open.statusCode, 200, open.body);
  });

  it('counts the quarter’s cases for the SafeLives return, equality from the person record', async () => {
    // The victims' person records hold the equality facts; what a referral said is not counted.
    const [victimA, victimB] = [families[0]!.parentIds[0]!, families[1]!.parentIds[1]!];
    await deps.db
      .updateTable('person')
      .set({ ethnicity: 'BAFR', disability: 'Hearing impairment', sex: 'male' })
      .where('id', '=', victimA)
      .execute();
    await deps.db
      .updateTable('person')
      .set({ ethnicity: 'WBRI', disability: null, sex: 'female' })
      .where('id', '=', victimB)
      .execute();
    await deps.db
      .updateTable('marac_case')
      .set({ diversity: JSON.stringify({ bme: true, disability: true }) })
      .where('id', '=', highCaseId)
      .execute();
    const figures = await services.marac.safeLivesReturn(ctx(), {
      areaId: families[0]!.areaId,
      quarter: '2026-Q1',
      forum: 'marac',
    });
    assert.equal(figures.cases, 2);
    assert.equal(figures.repeats, 1);
    assert.equal(figures.repeatPercent, 50);
    assert.equal(figures.policeReferrals, 1);
    assert.equal(figures.nonPoliceReferrals, 1);
    assert.deepEqual(figures.referralsByAgencyKind, { idva_service: 1, police: 1 });
    assert.equal(figures.bme, 1);
    assert.equal(figures.disability, 1);
    assert.equal(figures.maleVictims, 1);
    const empty = await services.marac.safeLivesReturn(ctx(), {
      areaId: families[0]!.areaId,
      quarter: '2026-Q2',
      forum: 'marac',
    });
    assert.equal(empty.cases, 0);
  });

  it('puts the open actions of earlier meetings on the next meeting, where the chair records their status', async () => {
    deps.setNow(new Date('2026-03-18T09:00:00.000Z'));
    const next = await services.marac.scheduleMeeting(ctx(), {
      areaId: families[0]!.areaId,
      forum: 'marac',
      startsAt: new Date('2026-03-19T10:00:00.000Z'),
    });
    const before = await services.marac.viewMeeting(ctx(), next.id);
    const open = before.reviews.find((r) => r.description === 'Review bail conditions');
    assert.ok(open, 'the first meeting’s open action is on the next one');
    assert.equal(open.caseId, repeatCaseId);
    assert.equal(open.review, null);
    assert.equal(open.overdue, true);
    await assert.rejects(
      services.marac.reviewAction(ctx(), next.id, { actionId: open.id, status: 'in-progress', note: '' }),
      { name: 'ConflictError' },
      'reviewed in the meeting, not before it',
    );
    deps.setNow(new Date('2026-03-19T10:00:00.000Z'));
    await services.marac.startMeeting(ctx(), next.id);
    const chair = await signedIn(app, 'marac@harbour.example');
    await chair.get(`/marac/meetings/${next.id}`);
    const missing = await chair.post(`/marac/meetings/${next.id}/reviews`, {
      actionId: open.id,
      note: 'Kept on the plan',
    });
    assert.equal(missing.statusCode, 400, missing.body.slice(0, 2000));
    assert.match(missing.body, /href="#status"/);
    assert.match(missing.body, /Kept on the plan/);
    assert.equal((await deps.db.selectFrom('marac_action_review').selectAll().execute()).length, 0);
    const recorded = await chair.post(`/marac/meetings/${next.id}/reviews`, {
      actionId: open.id,
      status: 'in-progress',
      note: 'Bail hearing on Monday',
    });
    assert.equal(recorded.statusCode, 303, recorded.body.slice(0, 2000));
    const after = await services.marac.viewMeeting(ctx(), next.id);
    const reviewed = after.reviews.find((r) => r.id === open.id);
    assert.equal(reviewed?.review?.status, 'in-progress');
    assert.equal(reviewed?.review?.note, 'Bail hearing on Monday');
    await assert.rejects(
      services.marac.reviewAction(ctx(), next.id, { actionId: firstCaseId, status: 'completed', note: '' }),
      (error: { name: string; errors: { field: string }[] }) =>
        error.name === 'ValidationError' && error.errors.some((e) => e.field === 'actionId'),
    );
    const page = await chair.get(`/marac/meetings/${next.id}`);
    assert.match(page.body, /Bail hearing on Monday/);
  });

  it('transfers a case to another area’s MARAC queue when the victim moves', async () => {
    const southmereId = await seededAreaId(deps.db, 'southmere');
    // On the page, an empty form is refused with each field named and nothing moves.
    const chair = await signedIn(app, 'marac@harbour.example');
    const casePage = await chair.get(`/marac/cases/${mediumCaseId}`);
    assert.match(casePage.body, /Transfer to another area/);
    const empty = await chair.post(`/marac/cases/${mediumCaseId}/transfer`, { toAreaId: '', reason: '' });
    assert.equal(empty.statusCode, 400, empty.body.slice(0, 2000));
    assert.match(empty.body, /href="#toAreaId"/);
    assert.match(empty.body, /href="#reason"/);
    assert.equal((await deps.db.selectFrom('marac_transfer').selectAll().execute()).length, 0);
    await services.marac.transfer(ctx(), mediumCaseId, {
      toAreaId: southmereId,
      reason: 'Moved to a refuge in Southmere',
    });
    const row = await rowById(deps.db, 'marac_case', mediumCaseId);
    assert.equal(row.area_id, southmereId);
    assert.equal(row.status, 'referred');
    // The receiving area's MARAC agencies take part from now; the sending area's only for the grace.
    const relationships = await deps.db
      .selectFrom('access_relationship')
      .select(['agency_id', 'area_id', 'expires_at', 'person_id'])
      .where('episode_id', '=', mediumCaseId)
      .execute();
    const serving = async (code: string) =>
      new Set(
        (await services.directory.agenciesInArea((await services.directory.findAreaByCode(code))!.id)).map(
          (a) => a.id,
        ),
      );
    const [inSouthmere, inNorthbridge] = [await serving('southmere'), await serving('northbridge')];
    const joined = relationships.filter((r) => r.area_id === southmereId);
    assert.ok(joined.length > 0, 'Southmere’s agencies were given a relationship');
    assert.ok(joined.every((r) => inSouthmere.has(r.agency_id) && r.expires_at === null));
    assert.ok(
      joined.some((r) => !inNorthbridge.has(r.agency_id)),
      'an agency new to the case joined',
    );
    assert.ok(joined.some((r) => r.person_id === families[1]!.parentIds[0]));
    const leaving = relationships.filter((r) => !inSouthmere.has(r.agency_id));
    assert.ok(leaving.length > 0 && leaving.every((r) => inNorthbridge.has(r.agency_id)));
    const graceEnd = new Date(deps.now().getTime() + 28 * 24 * 3600_000).toISOString();
    assert.ok(leaving.every((r) => r.expires_at && new Date(r.expires_at).toISOString() === graceEnd));
    await assert.rejects(
      services.marac.transfer(ctx(), mediumCaseId, { toAreaId: families[0]!.areaId, reason: 'Back' }),
      { name: 'ForbiddenError' },
      'the case is now the Southmere coordinator’s',
    );
    const panel = await services.marac.queue(ctx(), 'panel');
    assert.ok(
      panel.some((c) => c.id === panelCaseId),
      'the panel referral waits in the panel’s queue',
    );
  });
});

describe('the coordinator’s queue forms', () => {
  const ctx = () => ({ principal: coordinator });
  it('re-show the queue with the GOV.UK error summary and change nothing when a form is wrong', async () => {
    const chair = await signedIn(app, 'marac@harbour.example');
    await chair.get('/marac');
    const meetings = () => rowCount(deps, 'marac_meeting');
    const before = await meetings();
    const past = await chair.post('/marac/meetings', {
      forum: 'marac',
      areaId: families[0]!.areaId,
      date: '2020-01-06',
      time: '10:00',
    });
    assert.equal(past.statusCode, 400, past.body.slice(0, 2000));
    assert.match(past.body, /govuk-error-summary/);
    assert.match(past.body, /href="#date"/);
    assert.match(past.body, /A meeting is scheduled for a future time/);
    assert.match(past.body, /value="2020-01-06"/, 'what was typed is kept');
    assert.equal(await meetings(), before);

    // A panel referral cannot go on a MARAC meeting: the error sits beside that case's choice.
    const marac = await services.marac.scheduleMeeting(ctx(), {
      areaId: families[0]!.areaId,
      forum: 'marac',
      startsAt: new Date(deps.now().getTime() + 7 * 24 * 3600_000),
    });
    const wrong = await chair.post(`/marac/cases/${panelCaseId}/list`, {
      forum: 'panel',
      meetingId: marac.id,
    });
    assert.equal(wrong.statusCode, 400, wrong.body.slice(0, 2000));
    assert.match(wrong.body, new RegExp(`href="#meetingId-${panelCaseId}"`));
    assert.match(wrong.body, /Choose a scheduled meeting of the case’s forum and area/);
    const panel = await services.marac.queue(ctx(), 'panel');
    assert.ok(
      panel.some((c) => c.id === panelCaseId),
      'still waiting for the panel',
    );
  });
});
