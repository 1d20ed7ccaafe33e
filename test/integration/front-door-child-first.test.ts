import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildServices } from '../../src/services.ts';
import { contextOf } from '../helpers/deps.ts';
import { signedIn } from '../helpers/http.ts';
import { app, appPerFile, deps } from '../helpers/per-file.ts';
import { danBody, earlyHelpDecision, household } from './front-door-fixtures.ts';

// Issue 12, "the child first": what the worker sees on the contact page and the queue's assets.

appPerFile({ now: '2026-03-03T10:00:00Z' });

describe('the child first on the contact page', () => {
  it('serves the filter panel’s remove-filter icon', async () => {
    const icon = await app.inject({ method: 'GET', url: '/assets/images/icon-tag-remove-cross.svg' });
    assert.equal(icon.statusCode, 200);
    assert.match(String(icon.headers['content-type']), /image\/svg\+xml/);
    assert.match(icon.body, /<svg/);
  });

  it('queue rows name the children with age and marks, and the adults’ roles', async () => {
    const services = buildServices(deps);
    const officer = await contextOf(services.directory, 'police.officer@harbour.example');
    const home = household(80);
    const body = danBody({}, 'NB/26/CHILD-Q', home);
    body.children[0]!.injured = true;
    body.children[0]!.injuryDetails = 'Cut to the hand from broken glass.';
    const { body: sent } = await services.frontDoor.submitDan(officer, body);
    const worker = await signedIn(app, 'front.door@harbour.example');
    const queue = await worker.get('/front-door?rag=red');
    assert.equal(queue.statusCode, 200);
    const at = queue.body.indexOf(`/front-door/contacts/${sent.contactId}`);
    assert.ok(at > 0, 'the contact is listed');
    const row = queue.body.slice(at, queue.body.indexOf('</tr>', at));
    assert.match(
      row,
      new RegExp(
        `<strong>${home.girl.givenName} ${home.family}</strong>, 8 <strong class="govuk-tag govuk-tag--red">Injured</strong>`,
      ),
    );
    assert.match(row, new RegExp(`${home.boy.givenName} ${home.family}</strong>, 4`));
    assert.match(row, new RegExp(`Marnie ${home.family} \\(victim\\)`));
  });

  it('“Assign to me” keeps the queue’s filter and sort', async () => {
    const services = buildServices(deps);
    const officer = await contextOf(services.directory, 'police.officer@harbour.example');
    const { body: sent } = await services.frontDoor.submitDan(
      officer,
      danBody(
        { risk: { dashStatus: 'completed', dashScore: 18, officerRiskGrade: 'high' } },
        'NB/26/CHILD-A',
      ),
    );
    const worker = await signedIn(app, 'front.door@harbour.example');
    const queue = await worker.get('/front-door?rag=red&sort=received&order=desc');
    assert.ok(queue.body.includes('name="query" value="rag=red&sort=received&order=desc&page=1"'));
    const r = await worker.post(`/front-door/contacts/${sent.contactId}/assign`, {
      back: 'queue',
      query: 'rag=red&sort=received&order=desc&page=1',
    });
    assert.equal(r.statusCode, 303);
    assert.equal(r.headers.location, '/front-door?rag=red&sort=received&order=desc&page=1');
  });

  it('a hand-edited query string is a GOV.UK page in plain words', async () => {
    const worker = await signedIn(app, 'front.door@harbour.example');
    const page = await worker.get('/front-door?sort=bogus');
    assert.equal(page.statusCode, 400);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(page.body, /govuk-error-summary/);
    assert.match(
      page.body,
      /The web address&#39;s &quot;sort&quot; must be one of: due, received, rag, reference/,
    );
    assert.doesNotMatch(page.body, /equal to constant/);
  });

  it('the enquiry form offers the child’s known school first and never the referrer', async () => {
    const services = buildServices(deps);
    const officer = await contextOf(services.directory, 'police.officer@harbour.example');
    const { body } = await services.frontDoor.submitDan(officer, danBody({}, 'NB/26/CHILD-1'));
    const school = await services.directory.findAgencyByCode('school-riverside-primary-school');
    const police = await services.directory.findAgencyByCode('police');
    const worker = await signedIn(app, 'front.door@harbour.example');
    const page = await worker.get(`/front-door/contacts/${body.contactId}/enquiries`);
    assert.equal(page.statusCode, 200);
    const offered = [...page.body.matchAll(/name="agencyIds" type="checkbox" value="([^"]+)"/g)].map(
      (m) => m[1],
    );
    assert.ok(offered.length > 1, 'agencies are offered');
    assert.equal(offered[0], school!.id, 'the child’s school first');
    assert.ok(!offered.includes(police!.id), 'the referrer is not offered');
    assert.match(page.body, /known to the child/);
  });

  it('shows levels of need by name and no summary ids once decided', async () => {
    const services = buildServices(deps);
    const officer = await contextOf(services.directory, 'police.officer@harbour.example');
    const workerContext = await contextOf(services.directory, 'front.door@harbour.example');
    const { body } = await services.frontDoor.submitDan(officer, danBody({}, 'NB/26/CHILD-2'));
    await services.frontDoor.decide(workerContext, body.contactId, earlyHelpDecision('Early help.'));
    const worker = await signedIn(app, 'front.door@harbour.example');
    const page = await worker.get(`/front-door/contacts/${body.contactId}/decision`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Level 2: additional needs \(early help\)/);
    assert.doesNotMatch(page.body, /summaries [0-9a-f]{8}-/);
  });
});
