import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildServices } from '../../src/services.ts';
import { onPostgres } from '../helpers/database.ts';
import { contextOf } from '../helpers/deps.ts';
import { signedIn } from '../helpers/http.ts';
import { app, appPerFile, deps } from '../helpers/per-file.ts';
import { rowsWhere } from '../helpers/rows.ts';
import { apiKeyFor, contactPeople, danBody, household } from './front-door-fixtures.ts';

// Issue 12: an enquiry lists the adults it concerns (health cannot check the mother otherwise)
// and only the children the receiving agency serves (the school sees its pupil, not the baby).
const backend = onPostgres ? 'PostgreSQL' : 'PGlite';
const home = household(88);
const pupil = `${home.girl.givenName} ${home.family}`;
const sibling = `${home.boy.givenName} ${home.family}`;
const mother = `Marnie ${home.family}`;
const suspect = `Declan ${home.family}-Ostrowe`;
let contactId: string;
let siblingId: string;
let pupilId: string;

appPerFile({}, async () => {
  const services = buildServices(deps);
  const officer = await contextOf(services.directory, 'police.officer@harbour.example');
  const worker = await contextOf(services.directory, 'front.door@harbour.example');
  // The girl is on Riverside Primary's roll (the DAN names her school); her brother is not.
  const { body } = await services.frontDoor.submitDan(officer, danBody({}, 'NB/26/ENQ-PEOPLE', home));
  contactId = body.contactId;
  const school = await services.directory.findAgencyByCode('school-riverside-primary-school');
  const health = await services.directory.findAgencyByCode('community-health');
  await services.frontDoor.sendEnquiries(worker, contactId, {
    agencyIds: [school!.id, health!.id],
    question: 'What do you know of the children and the adults?',
  });
  // The DAN names the girl first, then her brother.
  [pupilId, siblingId] = (await contactPeople(deps, contactId, 'child')) as [string, string];
});

async function enquiryPage(email: string) {
  const browser = await signedIn(app, email);
  const inbox = await browser.get('/front-door/enquiries');
  assert.equal(inbox.statusCode, 200);
  const row = inbox.body.slice(inbox.body.indexOf('govuk-table__body'));
  const id = /href="\/front-door\/enquiries\/([0-9a-f-]{36})"/.exec(row)?.[1];
  assert.ok(id, 'the enquiry is in the inbox');
  const page = await browser.get(`/front-door/enquiries/${id}`);
  assert.equal(page.statusCode, 200);
  return { browser, inbox: inbox.body, page: page.body };
}

describe(`an enquiry concerns the adults and the children its agency serves (${backend})`, () => {
  it('the school sees its pupil and the adults, not the baby sibling, in its inbox and on the enquiry', async () => {
    const { browser, inbox, page } = await enquiryPage('school.dsl@harbour.example');
    assert.match(inbox, new RegExp(`>${pupil}</a>`), 'the inbox row names the pupil');
    assert.doesNotMatch(inbox, new RegExp(home.boy.givenName));
    assert.match(page, new RegExp(`${pupil}, born`));
    assert.doesNotMatch(page, new RegExp(home.boy.givenName), 'the baby sibling is not shown');
    assert.match(page, new RegExp(`${mother}, born [^<]*\\(Victim\\)`));
    assert.match(page, new RegExp(`${suspect}, born [^<]*\\(Suspect\\)`));
    // Nor may the school open the sibling's record through this enquiry; the pupil's it may.
    assert.equal((await browser.get(`/people/${siblingId}`)).statusCode, 403);
    assert.equal((await browser.get(`/people/${pupilId}`)).statusCode, 200);
    // The inbox read names children, so it is audited with them.
    const audit = await rowsWhere(deps.db, 'audit_event', { action: 'enquiry.inbox-view' });
    assert.ok(audit.some((a) => (a.person_ids as string[]).includes(pupilId)));
  });

  it('community health, which serves every child, sees both children and the mother', async () => {
    const { page } = await enquiryPage('mash.health@harbour.example');
    assert.match(page, new RegExp(`${pupil}, born`));
    assert.match(page, new RegExp(`${sibling}, born`));
    assert.match(page, new RegExp(`${mother}, born [^<]*\\(Victim\\)`));
  });

  it('the API lists the same people for the school', async () => {
    const key = await apiKeyFor(deps, 'school-riverside-primary-school');
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/enquiries',
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(response.statusCode, 200, response.body);
    const item = (
      response.json() as {
        items: { contactId: string; people: { role: string; givenName: string }[] }[];
      }
    ).items.find((i) => i.contactId === contactId);
    assert.ok(item);
    assert.deepEqual(
      item.people.map((p) => `${p.role} ${p.givenName}`).sort(),
      [`child ${home.girl.givenName}`, 'suspect Declan', 'victim Marnie'].sort(),
    );
  });
});
