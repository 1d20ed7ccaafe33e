import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Principal } from '../../src/platform/principal.ts';
import { buildServices } from '../../src/services.ts';
import { signedIn } from '../helpers/http.ts';
import { app, appPerFile, deps } from '../helpers/per-file.ts';
import { rowById, rowWhere } from '../helpers/rows.ts';
import { contactBody, earlyHelpDecision, household } from './front-door-fixtures.ts';

let worker: Principal;
let school: Principal;

async function principal(email: string) {
  const directory = buildServices(deps).directory;
  return (await directory.principalForUser((await directory.findUserByEmail(email))!.id))!;
}

appPerFile({ now: '2026-03-03T10:00:00Z' }, async () => {
  worker = await principal('front.door@harbour.example');
  school = await principal('school.dsl@harbour.example');
});

describe('early help step-up and step-down (F12)', () => {
  it('steps a decided contact down to early help with a handover, then steps the episode back up; both counted', async () => {
    const service = buildServices(deps).frontDoor;
    const { body } = await service.submitContact({ principal: school }, contactBody({}, household(70)));
    await service.decide({ principal: worker }, body.contactId, earlyHelpDecision());
    const decided = await rowById(deps.db, 'contact', body.contactId);
    const leads = await buildServices(deps).directory.earlyHelpLeadChoices(decided.area_id);
    const team = leads.find((l) => l.kind === 'team')!;
    assert.ok(team, 'the early help team is offered');

    const browser = await signedIn(app, 'front.door@harbour.example');
    const page = await browser.get(`/front-door/contacts/${body.contactId}/decision`);
    assert.match(page.body, /Step down to early help/);
    // The lead is chosen from the directory: the team and its practitioner are offered.
    assert.ok(page.body.includes(`value="${team.value}"`));
    assert.match(page.body, /Erin Early-Help, Northbridge Early Help/);
    const missing = await browser.post(`/front-door/contacts/${body.contactId}/decision`, {
      form: 'stepdown',
    });
    assert.equal(missing.statusCode, 400);
    for (const id of ['stepdown-lead', 'stepdown-plan', 'stepdown-reason', 'stepdown-handover'])
      assert.ok(missing.body.includes(`href="#${id}"`), id);
    // A lead from outside the list (another area's team, a typed name) is refused, nothing written.
    const southmere = await rowWhere(deps.db, 'team', { code: 'southmere-early-help-team' });
    for (const lead of [`team:${southmere.id}`, 'Fen Okafor']) {
      const refused = await browser.post(`/front-door/contacts/${body.contactId}/decision`, {
        form: 'stepdown',
        lead,
        plan: 'Weekly visits.',
        reason: 'Needs met at level 2.',
        handover: 'Mother receptive.',
      });
      assert.equal(refused.statusCode, 400, lead);
      assert.match(refused.body, /Choose a lead practitioner or team from the list/);
      assert.match(refused.body, /Weekly visits\./, 'what was typed is kept');
    }
    const done = await browser.post(`/front-door/contacts/${body.contactId}/decision`, {
      form: 'stepdown',
      lead: team.value,
      plan: 'Weekly visits; breakfast club; budgeting support.',
      reason: 'Needs met at level 2.',
      handover: 'Mother receptive; child says he is hungry at weekends.',
    });
    assert.equal(done.statusCode, 303, done.body);
    const again = await service.earlyHelp
      .stepDown({ principal: worker }, body.contactId, {
        lead: team.value,
        plan: 'x',
        reason: 'x',
        handover: 'x',
      })
      .catch((e: Error) => e);
    assert.match(String(again), /already been stepped down/);

    const overview = await service.earlyHelp.overview({ principal: worker });
    assert.equal(overview.counts.stepDown, 1);
    const episode = overview.episodes[0]!;
    const stepUpPage = await browser.get(`/front-door/early-help/${episode.id}/step-up`);
    assert.equal(stepUpPage.statusCode, 200);
    const bad = await browser.post(`/front-door/early-help/${episode.id}/step-up`, {});
    assert.equal(bad.statusCode, 400);
    const up = await browser.post(`/front-door/early-help/${episode.id}/step-up`, {
      concerns: ['neglect'],
      reason: 'Child found alone at home overnight.',
      handover: 'Plan not working; mother not engaging since February.',
    });
    assert.equal(up.statusCode, 303, up.body);
    const newContactId = (up.headers.location as string).split('/').pop()!;
    const contact = await rowById(deps.db, 'contact', newContactId);
    assert.equal(contact.status, 'screening');
    assert.equal(contact.source_code, '5D');
    const after = await service.earlyHelp.overview({ principal: worker });
    assert.deepEqual(after.counts, { stepUp: 1, stepDown: 1 });
    const events = await deps.db
      .selectFrom('chronology_event')
      .select('type')
      .where('person_id', '=', episode.person_id)
      .where('type', 'in', ['early-help-step-down', 'early-help-step-up'])
      .execute();
    assert.deepEqual(events.map((e) => e.type).sort(), ['early-help-step-down', 'early-help-step-up']);
    const list = await browser.get('/front-door/early-help');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /stepped up to the front door/);
  });

  it('refuses early help work to partners', async () => {
    const browser = await signedIn(app, 'school.dsl@harbour.example');
    assert.equal((await browser.get('/front-door/early-help')).statusCode, 403);
  });
});
