import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blockingKeys, type PersonRecord } from '../../src/domain/matching.ts';

const ella: PersonRecord = {
  givenName: 'Ella-Mae',
  familyName: 'Smith',
  dateOfBirth: '2014-04-03',
  postcode: 'ls6 2ab',
  nhsNumber: '999 000 0018',
};

function shareKey(a: PersonRecord, b: PersonRecord): boolean {
  const keys = new Set(blockingKeys(a));
  return blockingKeys(b).some((k) => keys.has(k));
}

describe('blockingKeys', () => {
  it('produces plain prefixed strings without duplicates', () => {
    const keys = blockingKeys(ella);
    assert.equal(new Set(keys).size, keys.length);
    for (const key of keys) assert.match(key, /^[a-z0-9-]+:\S/);
    assert.ok(keys.includes('nhs:9990000018'));
    assert.ok(keys.includes('pc-yr:LS6 2AB:2014'));
  });

  it('is deterministic', () => {
    assert.deepEqual(blockingKeys({ ...ella }), blockingKeys({ ...ella }));
  });

  it('keys the day/month-swapped date so swapped records meet', () => {
    const keys = blockingKeys(ella);
    assert.ok(keys.some((k) => k.startsWith('dob-nm:2014-04-03:')));
    assert.ok(keys.some((k) => k.startsWith('dob-nm:2014-03-04:')));
    const swapped = { givenName: 'Ellamae', familyName: 'Smith-Jones', dateOfBirth: '2014-03-04' };
    assert.ok(shareKey(ella, swapped));
  });

  it('does not add a swapped date when the day cannot be a month', () => {
    const keys = blockingKeys({ ...ella, dateOfBirth: '2014-04-23' });
    assert.ok(!keys.some((k) => k.includes('2014-23-04')));
  });

  it('brings together nicknames, transposed names and aliased surnames without identifiers', () => {
    const william = { givenName: 'William', familyName: 'Brown', dateOfBirth: '2012-06-30' };
    assert.ok(shareKey(william, { givenName: 'Bill', familyName: 'Browne', dateOfBirth: '2012-06-30' }));
    assert.ok(shareKey(william, { givenName: 'Brown', familyName: 'William', dateOfBirth: '2013-01-01' }));
    assert.ok(
      shareKey(william, {
        givenName: 'Will',
        familyName: 'Okafor',
        otherNames: ['Brown'],
        dateOfBirth: '2012-06-30',
      }),
    );
  });

  it('brings together records whose names and birth date both changed when the postcode agrees', () => {
    const before = { givenName: 'Kai', familyName: 'Brown', dateOfBirth: '2012-06-30', postcode: 'M1 1AE' };
    const after = { givenName: 'Kai', familyName: 'Okafor', dateOfBirth: '2012-07-30', postcode: 'm11ae' };
    assert.ok(shareKey(before, after));
  });

  // Each new key kind: the two records meet, through that kind, and a change of the one field it
  // keys on keeps them apart.
  const newKinds: {
    kind: string;
    key: string;
    before: PersonRecord;
    after: PersonRecord;
    apart: Partial<PersonRecord>;
  }[] = [
    {
      kind: 'gn-md: a birth year one out when the surname and home changed too',
      key: 'gn-md:12-11:kailey',
      before: {
        givenName: 'Kailey',
        familyName: 'Ankunding',
        dateOfBirth: '2018-12-11',
        postcode: 'LS24 0JS',
      },
      after: { givenName: 'KAILEY', familyName: 'Glover', dateOfBirth: '2019-12-11', postcode: 'LS5 4SE' },
      apart: { givenName: 'Oliver' },
    },
    {
      kind: 'pc-hn: one house, with the names and birth date all mangled',
      key: 'pc-hn:LS6 2AB:592',
      before: {
        givenName: 'Jamie',
        familyName: 'Hoffman',
        postcode: 'LS6 2AB',
        addressLine: '592 Dalrymple Street',
      },
      after: {
        givenName: 'Jajie',
        familyName: 'Hofmfan',
        postcode: 'ls62ab',
        addressLine: '592 Dalrymple S treet',
      },
      apart: { addressLine: '14 Dalrymple Street' },
    },
  ];
  for (const { kind, key, before, after, apart } of newKinds) {
    it(`brings together ${kind}`, () => {
      assert.ok(shareKey(before, after));
      assert.ok(blockingKeys(before).includes(key) && blockingKeys(after).includes(key), key);
      assert.ok(!shareKey(before, { ...after, ...apart }), `apart with ${JSON.stringify(apart)}`);
    });
  }

  it('does not key an NHS number that fails its check digit unless validation is off', () => {
    const invalid = { ...ella, nhsNumber: '9990000019' };
    assert.ok(!blockingKeys(invalid).some((k) => k.startsWith('nhs:')));
    assert.ok(blockingKeys(invalid, { validateIdentifiers: false }).includes('nhs:9990000019'));
  });

  it('keeps unrelated children apart', () => {
    assert.ok(
      !shareKey(ella, {
        givenName: 'Oliver',
        familyName: 'Nowak',
        dateOfBirth: '2010-11-21',
        postcode: 'M1 1AE',
      }),
    );
  });
});
