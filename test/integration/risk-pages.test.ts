import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { transaction } from '../../src/db/database.ts';
import { getInstrument } from '../../src/domain/instruments/index.ts';
import { overdueDash } from '../helpers/dash-awaited.ts';
import { dateFields } from '../helpers/date-fields.ts';
import { seededAgencyId } from '../helpers/deps.ts';
import { signedIn as signedInTo } from '../helpers/http.ts';
import { app, appPerFile, deps, services } from '../helpers/per-file.ts';
import { household, principalFor, putOnSchoolRoll } from './risk-helpers.ts';

let family: Awaited<ReturnType<typeof household>>;

appPerFile({}, async () => {
  family = await household(deps);
  // A long history: 60 incidents over five years, each on the child's chronology.
  const police = await principalFor(deps, 'police.officer@harbour.example');
  const now = Date.now();
  await transaction(deps.db, (trx) =>
    services.chronology.record(
      trx,
      { principal: police },
      Array.from({ length: 60 }, (_, i) => ({
        personId: family.childId,
        areaId: family.areaId,
        type: 'dan' as const,
        occurredAt: new Date(now - (i + 1) * 30 * 86_400_000),
        significance: i % 10 === 0 ? ('high' as const) : ('medium' as const),
        summary: `Incident ${i + 1}: argument at home, police attended.`,
        data: { riskGrade: 'standard' as const, incidentRef: `NB-${i}` },
      })).filter((e) => e.occurredAt.getTime() > Date.parse(`${family.dateOfBirth}T00:00:00Z`)),
    ),
  );
});

const signedIn = (email: string) => signedInTo(app, email);

describe('chronology pages', () => {
  it('shows the timeline newest first with pagination, filters and a print view', async () => {
    const browser = await signedIn('front.door@harbour.example');
    const page = await browser.get(`/people/${family.childId}/chronology`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /class="moj-timeline"/);
    const items = page.body.match(/moj-timeline__item/g) ?? [];
    assert.equal(items.length, 50);
    assert.match(page.body, /Page 1 of 2/);
    const second = await browser.get(`/people/${family.childId}/chronology?page=2`);
    assert.ok((second.body.match(/moj-timeline__item/g) ?? []).length > 0);
    const significant = await browser.get(`/people/${family.childId}/chronology?significant=yes`);
    assert.ok((significant.body.match(/moj-timeline__item/g) ?? []).length <= 6);
    assert.doesNotMatch(significant.body, /govuk-tag--yellow">Medium/);
    const print = await browser.get(`/people/${family.childId}/chronology?print=yes`);
    assert.equal(print.statusCode, 200);
    assert.ok((print.body.match(/<tr class="govuk-table__row">/g) ?? []).length > 50);
    const bad = await browser.get(`/people/${family.childId}/chronology?from=2025-13-40`);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /govuk-error-summary/);
    assert.match(bad.body, /href="#from"/);
  });

  it('records an event from the form, refusing a future date with the GOV.UK error summary', async () => {
    const browser = await signedIn('school.dsl@harbour.example');
    const schoolId = await seededAgencyId(deps, 'school-riverside-primary-school');
    await putOnSchoolRoll(deps, family, schoolId);
    const form = await browser.get(`/people/${family.childId}/events/new`);
    assert.equal(form.statusCode, 200);
    const nextYear = String(new Date().getFullYear() + 1);
    const refused = await browser.post(`/people/${family.childId}/events/new`, {
      type: 'school-concern',
      ...dateFields('occurredAt', { day: '1', month: '2', year: nextYear }),
      sourceAgencyId: schoolId,
      significance: 'medium',
      summary: 'Upset in class.',
    });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /govuk-error-summary/);
    assert.match(refused.body, /today or in the past/);
    const missing = await browser.post(`/people/${family.childId}/events/new`, { summary: '' });
    assert.equal(missing.statusCode, 400);
    // In the order the form asks; a date links to its day box.
    const targets = [...missing.body.matchAll(/<li>\s*<a href="#([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(targets, ['type', 'occurredAt-day', 'significance', 'summary']);
    const saved = await browser.post(`/people/${family.childId}/events/new`, {
      type: 'school-concern',
      ...dateFields('occurredAt', { day: '3', month: '2', year: '2025' }),
      time: '10:15',
      sourceAgencyId: schoolId,
      significance: 'medium',
      summary: 'Upset in class after the weekend.',
    });
    assert.equal(saved.statusCode, 303);
    const chronology = await browser.get(`/people/${family.childId}/chronology`);
    assert.match(chronology.body, /Upset in class after the weekend/);
    assert.match(chronology.body, /added to the chronology/);
    assert.doesNotMatch(chronology.body, /Incident 1: argument/, 'the school does not see police events');
  });
});

describe('risk pages', () => {
  it('shows cumulative risk on the person page and its own page, with the MARAC offer', async () => {
    const browser = await signedIn('front.door@harbour.example');
    const person = await browser.get(`/people/${family.childId}`);
    assert.equal(person.statusCode, 200);
    assert.match(person.body, /Chronology and risk/);
    assert.match(person.body, /Cumulative risk: <strong class="govuk-tag/);
    const page = await browser.get(`/people/${family.childId}/risk`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Potential escalation/);
    assert.match(page.body, /Refer to MARAC/);
    assert.match(page.body, /marac\/referrals\/new\?person=/, 'Refer to MARAC leads to the MARAC referral');
    const school = await signedIn('school.dsl@harbour.example');
    assert.equal((await school.get(`/people/${family.childId}/risk`)).statusCode, 403);
    const tasks = await browser.get('/risk/review-tasks');
    assert.equal(tasks.statusCode, 200);
    assert.match(tasks.body, /There are no open review tasks/);
    assert.equal((await school.get('/risk/review-tasks')).statusCode, 403);
  });

  it('walks the DASH form one section per page, checks answers and records it', async () => {
    const browser = await signedIn('social.worker@harbour.example');
    const victim = family.parentIds[0]!;
    const start = await browser.get(`/risk-assessments/new?victim=${victim}`);
    assert.equal(start.statusCode, 200);
    const noChoice = await browser.post('/risk-assessments/new', { victimPersonId: victim });
    assert.equal(noChoice.statusCode, 400);
    assert.match(noChoice.body, /Select the risk checklist used/);
    const begun = await browser.post('/risk-assessments/new', {
      victimPersonId: victim,
      instrument: 'safelives-dash-ric@1',
      childPersonIds: [family.childId],
    });
    assert.equal(begun.statusCode, 303);
    const instrument = getInstrument('safelives-dash-ric', '1')!;
    for (const [i, section] of instrument.sections.entries()) {
      const n = i + 1;
      const page = await browser.get(`/risk-assessments/draft/sections/${n}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, new RegExp(section.title));
      const questions = instrument.questions.filter((q) => q.section === section.id);
      if (n === 1) {
        const incomplete = await browser.post(`/risk-assessments/draft/sections/${n}`, {});
        assert.equal(incomplete.statusCode, 400);
        assert.match(incomplete.body, /govuk-error-summary/);
        assert.match(incomplete.body, new RegExp(`href="#${questions[0]!.id}"`));
      }
      const answers = Object.fromEntries(questions.map((q) => [q.id, 'yes']));
      const saved = await browser.post(`/risk-assessments/draft/sections/${n}`, answers);
      assert.equal(saved.statusCode, 303, saved.body);
    }
    const judgement = await browser.get('/risk-assessments/draft/judgement');
    assert.match(judgement.body, /scores <strong>24<\/strong>/);
    const lower = await browser.post('/risk-assessments/draft/judgement', { judgedLevel: 'medium' });
    assert.equal(lower.statusCode, 400);
    assert.match(lower.body, /cannot lower the level/);
    assert.equal(
      (await browser.post('/risk-assessments/draft/judgement', { judgedLevel: 'high' })).statusCode,
      303,
    );
    const check = await browser.get('/risk-assessments/draft/check');
    assert.match(check.body, /Check your answers/);
    const submitted = await browser.post('/risk-assessments/draft/submit', {});
    assert.equal(submitted.statusCode, 303);
    const confirmation = await browser.get(String(submitted.headers.location));
    assert.match(confirmation.body, /Risk assessment recorded/);
    assert.match(confirmation.body, /24 \(high\)/);
  });
});

describe('DASH awaited', () => {
  it('reminds the supervisor, escalates to the MASH manager, lists by age and exports CSV', async () => {
    const officer = await principalFor(deps, 'police.officer@harbour.example');
    const risk = services.risk;
    const contactId = randomUUID();
    const expectationId = await overdueDash(deps.db, risk, officer, {
      contactId,
      personIds: [family.parentIds[0]!, family.childId],
      hoursOverdue: 50,
    });
    assert.equal(await risk.chaseAwaited(expectationId, 'reminder'), 1);
    assert.equal(await risk.chaseAwaited(expectationId, 'reminder'), 0, 'a reminder is sent once');
    assert.ok((await risk.chaseAwaited(expectationId, 'escalation')) >= 2);

    const supervisor = await signedIn('police.supervisor@harbour.example');
    const home = await supervisor.get('/');
    assert.match(home.body, /1 new reminder/);
    const report = await supervisor.get('/risk/dash-awaited');
    assert.equal(report.statusCode, 200);
    assert.match(report.body, /PC Alex Officer/);
    assert.match(report.body, /Escalated/);
    const csv = await supervisor.get('/risk/dash-awaited.csv');
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /text\/csv/);
    const [header, row] = csv.body.split('\r\n');
    assert.match(header!, /^contact_id,officer,people,awaited_since,age_hours/);
    assert.match(row!, new RegExp(`^${contactId},PC Alex Officer,`));
    const manager = await signedIn('mash.manager@harbour.example');
    assert.equal((await manager.get('/risk/dash-awaited')).statusCode, 200);
    const school = await signedIn('school.dsl@harbour.example');
    assert.equal((await school.get('/risk/dash-awaited')).statusCode, 403);
  });
});
