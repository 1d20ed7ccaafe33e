import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { latestAuditEvent } from '../helpers/audit-events.ts';
import { dateFields } from '../helpers/date-fields.ts';
import { raiseFlag } from '../helpers/flags-api.ts';
import { signedIn } from '../helpers/http.ts';
import { app, appPerFile, deps } from '../helpers/per-file.ts';
import { api, apiKeyFor, household } from './risk-helpers.ts';

let hospital: ReturnType<typeof api>;
let flaggedChild: { id: string; givenName: string; familyName: string; dateOfBirth: string };
let twins: { ids: string[]; givenName: string; familyName: string; dateOfBirth: string };

/** Gives a person a new current name (both where it is held). */
async function rename(id: string, givenName: string, familyName: string, dateOfBirth: string) {
  await deps.db
    .updateTable('person')
    .set({ given_name: givenName, family_name: familyName, date_of_birth: dateOfBirth })
    .where('id', '=', id)
    .execute();
  await deps.db
    .updateTable('person_name')
    .set({ given_name: givenName, family_name: familyName })
    .where('person_id', '=', id)
    .where('kind', '=', 'current')
    .execute();
}

const lookup = (query: Record<string, string>) =>
  hospital.get(`/api/v1/health/lookup?${new URLSearchParams(query).toString()}`);

const attendances = async (personIds: readonly string[]) =>
  Number(
    (
      await deps.db
        .selectFrom('chronology_event')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('person_id', 'in', [...personIds])
        .where('type', '=', 'ed-attendance')
        .executeTakeFirstOrThrow()
    ).n,
  );

appPerFile({}, async () => {
  hospital = api(app, await apiKeyFor(deps, 'hospital'));
  const csc = api(app, await apiKeyFor(deps, 'northbridge-csc'));
  const one = await household(deps, 'northbridge', 1);
  flaggedChild = {
    id: one.childId,
    givenName: 'Marigold',
    familyName: 'Penhallow',
    dateOfBirth: '2017-08-14',
  };
  await rename(one.childId, flaggedChild.givenName, flaggedChild.familyName, flaggedChild.dateOfBirth);
  await raiseFlag(csc, one.childId, { type: 'child-protection-plan', start: '2026-02-02' });
  // Two children held with one name and date of birth; only the second has a flag.
  const a = await household(deps, 'northbridge', 2);
  const b = await household(deps, 'northbridge', 3);
  twins = {
    ids: [a.childId, b.childId],
    givenName: 'Rowan',
    familyName: 'Tregarthen',
    dateOfBirth: '2018-03-09',
  };
  for (const id of twins.ids) await rename(id, twins.givenName, twins.familyName, twins.dateOfBirth);
  await raiseFlag(csc, b.childId, { type: 'child-in-need', start: '2026-03-03' });
});

describe('GET /api/v1/health/lookup by name and date of birth', () => {
  it('finds one person by any case of their name: the flags, whom to call, and the attendance recorded', async () => {
    const before = await attendances([flaggedChild.id]);
    const response = await lookup({
      givenName: 'marigold',
      familyName: 'PENHALLOW',
      dateOfBirth: flaggedChild.dateOfBirth,
    });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.equal(body.answer, 'flags');
    assert.equal(body.searchedBy, 'name-and-date-of-birth');
    assert.equal(body.nhsNumber, null);
    assert.equal(body.personId, flaggedChild.id);
    assert.deepEqual(
      body.flags.map((f: { type: string; contact: string }) => [f.type, f.contact]),
      [['child-protection-plan', 'Northbridge MASH duty line 01632 960000']],
    );
    assert.equal(await attendances([flaggedChild.id]), before + 1);
  });

  it('several people with the name and date of birth: says so and that one has a flag, never which, and records no attendance', async () => {
    const before = await attendances(twins.ids);
    const response = await lookup({
      givenName: twins.givenName,
      familyName: twins.familyName,
      dateOfBirth: twins.dateOfBirth,
    });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.equal(body.answer, 'several-known');
    assert.equal(body.anyFlagged, true, 'never falsely reassuring: one of them has a flag');
    assert.equal(body.personId, null);
    assert.deepEqual(body.flags, []);
    assert.ok(body.mashAgencies.length > 0, 'whom to call: the MASH');
    for (const id of twins.ids) assert.doesNotMatch(response.body, new RegExp(id));
    assert.equal(await attendances(twins.ids), before);
    const audit = await latestAuditEvent(deps.db, 'health.lookup');
    assert.deepEqual([...audit.person_ids].sort(), [...twins.ids].sort(), 'the read of both is audited');
  });

  it('not known by name and date of birth; a bad date or nothing at all is a 400 naming the field', async () => {
    const unknown = await lookup({
      givenName: 'Zephyrine',
      familyName: 'Quockerwodger',
      dateOfBirth: '2016-01-01',
    });
    assert.equal(unknown.statusCode, 200);
    assert.equal(unknown.json().answer, 'not-known');
    const bad = await lookup({ givenName: 'Rowan', familyName: 'Tregarthen', dateOfBirth: '2018-02-30' });
    assert.equal(bad.statusCode, 400, bad.body);
    assert.match(bad.body, /dateOfBirth/);
    const nothing = await lookup({});
    assert.equal(nothing.statusCode, 400);
    assert.match(nothing.body, /nhsNumber/);
  });
});

describe('the ED nurse’s lookup page by name and date of birth', () => {
  it('shows whom to call for one child, the honest several-people answer, and the error summary for a missing date', async () => {
    const browser = await signedIn(app, 'ed.nurse@harbour.example');
    const blank = await browser.get('/health/lookup');
    assert.match(blank.body, /Look up by name and date of birth/);
    const [year, month, day] = flaggedChild.dateOfBirth.split('-');
    const one = await browser.post('/health/lookup', {
      by: 'name',
      givenName: flaggedChild.givenName,
      familyName: flaggedChild.familyName,
      ...dateFields('dateOfBirth', { day: String(Number(day)), month: String(Number(month)), year: year! }),
    });
    assert.equal(one.statusCode, 200, one.body);
    assert.match(one.body, /data-answer="flags"/);
    assert.match(one.body, /Northbridge MASH duty line 01632 960000/);
    const several = await browser.post('/health/lookup', {
      by: 'name',
      givenName: twins.givenName,
      familyName: twins.familyName,
      ...dateFields('dateOfBirth', { day: '9', month: '3', year: '2018' }),
    });
    assert.equal(several.statusCode, 200, several.body);
    assert.match(several.body, /data-answer="several-known"/);
    assert.match(
      several.body,
      /At least one of the people held with this name and date of birth has a safeguarding flag/,
    );
    assert.doesNotMatch(several.body, /child in need/i, 'not which flag');
    const missing = await browser.post('/health/lookup', {
      by: 'name',
      givenName: 'Rowan',
      familyName: '',
      ...dateFields('dateOfBirth', { day: '9', month: '', year: '2018' }),
    });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /govuk-error-summary/);
    assert.match(missing.body, /href="#familyName"/);
    assert.match(missing.body, /href="#dateOfBirth-day"/);
    assert.match(missing.body, /value="Rowan"/, 'what was typed is kept');
  });
});
