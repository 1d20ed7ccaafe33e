import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildServices } from '../../src/services.ts';
import { dateFields } from '../helpers/date-fields.ts';
import { type Browser, signedIn } from '../helpers/http.ts';
import { app, appPerFile, deps } from '../helpers/per-file.ts';
import { rowCountWhere } from '../helpers/row-count.ts';
import { rowById, rowsWhere } from '../helpers/rows.ts';
import { answerPage, danPages, household } from './front-door-fixtures.ts';

appPerFile({ now: '2026-03-03T10:00:00Z' });

const home = household(40);

async function policeSubmitsDan(police: Browser, reference: string) {
  assert.equal((await police.get('/front-door/dan')).statusCode, 200);
  assert.equal((await police.post('/front-door/dan/start', {})).statusCode, 303);
  await answerPage(
    police,
    '/front-door/dan/incident',
    danPages.incident(reference, {
      circumstances: 'Officers attended after a 999 call; the victim had bruising to her face.',
    }),
  );
  await answerPage(police, '/front-door/dan/victim', danPages.victim(home.family));
  await answerPage(police, '/front-door/dan/suspects/1', {
    givenName: 'Gethin',
    familyName: `${home.family}-Moss`,
    action: 'continue',
  });
  let r = await answerPage(
    police,
    '/front-door/dan/children/1',
    danPages.child(home.girl, home.family, {
      school: 'school-riverside-primary-school',
      witnessed: 'yes',
      childSaid: 'Mummy was crying.',
      action: 'another',
    }),
  );
  assert.equal(r.headers.location, '/front-door/dan/children/2');
  await answerPage(
    police,
    '/front-door/dan/children/2',
    danPages.child(home.boy, home.family, { witnessed: 'no', action: 'continue' }),
  );
  await answerPage(police, '/front-door/dan/risk', danPages.risk);
  r = await answerPage(police, '/front-door/dan/consent', {
    ...danPages.consent,
    'earlyHelp.offered': 'yes',
    'earlyHelp.response': 'considering',
  });
  assert.equal(r.headers.location, '/front-door/dan/check');
  const check = await police.get('/front-door/dan/check');
  assert.match(check.body, new RegExp(home.girl.givenName));
  r = await police.post('/front-door/dan/check', {});
  assert.equal(r.statusCode, 303, r.body);
  const sent = await police.get(r.headers.location as string);
  assert.equal(sent.statusCode, 200);
  assert.match(sent.body, /Notification sent/);
  return (r.headers.location as string).split('/').pop()!;
}

describe('front-door pages, end to end through the forms', () => {
  let contactId: string;

  it('shows each question page’s errors in a GOV.UK error summary and keeps the answers', async () => {
    const police = await signedIn(app, 'police.officer@harbour.example');
    await police.post('/front-door/dan/start', {});
    await police.get('/front-door/dan/incident');
    const r = await police.post('/front-door/dan/incident', {
      policeReference: 'NB/26/FORM-ERR',
      ...dateFields('occurredAt', { day: '31', month: '2', year: '2026' }),
    });
    assert.equal(r.statusCode, 400);
    assert.match(r.body, /govuk-error-summary/);
    assert.match(r.body, /Enter the date of the incident as a real date/);
    assert.match(r.body, /Enter the time of the incident/);
    assert.match(r.body, /Enter the postcode of the incident address/);
    assert.match(r.body, /value="NB\/26\/FORM-ERR"/);
    const child = await police.post('/front-door/dan/children/1', { givenName: 'A', action: 'continue' });
    assert.equal(child.statusCode, 400);
    for (const message of [
      'Select whether the first child was present',
      'Select whether the first child saw or heard the incident',
      'Enter the first child’s date of birth',
    ])
      assert.ok(child.body.includes(message), message);
  });

  it('takes a DAN from a police officer through the web form', async () => {
    const police = await signedIn(app, 'police.officer@harbour.example');
    contactId = await policeSubmitsDan(police, 'NB/26/FORM-1');
    const stored = await rowsWhere(deps.db, 'contact_person', { contact_id: contactId });
    assert.deepEqual(stored.map((p) => p.role).sort(), ['child', 'child', 'suspect', 'victim']);
  });

  it('shows the MASH the contact in the queue with its RAG and deadline; screening, enquiries, response, decision, sign-off', async () => {
    const worker = await signedIn(app, 'front.door@harbour.example');
    const queue = await worker.get('/front-door');
    assert.equal(queue.statusCode, 200);
    assert.ok(queue.body.includes(`/front-door/contacts/${contactId}`));
    assert.match(queue.body, /Amber/);
    const filtered = await worker.get('/front-door?rag=red');
    assert.ok(
      !filtered.body.includes(`/front-door/contacts/${contactId}`),
      'the red filter hides an amber contact',
    );

    let page = await worker.get(`/front-door/contacts/${contactId}/people`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Mummy was crying/);
    const bad = await worker.post(`/front-door/contacts/${contactId}/screening`, { rag: '' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#screen-rag"/);
    assert.match(bad.body, /href="#screen-rationale"/);
    let r = await worker.post(`/front-door/contacts/${contactId}/screening`, {
      rag: 'amber',
      rationale: 'Children present; repeat pattern to check.',
    });
    assert.equal(r.statusCode, 303);
    await worker.post(`/front-door/contacts/${contactId}/assign`, {});

    const agencies = await deps.db
      .selectFrom('agency')
      .select(['id', 'code'])
      .where('code', 'in', ['community-health', 'school-riverside-primary-school'])
      .execute();
    page = await worker.get(`/front-door/contacts/${contactId}`);
    r = await worker.post(`/front-door/contacts/${contactId}/enquiries`, {
      agencyIds: agencies.map((a) => a.id),
      question: 'Please share any involvement with these children in the last year.',
    });
    assert.equal(r.statusCode, 303, r.body);

    const health = await signedIn(app, 'mash.health@harbour.example');
    const inbox = await health.get('/front-door/enquiries');
    const enquiryId = /href="\/front-door\/enquiries\/([0-9a-f-]{36})"/.exec(inbox.body)?.[1];
    assert.ok(enquiryId, 'the enquiry is in the health inbox');
    await health.get(`/front-door/enquiries/${enquiryId}`);
    const empty = await health.post(`/front-door/enquiries/${enquiryId}`, { response: '' });
    assert.equal(empty.statusCode, 400);
    r = await health.post(`/front-door/enquiries/${enquiryId}`, {
      response: 'Health visitor: two missed developmental checks for the younger child.',
    });
    assert.equal(r.statusCode, 303);

    page = await worker.get(`/front-door/contacts/${contactId}/enquiries`);
    assert.match(page.body, /two missed developmental checks/);
    r = await worker.post(`/front-door/contacts/${contactId}/decision`, {
      levelOfNeed: '4',
      outcome: 'child-in-need-assessment',
      rationale: 'Repeat incidents with children present and missed health checks.',
      feedback: 'A social worker will assess the children’s needs.',
    });
    assert.equal(r.statusCode, 303, r.body);
    const contact = await rowById(deps.db, 'contact', contactId);
    assert.equal(contact.status, 'awaiting-sign-off');

    const police = await signedIn(app, 'police.officer@harbour.example');
    const before = await police.get('/front-door/my-contacts');
    assert.match(before.body, /Awaiting manager sign-off/);

    const manager = await signedIn(app, 'mash.manager@harbour.example');
    const oversight = await manager.get('/front-door/manager');
    assert.equal(oversight.statusCode, 200);
    assert.ok(oversight.body.includes(`/front-door/contacts/${contactId}/decision`));
    await manager.get(`/front-door/contacts/${contactId}`);
    r = await manager.post(`/front-door/contacts/${contactId}/decision`, {
      form: 'signoff',
      agree: 'yes',
      reason: 'Agreed: proportionate to the history.',
    });
    assert.equal(r.statusCode, 303, r.body);

    const after = await police.get('/front-door/my-contacts');
    assert.match(after.body, /Child in need assessment/);
    assert.match(after.body, /A social worker will assess/);
    const policeView = await police.get(`/front-door/contacts/${contactId}`);
    assert.equal(policeView.statusCode, 200);
    assert.match(policeView.body, /Child in need assessment/);
    const policeEnquiries = await police.get(`/front-door/contacts/${contactId}/enquiries`);
    assert.equal(policeEnquiries.statusCode, 200);
    assert.match(policeEnquiries.body, /Riverside Primary School/);
    assert.ok(
      !policeEnquiries.body.includes('two missed developmental checks'),
      'police never see health’s response',
    );
  });

  it('shows the school its pupil’s contact but not another school’s pupil’s', async () => {
    const school = await signedIn(app, 'school.dsl@harbour.example');
    assert.equal((await school.get(`/front-door/contacts/${contactId}`)).statusCode, 200);
    const other = household(41);
    await signedIn(app, 'police.officer@harbour.example');
    const directory = buildServices(deps).directory;
    const officer = (await directory.principalForUser(
      (await directory.findUserByEmail('police.officer@harbour.example'))!.id,
    ))!;
    const { danBody } = await import('./front-door-fixtures.ts');
    const body = danBody({}, 'NB/26/OTHER-SCHOOL', other);
    body.children = body.children.map((c) => ({
      ...c,
      school: { agencyCode: 'school-northbridge-academy' },
    }));
    const result = await buildServices(deps).frontDoor.submitDan({ principal: officer }, body);
    assert.equal((await school.get(`/front-door/contacts/${result.body.contactId}`)).statusCode, 403);
    assert.equal(
      await rowCountWhere(deps.db, 'audit_event', { subject_id: result.body.contactId, outcome: 'denied' }),
      1,
      'the refusal is audited',
    );
  });

  it('shows staff the routing rules and every role its home panel', async () => {
    const worker = await signedIn(app, 'front.door@harbour.example');
    const routing = await worker.get('/front-door/routing');
    assert.equal(routing.statusCode, 200);
    assert.match(routing.body, /Standard risk grade/);
    const homePage = await worker.get('/');
    assert.match(homePage.body, /Front-door queue/);
    const health = await signedIn(app, 'mash.health@harbour.example');
    assert.match((await health.get('/')).body, /waiting for your agency/);
    const manager = await signedIn(app, 'mash.manager@harbour.example');
    assert.match((await manager.get('/')).body, /Front-door oversight/);
  });

  it('takes a school’s contact through the question pages, with change links back from check your answers', async () => {
    const school = await signedIn(app, 'school.dsl@harbour.example');
    assert.equal((await school.get('/front-door/contact')).statusCode, 200);
    await school.post('/front-door/contact/start', {});
    const source = await school.get('/front-door/contact/source');
    assert.match(source.body, /value="Dana DSL"/);
    let r = await school.post('/front-door/contact/source', {
      sourceCode: '2A',
      'referrer.name': 'Dana DSL',
      'referrer.phone': '01632 960000',
    });
    assert.equal(r.headers.location, '/front-door/contact/children/1');
    await school.get('/front-door/contact/children/1');
    r = await school.post('/front-door/contact/children/1', {
      givenName: 'Juno',
      familyName: 'Ashgrove',
      action: 'continue',
    });
    assert.equal(r.statusCode, 400);
    assert.match(r.body, /Enter the first child’s date of birth/);
    assert.match(r.body, /Enter the first line of the address where the child lives/);
    r = await school.post('/front-door/contact/children/1', {
      givenName: 'Juno',
      familyName: 'Ashgrove',
      ...dateFields('dateOfBirth', { day: '5', month: '9', year: '2015' }),
      school: 'school-riverside-primary-school',
      'address.line1': '40 Tannery Walk',
      'address.postcode': 'NB4 1PL',
      action: 'continue',
    });
    assert.equal(r.headers.location, '/front-door/contact/adults/1');
    r = await school.post('/front-door/contact/adults/1', { action: 'none' });
    assert.equal(r.headers.location, '/front-door/contact/concerns');
    r = await school.post('/front-door/contact/concerns', {
      concerns: ['emotional-abuse', 'domestic-abuse'],
      narrative: 'Juno said she is scared when her parents argue.',
    });
    assert.equal(r.statusCode, 303);
    r = await school.post('/front-door/contact/actions', {
      actionsTaken: 'Spoke with Juno; logged on our system.',
    });
    assert.equal(r.statusCode, 400, 'whether the family knows is required');
    r = await school.post('/front-door/contact/actions', {
      actionsTaken: 'Spoke with Juno; logged on our system.',
      familyKnows: 'no',
    });
    r = await school.post('/front-door/contact/consent', {
      'consent.asked': 'no',
      'consent.reasonSharingWithoutConsent': 'Asking would put Juno at risk.',
    });
    assert.equal(r.headers.location, '/front-door/contact/check');
    const check = await school.get('/front-door/contact/check');
    assert.match(check.body, /Juno Ashgrove/);
    assert.match(check.body, /href="\/front-door\/contact\/concerns\?return=check"/);
    r = await school.post('/front-door/contact/concerns?return=check', {
      concerns: ['emotional-abuse', 'domestic-abuse', 'neglect'],
      narrative: 'Juno said she is scared when her parents argue.',
    });
    assert.equal(r.headers.location, '/front-door/contact/check');
    r = await school.post('/front-door/contact/check', {});
    assert.equal(r.statusCode, 303, r.body);
    const sent = await school.get(r.headers.location as string);
    assert.match(sent.body, /Contact sent/);
    const contactId = (r.headers.location as string).split('/').pop()!;
    const contact = await rowById(deps.db, 'contact', contactId);
    assert.deepEqual([...contact.concerns].sort(), ['domestic-abuse', 'emotional-abuse', 'neglect']);
    assert.equal(contact.route, 'mash');
    const mine = await school.get('/front-door/my-contacts');
    assert.ok(mine.body.includes(contact.reference));
  });
});
