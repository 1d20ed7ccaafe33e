import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededAgencyId } from '../helpers/deps.ts';
import { signedIn } from '../helpers/http.ts';
import { personRecord, rowsAboutPerson } from '../helpers/people-fixtures.ts';
import { app, appPerFile, deps } from '../helpers/per-file.ts';
import { rowWhere } from '../helpers/rows.ts';
import { seededAreaId } from '../helpers/seeded-areas.ts';
import { putOnSchoolRoll } from './risk-helpers.ts';

let pupilId: string;
let otherChildId: string;
let southmereChildId: string;

appPerFile({}, async () => {
  const school = await seededAgencyId(deps, 'school-riverside-primary-school');
  // Give the demo DSL's school a pupil whatever the generator chose.
  const northbridge = await seededAreaId(deps.db, 'northbridge');
  const children = await deps.db
    .selectFrom('person')
    .select('id')
    .where('kind', '=', 'child')
    .where('area_id', '=', northbridge)
    .orderBy('id')
    .execute();
  pupilId = children[0]!.id;
  otherChildId = children[1]!.id;
  await deps.db.deleteFrom('access_relationship').where('agency_id', '=', school).execute();
  await putOnSchoolRoll(deps, { childId: pupilId, areaId: northbridge }, school);
  const southmere = await seededAreaId(deps.db, 'southmere');
  southmereChildId = (await rowWhere(deps.db, 'person', { area_id: southmere, kind: 'child' })).id;
});

async function eventsFor(personId: string) {
  return deps.db
    .selectFrom('audit_event')
    .select(['action', 'outcome', 'actor_name'])
    .where((eb) => eb(eb.val(personId), '=', eb.fn.any('person_ids')))
    .orderBy('seq')
    .execute();
}

describe('need-to-know access to people', () => {
  it('shows a MASH practitioner a child in their area, and audits the view', async () => {
    const browser = await signedIn(app, 'front.door@harbour.example');
    const page = await browser.get(`/people/${otherChildId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Personal details/);
    assert.match(page.body, /Household/);
    // Panels on the page (chronology, risk) audit their own reads after the person view.
    const events = await eventsFor(otherChildId);
    assert.deepEqual(events.filter((e) => e.action === 'person.view').at(-1), {
      action: 'person.view',
      outcome: 'allowed',
      actor_name: 'Priya Front-Door',
    });
  });

  it('refuses a MASH practitioner a child in another area, and audits the refusal', async () => {
    const browser = await signedIn(app, 'front.door@harbour.example');
    const page = await browser.get(`/people/${southmereChildId}`);
    assert.equal(page.statusCode, 403);
    const events = await eventsFor(southmereChildId);
    assert.deepEqual(events.at(-1), {
      action: 'person:view',
      outcome: 'denied',
      actor_name: 'Priya Front-Door',
    });
  });

  it('lets a school see its own pupil but no other child', async () => {
    const browser = await signedIn(app, 'school.dsl@harbour.example');
    assert.equal((await browser.get(`/people/${pupilId}`)).statusCode, 200);
    assert.equal((await browser.get(`/people/${otherChildId}`)).statusCode, 403);
    const search = await browser.get('/people?kind=child&name=a');
    assert.equal(search.statusCode, 200);
    const linked = [...search.body.matchAll(/href="\/people\/([0-9a-f-]{36})"/g)].map((m) => m[1]);
    assert.ok(
      linked.every((id) => id === pupilId),
      'search shows only the school’s pupils',
    );
  });

  it('gives a system administrator no access to case data', async () => {
    const browser = await signedIn(app, 'admin@harbour.example');
    assert.equal((await browser.get(`/people/${pupilId}`)).statusCode, 403);
    assert.equal((await browser.get('/people')).statusCode, 403);
  });

  it('shows a manager who has looked at a record, including refused attempts', async () => {
    const browser = await signedIn(app, 'mash.manager@harbour.example');
    const log = await browser.get(`/people/${otherChildId}/access-log`);
    assert.equal(log.statusCode, 200);
    assert.match(log.body, /Priya Front-Door/);
    assert.match(log.body, /Dana DSL/);
    assert.match(log.body, /Refused/);
    const practitioner = await signedIn(app, 'front.door@harbour.example');
    assert.equal((await practitioner.get(`/people/${otherChildId}/access-log`)).statusCode, 403);
  });

  it('finds people by approximate name, date of birth or identifier', async () => {
    const person = await personRecord(deps.db, otherChildId);
    const browser = await signedIn(app, 'front.door@harbour.example');
    const typo = `${person.family_name.slice(0, -1)}${person.family_name.endsWith('e') ? 'a' : 'e'}`;
    const byName = await browser.get(`/people?name=${encodeURIComponent(`${person.given_name} ${typo}`)}`);
    assert.match(byName.body, new RegExp(otherChildId));
    const byDob = await browser.get(`/people?dateOfBirth=${person.date_of_birth}`);
    assert.match(byDob.body, new RegExp(otherChildId));
    const nhs = (await rowsAboutPerson(deps.db, 'person_identifier', otherChildId)).find(
      (i) => i.scheme === 'nhs',
    )!;
    const byId = await browser.get(`/people?identifier=${nhs.value}`);
    assert.match(byId.body, new RegExp(otherChildId));
    const bad = await browser.get('/people?postcode=12345');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /govuk-error-summary/);
  });
});
