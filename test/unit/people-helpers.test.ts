import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blockingKeys } from '../../src/domain/matching.ts';
import {
  alignedRecord,
  blockingKeysOf,
  currentFirst,
  matchRecords,
  type PersonFacts,
  primaryRecord,
} from '../../src/modules/people/match-records.ts';
import { interpretQuery, searchDate } from '../../src/modules/people/search-query.ts';

const facts: PersonFacts = {
  givenName: 'Ella-Mae',
  familyName: 'Quennell',
  dateOfBirth: '2014-04-03',
  sex: 'female',
  otherNames: [
    { givenName: 'Ellie', familyName: 'Quennell' },
    { givenName: 'Ellamae', familyName: 'Quennell-Jones' },
  ],
  addresses: [
    { line1: '2 Heron Close', postcode: 'NB2 7BD' },
    { line1: '14 Kestrel Way', postcode: 'NB1 4AA' },
  ],
  identifiers: [
    { scheme: 'nhs', value: '9990000018' },
    { scheme: 'nhs', value: '9990000026' },
    { scheme: 'upn', value: 'P207000016049' },
  ],
};

describe('currentFirst', () => {
  it('puts open addresses before ended ones, latest start first', () => {
    const ordered = currentFirst([
      { id: 'old', fromDate: '2010-01-01', toDate: '2019-12-31' },
      { id: 'undated', fromDate: null, toDate: null },
      { id: 'new', fromDate: '2024-01-01', toDate: null },
    ]);
    assert.deepEqual(
      ordered.map((a) => a.id),
      ['new', 'undated', 'old'],
    );
  });
});

describe('match records of a stored person', () => {
  it('scores the current name with every other name, the current address and the first identifier of each scheme', () => {
    assert.deepEqual(primaryRecord(facts), {
      givenName: 'Ella-Mae',
      familyName: 'Quennell',
      otherNames: ['Ellie Quennell', 'Ellamae Quennell-Jones'],
      dateOfBirth: '2014-04-03',
      sex: 'female',
      postcode: 'NB2 7BD',
      addressLine: '2 Heron Close',
      nhsNumber: '9990000018',
      upn: 'P207000016049',
    });
  });

  it('uses the expected date of an unborn child as the date to match on', () => {
    const unborn = primaryRecord({ ...facts, dateOfBirth: null, expectedDate: '2026-08-01' });
    assert.equal(unborn.dateOfBirth, '2026-08-01');
  });

  it('adds a variant per past address and per extra identifier, so blocking finds them', () => {
    const records = matchRecords(facts);
    assert.equal(records.length, 3);
    const keys = blockingKeysOf(facts);
    for (const record of records) for (const key of blockingKeys(record)) assert.ok(keys.includes(key));
    assert.ok(keys.includes('nhs:9990000026'));
    assert.ok(keys.some((k) => k.includes('NB1 4AA')));
    assert.deepEqual(keys, [...keys].sort(), 'sorted');
    assert.equal(new Set(keys).size, keys.length, 'no repeats');
  });

  it('gives the same keys whatever order the facts come in', () => {
    const shuffled: PersonFacts = {
      ...facts,
      otherNames: [...facts.otherNames].reverse(),
      identifiers: [...facts.identifiers].reverse(),
      addresses: [...facts.addresses].reverse(),
    };
    assert.deepEqual(blockingKeysOf(shuffled), blockingKeysOf(facts));
  });

  it('aligns a stored person to a query: the shared past address and the quoted identifier', () => {
    const aligned = alignedRecord(facts, {
      givenName: 'Ella',
      familyName: 'Quennell',
      postcode: 'NB1 4AA',
      addressLine: '14 kestrel way',
      nhsNumber: '9990000026',
    });
    assert.equal(aligned.postcode, 'NB1 4AA');
    assert.equal(aligned.addressLine, '14 Kestrel Way');
    assert.equal(aligned.nhsNumber, '9990000026');
    const unrelated = alignedRecord(facts, { givenName: 'Ella', familyName: 'Q', postcode: 'SQ1 1AA' });
    assert.equal(unrelated.postcode, 'NB2 7BD', 'otherwise the current address');
    assert.equal(unrelated.nhsNumber, '9990000018');
  });
});

describe('interpretQuery', () => {
  it('picks a UK date, a postcode and leaves the name', () => {
    assert.deepEqual(interpretQuery('Ella Quennell 03/04/2014 nb1 4aa'), {
      name: 'Ella Quennell',
      dateOfBirth: '2014-04-03',
      postcode: 'NB1 4AA',
    });
  });

  it('reads an NHS number typed with spaces, and an ISO date', () => {
    assert.deepEqual(interpretQuery('999 000 0018 2014-04-03'), {
      identifier: '9990000018',
      dateOfBirth: '2014-04-03',
    });
  });

  it('reads a postcode without its space and a UPN', () => {
    assert.deepEqual(interpretQuery('NB14AA'), { postcode: 'NB1 4AA' });
    assert.deepEqual(interpretQuery('p207000016049'), { identifier: 'P207000016049' });
  });

  it('treats other references as identifiers, and plain words as a name', () => {
    assert.deepEqual(interpretQuery('HP/2026/001234'), { identifier: 'HP/2026/001234' });
    assert.deepEqual(interpretQuery('  smith  '), { name: 'smith' });
  });
});

describe('searchDate', () => {
  it('reads ISO and UK day-first dates as one ISO date', () => {
    for (const typed of ['2018-06-14', '14/06/2018', '14/6/2018', '14.06.2018'])
      assert.equal(searchDate(typed), '2018-06-14', typed);
  });

  it('refuses dates that do not exist and text that is not a date', () => {
    for (const typed of ['31/02/2018', '2018-02-30', '29/02/2019', '14/13/2018', 'tomorrow', '14/06/18'])
      assert.equal(searchDate(typed), null, typed);
    assert.equal(searchDate('29/02/2020'), '2020-02-29');
  });
});
