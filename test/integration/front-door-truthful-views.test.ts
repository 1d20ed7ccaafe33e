import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildServices } from '../../src/services.ts';
import { contextOf } from '../helpers/deps.ts';
import { signedIn } from '../helpers/http.ts';
import { app, appPerFile, deps } from '../helpers/per-file.ts';
import { rowsWhere } from '../helpers/rows.ts';
import { contactPeople, danBody } from './front-door-fixtures.ts';

// Issue 12, "misleading": the police view, the chronology after sign-off and the person record.
let contactId: string;

appPerFile({ now: '2026-03-03T10:00:00Z' }, async () => {
  const services = buildServices(deps);
  const officer = await contextOf(services.directory, 'police.officer@harbour.example');
  const worker = await contextOf(services.directory, 'front.door@harbour.example');
  const manager = await contextOf(services.directory, 'mash.manager@harbour.example');
  const service = services.frontDoor;
  const { body } = await service.submitDan(officer, danBody({}, 'NB/26/TRUE-1'));
  contactId = body.contactId;
  const school = await services.directory.findAgencyByCode('school-riverside-primary-school');
  await service.sendEnquiries(worker, contactId, {
    agencyIds: [school!.id],
    question: 'Attendance and presentation?',
  });
  await service.decide(worker, contactId, {
    levelOfNeed: '3',
    outcome: 'early-help',
    rationale: 'Targeted early help.',
    feedback: 'Early help will contact the family.',
  });
  await service.signOff(manager, contactId, {
    agree: true,
    reason: 'Agreed: first incident, family engaging.',
  });
});

describe('what the front door shows is true', () => {
  it('the police view names the agencies asked instead of saying none was', async () => {
    const police = await signedIn(app, 'police.officer@harbour.example');
    const page = await police.get(`/front-door/contacts/${contactId}/enquiries`);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /No agency has been asked yet/);
    assert.match(
      page.body,
      /Asked: Riverside Primary School[^<]*\. What they were asked and what they answered is not shared/,
    );
  });

  it('sign-off and its reason are chronology entries for each child', async () => {
    for (const child of await contactPeople(deps, contactId, 'child')) {
      const entries = await rowsWhere(deps.db, 'chronology_event', { person_id: child, type: 'decision' });
      assert.ok(
        entries.some((e) =>
          /signed off the front-door decision .*Agreed: first incident, family engaging\./.test(e.summary),
        ),
        entries.map((e) => e.summary).join(' | '),
      );
    }
  });

  it('the person record shows the incident roles and relationships a DAN named, linked to the DAN', async () => {
    const people = await rowsWhere(deps.db, 'contact_person', { contact_id: contactId });
    const victim = people.find((p) => p.role === 'victim')!;
    const worker = await signedIn(app, 'front.door@harbour.example');
    const page = await worker.get(`/people/${victim.person_id}`);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /No relationships recorded/);
    assert.doesNotMatch(page.body, /No incident roles recorded/);
    assert.match(page.body, /NB\/26\/TRUE-1/);
    // The incident role links to the notification that named the person.
    assert.ok(page.body.includes(`href="/front-door/contacts/${contactId}">open the notification`));
    const relationships = await rowsWhere(deps.db, 'person_relationship', { person_id: victim.person_id });
    assert.deepEqual(relationships.map((r) => r.kind).sort(), ['lives-with', 'lives-with', 'partner']);
  });
});
