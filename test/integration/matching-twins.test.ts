import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { transaction } from '../../src/db/database.ts';
import type { NewPerson } from '../../src/modules/people/service.ts';
import { contextOf } from '../helpers/deps.ts';
import { app, appPerFile, deps, services } from '../helpers/per-file.ts';
import { apiKeyFor, danBody } from './front-door-fixtures.ts';

let policeKey: string;

const HOME = { line1: '9 Gannet Terrace', town: 'Northbridge', postcode: 'NB2 5RT' };

appPerFile({ now: '2026-03-03T10:00:00Z' }, async () => {
  policeKey = await apiKeyFor(deps, 'police');
});

async function onFile(input: NewPerson): Promise<string> {
  const context = await contextOf(services.directory, 'front.door@harbour.example');
  const result = await transaction(deps.db, (trx) => services.people.resolvePerson(trx, context, input));
  assert.equal(result.outcome, 'new');
  return result.personId;
}

async function danFor(child: { givenName: string; sex: 'male' | 'female' }, reference: string) {
  const base = danBody({}, reference);
  const body = {
    ...base,
    incident: { ...base.incident, location: HOME },
    victim: { ...base.victim, familyName: 'Ashdown-Vey' },
    suspects: [],
    children: [
      {
        ...base.children[0]!,
        givenName: child.givenName,
        familyName: 'Ashdown-Vey',
        dateOfBirth: '2016-09-14',
        sex: child.sex,
        livesAtAddress: true,
      },
    ],
  };
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/domestic-abuse-notifications',
    headers: { authorization: `Bearer ${policeKey}` },
    payload: body as object,
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json() as { contactId: string };
}

/** Whose record the DAN's child landed on: the contact's child and the child's chronology event. */
async function landedOn(contactId: string) {
  const child = await deps.db
    .selectFrom('contact_person')
    .select(['person_id', 'match_outcome'])
    .where('contact_id', '=', contactId)
    .where('role', '=', 'child')
    .executeTakeFirstOrThrow();
  const events = await deps.db
    .selectFrom('chronology_event')
    .select('person_id')
    .where('subject_id', '=', contactId)
    .where('type', '=', 'dan')
    .execute();
  return { child, events: events.map((e) => e.person_id) };
}

describe('a DAN for one twin never lands on the other twin’s record', () => {
  it('Charlotte’s DAN, with only her twin brother Charlie on file, goes to a record of her own', async () => {
    const charlie = await onFile({
      kind: 'child',
      givenName: 'Charlie',
      familyName: 'Ashdown-Vey',
      dateOfBirth: '2016-09-14',
      sex: 'male',
      addresses: [HOME],
    });
    const { contactId } = await danFor({ givenName: 'Charlotte', sex: 'female' }, 'NB/26/TWIN-1');
    const landed = await landedOn(contactId);
    assert.notEqual(landed.child.person_id, charlie);
    assert.notEqual(landed.child.match_outcome, 'linked');
    assert.ok(!landed.events.includes(charlie), 'no chronology event on Charlie');
    assert.ok(landed.events.includes(landed.child.person_id), 'the event is on her own record');
    const charlieEvents = await deps.db
      .selectFrom('chronology_event')
      .select('id')
      .where('person_id', '=', charlie)
      .execute();
    assert.equal(charlieEvents.length, 0);
    // The pair is put in front of the MASH with the rule that held it.
    const review = await deps.db
      .selectFrom('match_review')
      .select('reasons')
      .where('person_id', '=', landed.child.person_id)
      .where('candidate_id', '=', charlie)
      .executeTakeFirstOrThrow();
    const reasons = (typeof review.reasons === 'string' ? JSON.parse(review.reasons) : review.reasons) as {
      rule?: string;
    }[];
    assert.ok(reasons.some((r) => r.rule === 'twin-different-sex'));
  });

  it('a second DAN for Charlie himself still links to Charlie (the rule is not a blanket refusal)', async () => {
    const people = await deps.db
      .selectFrom('person')
      .select(['id', 'given_name'])
      .where('family_name', '=', 'Ashdown-Vey')
      .where('kind', '=', 'child')
      .execute();
    const charlie = people.find((p) => p.given_name === 'Charlie')!.id;
    const { contactId } = await danFor({ givenName: 'Charlie', sex: 'male' }, 'NB/26/TWIN-2');
    const landed = await landedOn(contactId);
    assert.equal(landed.child.person_id, charlie);
    assert.equal(landed.child.match_outcome, 'linked');
    assert.ok(landed.events.includes(charlie));
  });
});
