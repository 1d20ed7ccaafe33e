import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rowCount } from '../helpers/deps.ts';
import { identifierList } from '../helpers/identifier-list.ts';
import { rowsAboutPerson } from '../helpers/people-fixtures.ts';
import { app, appPerFile, deps } from '../helpers/per-file.ts';
import { api, apiKeyFor } from './risk-helpers.ts';

let healthKey: string;
let mashKey: string;

// A partnership that defines an identifier type of its own: its youth offending case number.
const PARTNERSHIP = {
  matching: {
    identifierTypes: [
      {
        scheme: 'yot',
        label: 'Youth offending case number',
        pattern: '^YOT\\d{5}$',
        hint: 'YOT and five digits',
      },
    ],
  },
};

appPerFile({ partnership: PARTNERSHIP }, async () => {
  healthKey = await apiKeyFor(deps, 'community-health');
  mashKey = await apiKeyFor(deps, 'northbridge-csc');
});

function post(url: string, body: object, key = healthKey) {
  return api(app, key).post(url, body);
}

const child = {
  kind: 'child',
  givenName: 'Rory',
  familyName: 'Achterberg',
  dateOfBirth: '2011-10-02',
  sex: 'male',
  addresses: [{ line1: '3 Heron Close', postcode: 'NB1 4AA' }],
};

describe('identifiers as a typed list through the API', () => {
  it('describes the typed list in the OpenAPI document', async () => {
    const doc = (await app.inject('/api/openapi.json')).json();
    const text = JSON.stringify(doc);
    assert.match(text, /pnc \(Police National Computer id\)/);
    assert.match(text, /crn \(probation case reference number\)/);
  });

  it('refuses an unknown type and a value that does not fit its type, naming each field; nothing written', async () => {
    const before = await rowCount(deps, 'person');
    const response = await post('/api/v1/people', {
      ...child,
      identifiers: identifierList(['passport', '123'], ['pnc', '2019-0123'], ['crn', 'X12'], ['yot', 'YOT1']),
    });
    assert.equal(response.statusCode, 400, response.body);
    assert.match(String(response.headers['content-type']), /application\/problem\+json/);
    const errors = response.json().errors as { field: string; message: string }[];
    assert.deepEqual(
      errors.map((e) => e.field),
      ['identifiers[0].scheme', 'identifiers[1].value', 'identifiers[2].value', 'identifiers[3].value'],
    );
    assert.match(errors[0]!.message, /nhs, upn, la, police, pnc, crn, yot/);
    assert.match(errors[3]!.message, /YOT and five digits/);
    assert.equal(await rowCount(deps, 'person'), before);
  });

  it('stores PNC, CRN and partnership identifiers, and a shared CRN corroborates a changed surname', async () => {
    const created = await post('/api/v1/people', {
      ...child,
      identifiers: identifierList(['pnc', '2019/0123456X'], ['crn', 'x 123456'], ['yot', 'YOT00042']),
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id as string;
    const stored = await rowsAboutPerson(deps.db, 'person_identifier', id);
    assert.deepEqual(
      stored.map(({ scheme, value }) => ({ scheme, value })).sort((a, b) => a.scheme.localeCompare(b.scheme)),
      [
        { scheme: 'crn', value: 'X123456' },
        { scheme: 'pnc', value: '2019/0123456X' },
        { scheme: 'yot', value: 'YOT00042' },
      ],
    );
    const match = await post(
      '/api/v1/people/match',
      {
        ...child,
        familyName: 'Osei',
        identifiers: [{ scheme: 'crn', value: 'X123456' }],
      },
      mashKey,
    );
    assert.equal(match.statusCode, 200, match.body);
    const answer = match.json() as {
      candidates: { personId: string; band: string }[];
      otherPossibleMatches: boolean;
    };
    // The children's services case system acts as the MASH of the area, so it may see the record.
    const found = answer.candidates.find((c) => c.personId === id);
    assert.ok(found, match.body);
    assert.equal(found.band, 'auto-link');
    const withoutCrn = await post('/api/v1/people/match', { ...child, familyName: 'Osei' }, mashKey);
    const other = (withoutCrn.json() as typeof answer).candidates.find((c) => c.personId === id);
    assert.notEqual(other?.band, 'auto-link', 'without the CRN the changed surname is held for review');
  });
});
