import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { syntheticNhsNumber } from '../../src/domain/identifiers.ts';
import { cliPrincipal } from '../../src/platform/principal.ts';
import { lastAuditEvent } from '../helpers/audit-events.ts';
import { rowCount, seededAgencyId } from '../helpers/deps.ts';
import { identifierList } from '../helpers/identifier-list.ts';
import { app, appPerFile, deps, services } from '../helpers/per-file.ts';
import { api, grantAccess } from './risk-helpers.ts';

let policeKey: string;
let healthKey: string;
let mashKey: string;
let child: {
  id: string;
  given_name: string;
  family_name: string;
  date_of_birth: string | null;
  area_id: string;
};
let address: { line1: string; postcode: string };

appPerFile({}, async () => {
  const { directory } = services;
  const cli = { principal: cliPrincipal('test') };
  policeKey = (await directory.createApiKey(cli, 'police', 'Police records system')).key;
  healthKey = (await directory.createApiKey(cli, 'community-health', 'Community health system')).key;
  mashKey = (await directory.createApiKey(cli, 'northbridge-csc', 'Children’s services case system')).key;
  child = await deps.db
    .selectFrom('person')
    .innerJoin('area', 'area.id', 'person.area_id')
    .select(['person.id', 'given_name', 'family_name', 'date_of_birth', 'area_id'])
    .where('person.kind', '=', 'child')
    .where('area.code', '=', 'northbridge')
    .orderBy('person.id')
    .executeTakeFirstOrThrow();
  address = await deps.db
    .selectFrom('person_address')
    .select(['line1', 'postcode'])
    .where('person_id', '=', child.id)
    .executeTakeFirstOrThrow();
});

function call(method: 'GET' | 'POST', url: string, key: string, payload?: unknown) {
  const client = api(app, key);
  return method === 'GET' ? client.get(url) : client.post(url, payload);
}

async function counts() {
  const [people, reviews] = await Promise.all([rowCount(deps, 'person'), rowCount(deps, 'match_review')]);
  return { people, reviews };
}

const sameChild = () => ({
  kind: 'child',
  givenName: child.given_name,
  familyName: child.family_name,
  dateOfBirth: child.date_of_birth,
  addresses: [{ line1: address.line1, postcode: address.postcode }],
});

describe('people API', () => {
  it('documents every people endpoint in OpenAPI', async () => {
    const doc = (await app.inject('/api/openapi.json')).json();
    assert.ok(doc.paths['/api/v1/people/match']?.post);
    assert.ok(doc.paths['/api/v1/people']?.post);
    assert.ok(doc.paths['/api/v1/people']?.get);
    assert.ok(doc.paths['/api/v1/people/{id}']?.get);
  });

  it('matches without writing: a partner with no need to know learns only that a possible match exists', async () => {
    // Decision 0008: this test used to assert the leak (the candidate's id, score, band and which
    // fields agreed went to a caller with no relationship). Now such a caller learns one thing.
    const before = await counts();
    const response = await call('POST', '/api/v1/people/match', policeKey, sameChild());
    assert.equal(response.statusCode, 200);
    const body = response.json();
    assert.deepEqual(body.candidates, [], 'no id, score, band or field of a record the police may not see');
    assert.equal(body.otherPossibleMatches, true);
    assert.match(body.message, /MASH will resolve it/);
    assert.doesNotMatch(response.body, new RegExp(child.id), 'the id appears nowhere in the answer');
    assert.deepEqual(await counts(), before, 'nothing written');
    const audit = await lastAuditEvent(deps.db);
    assert.equal(audit.action, 'person.match');
    assert.ok(audit.person_ids.includes(child.id), 'the disclosure is audited against the child');
  });

  it('shows identifying details of a candidate the caller is party to', async () => {
    await grantAccess(deps, {
      personId: child.id,
      agencyId: await seededAgencyId(deps, 'police'),
      areaId: child.area_id,
      basis: 'enquiry',
    });
    const { candidates } = (await call('POST', '/api/v1/people/match', policeKey, sameChild())).json();
    assert.equal(candidates[0].person.familyName, child.family_name);
    assert.ok(candidates[0].reasons.some((r: { detail?: string }) => r.detail));
  });

  it('rejects an invalid NHS number, UPN, postcode and a future date of birth, naming each field; nothing written', async () => {
    const before = await counts();
    for (const url of ['/api/v1/people', '/api/v1/people/match']) {
      const response = await call('POST', url, healthKey, {
        kind: 'child',
        givenName: 'Test',
        familyName: 'Child',
        dateOfBirth: '2999-12-31',
        identifiers: identifierList(['nhs', '9990000019'], ['upn', 'A999000000001']),
        addresses: [{ line1: '1 Test Road', postcode: 'XX99' }],
      });
      assert.equal(response.statusCode, 400);
      assert.match(String(response.headers['content-type']), /application\/problem\+json/);
      const fields = response
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort();
      assert.deepEqual(fields, [
        'addresses[0].postcode',
        'dateOfBirth',
        'identifiers[0].value',
        'identifiers[1].value',
      ]);
    }
    assert.deepEqual(await counts(), before);
  });

  it('answers 409 with the candidates when a likely duplicate exists, and creates with createAnyway (queued for review)', async () => {
    const before = await counts();
    const conflict = await call('POST', '/api/v1/people', healthKey, sameChild());
    assert.equal(conflict.statusCode, 409);
    assert.match(String(conflict.headers['content-type']), /application\/problem\+json/);
    // Decision 0008: health has no relationship with the child, so the 409 names no candidate
    // (this test used to read the child's id from it); it says only that a possible match exists.
    assert.deepEqual(conflict.json().candidates, []);
    assert.equal(conflict.json().otherPossibleMatches, true);
    assert.doesNotMatch(conflict.body, new RegExp(child.id));
    assert.deepEqual(await counts(), before, 'nothing written');
    const created = await call('POST', '/api/v1/people', healthKey, { ...sameChild(), createAnyway: true });
    assert.equal(created.statusCode, 201);
    assert.equal(created.json().reviewsQueued, 1);
    const after = await counts();
    assert.deepEqual(after, { people: before.people + 1, reviews: before.reviews + 1 });
  });

  it('creates a new person, reads it back with provenance, and finds it by free-text search', async () => {
    const nhs = syntheticNhsNumber(() => 0.777);
    const created = await call('POST', '/api/v1/people', healthKey, {
      kind: 'child',
      givenName: 'Zephyrine',
      familyName: 'Oyelaran-Pike',
      dateOfBirth: '2019-05-17',
      sex: 'female',
      ethnicity: 'BAFR',
      identifiers: [{ scheme: 'nhs', value: nhs }],
      addresses: [{ line1: '7 Larch Gardens', postcode: 'NB4 2RT' }],
    });
    assert.equal(created.statusCode, 201);
    const id = created.json().id;
    // Creating a record grants its creator no relationship (decision 0008: no agency grants
    // itself access). The MASH reads it back with the creator as the source of every fact.
    assert.equal((await call('GET', `/api/v1/people/${id}`, healthKey)).statusCode, 403);
    const read = await call('GET', `/api/v1/people/${id}`, mashKey);
    assert.equal(read.statusCode, 200);
    const person = read.json();
    assert.equal(person.ethnicity, 'BAFR');
    assert.equal(person.identifiers[0].value, nhs);
    assert.equal(person.identifiers[0].source, 'Harbourshire Community Health');
    assert.deepEqual(person.agencies, [], 'no agency outside the MASH has a relationship yet');
    const search = await call(
      'GET',
      `/api/v1/people?q=${encodeURIComponent('Zephyrine 17/05/2019')}`,
      mashKey,
    );
    assert.equal(search.statusCode, 200);
    assert.deepEqual(
      search.json().results.map((r: { id: string }) => r.id),
      [id],
    );
    const byNhs = await call(
      'GET',
      `/api/v1/people?q=${nhs.slice(0, 3)}%20${nhs.slice(3, 6)}%20${nhs.slice(6)}`,
      mashKey,
    );
    assert.deepEqual(
      byNhs.json().results.map((r: { id: string }) => r.id),
      [id],
    );
    const empty = await call('GET', '/api/v1/people', healthKey);
    assert.equal(empty.statusCode, 400);
    assert.equal(empty.json().errors[0].field, 'q');
  });

  it('refuses a record the caller has no need to know about, and audits the refusal', async () => {
    const response = await call('GET', `/api/v1/people/${child.id}`, healthKey);
    assert.equal(response.statusCode, 403);
    const audit = await lastAuditEvent(deps.db);
    assert.deepEqual(
      { action: audit.action, outcome: audit.outcome, person_ids: audit.person_ids },
      { action: 'person:view', outcome: 'denied', person_ids: [child.id] },
    );
  });
});
