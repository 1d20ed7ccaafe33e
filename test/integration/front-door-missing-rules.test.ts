import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildServices } from '../../src/services.ts';
import { contextOf } from '../helpers/deps.ts';
import { signedIn } from '../helpers/http.ts';
import { app, appPerFile, deps } from '../helpers/per-file.ts';
import { rowCountWhere } from '../helpers/row-count.ts';
import { rowById, rowsWhere, rowWhere } from '../helpers/rows.ts';
import {
  answerPage,
  contactBody,
  danBody,
  danPages,
  earlyHelpDecision,
  household,
} from './front-door-fixtures.ts';

// Issue 12, "tests the suite lacks": each rule was broken in the source and no test failed.

appPerFile({ now: '2026-03-03T10:00:00Z' });

describe('rules the suite did not prove', () => {
  it('the DAN web form refuses a notification with no children, and writes nothing', async () => {
    const home = household(70);
    const police = await signedIn(app, 'police.officer@harbour.example');
    await police.post('/front-door/dan/start', {});
    await answerPage(police, '/front-door/dan/incident', danPages.incident('NB/26/NO-KIDS'));
    await answerPage(police, '/front-door/dan/victim', danPages.victim(home.family));
    await answerPage(police, '/front-door/dan/risk', danPages.risk);
    await answerPage(police, '/front-door/dan/consent', danPages.consent);
    await police.get('/front-door/dan/check');
    const r = await police.post('/front-door/dan/check', {});
    assert.equal(r.statusCode, 400, r.body);
    assert.match(r.body, /govuk-error-summary/);
    assert.match(r.body, /href="\/front-door\/dan\/children\/1/);
    assert.equal(await rowCountWhere(deps.db, 'contact', { incident_ref: 'NB/26/NO-KIDS' }), 0);
  });

  it('a manager cannot sign off their own decision', async () => {
    const services = buildServices(deps);
    const officer = await contextOf(services.directory, 'police.officer@harbour.example');
    const manager = await contextOf(services.directory, 'mash.manager@harbour.example');
    const { body } = await services.frontDoor.submitDan(officer, danBody({}, 'NB/26/OWN-SIGN'));
    const decided = await services.frontDoor.decide(manager, body.contactId, {
      levelOfNeed: '4',
      outcome: 'child-in-need-assessment',
      rationale: 'Repeat incidents; needs assessment.',
      feedback: 'A social worker will assess.',
    });
    assert.equal(decided.signOffRequired, true);
    await assert.rejects(
      services.frontDoor.signOff(manager, body.contactId, { agree: true, reason: 'Agreed.' }),
      /signed off by someone other than the person who made it/,
    );
    const decision = await rowWhere(deps.db, 'decision', { contact_id: body.contactId });
    assert.equal(decision.sign_off_status, 'awaiting', 'nothing written');
  });

  it('step-down records the handover and the lead practitioner chosen from the directory, and the inbox shows them', async () => {
    const services = buildServices(deps);
    const school = await contextOf(services.directory, 'school.dsl@harbour.example');
    const worker = await contextOf(services.directory, 'front.door@harbour.example');
    const { body } = await services.frontDoor.submitContact(school, contactBody({}, household(71)));
    await services.frontDoor.decide(worker, body.contactId, earlyHelpDecision());
    const earlyHelp = await services.directory.findAgencyByCode('northbridge-early-help');
    const practitioner = await services.directory.findUserByEmail('early.help@harbour.example');
    await services.frontDoor.earlyHelp.stepDown(worker, body.contactId, {
      lead: `user:${practitioner!.id}`,
      plan: 'Weekly visits.',
      reason: 'Needs met at level 2.',
      handover: 'Mother receptive; child hungry at weekends.',
    });
    const stepDowns = await rowsWhere(deps.db, 'early_help_transition', {
      contact_id: body.contactId,
      direction: 'step-down',
    });
    assert.equal(stepDowns.length, 1, 'one child, one episode');
    const { handover } = stepDowns[0]!;
    const episode = await rowById(deps.db, 'early_help_episode', stepDowns[0]!.episode_id);
    const { person_id: childId, lead_practitioner, lead_user_id, lead_team_id, lead_agency_id } = episode;
    assert.deepEqual(
      { handover, lead_practitioner, lead_user_id, lead_team_id, lead_agency_id },
      {
        handover: 'Mother receptive; child hungry at weekends.',
        lead_practitioner: 'Erin Early-Help',
        lead_user_id: practitioner!.id,
        lead_team_id: null,
        lead_agency_id: earlyHelp!.id,
      },
    );
    // The lead's agency may now open the child's record: an allocated-worker relationship.
    const relationship = await deps.db
      .selectFrom('access_relationship')
      .select(['basis', 'episode_type'])
      .where('person_id', '=', childId)
      .where('agency_id', '=', earlyHelp!.id)
      .executeTakeFirst();
    assert.deepEqual(relationship, { basis: 'allocated-worker', episode_type: 'early-help' });

    // The early help practitioner sees the child in the inbox, led by them, with the handover.
    const browser = await signedIn(app, 'early.help@harbour.example');
    const inbox = await browser.get('/front-door/early-help/inbox');
    assert.equal(inbox.statusCode, 200);
    assert.match(inbox.body, /Erin Early-Help \(you\)/);
    assert.match(inbox.body, /Mother receptive; child hungry at weekends\./);
    assert.equal(
      (await browser.get(`/people/${childId}`)).statusCode,
      200,
      'the lead agency opens the record',
    );
  });
});
