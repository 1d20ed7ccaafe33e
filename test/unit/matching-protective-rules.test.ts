import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { protectiveRules } from '../../src/domain/matching/protective-rules.ts';
import { type MatchResult, type PersonRecord, scoreCandidate } from '../../src/domain/matching.ts';

const NHS_A = '9990000018';

const charlie: PersonRecord = {
  givenName: 'Charlie',
  familyName: 'Okafor',
  dateOfBirth: '2016-09-14',
  sex: 'male',
  postcode: 'LS6 2AB',
  addressLine: '7 Brudenell Grove',
};
const charlotte: PersonRecord = { ...charlie, givenName: 'Charlotte', sex: 'female' };

function fired(result: MatchResult): string[] {
  return result.reasons.filter((r) => r.field === 'rule').map((r) => r.rule ?? '');
}

/** Whether the twins rule fires on a pair, for the tests that look at nothing else of the score. */
function twinRuleFires(a: PersonRecord, b: PersonRecord): boolean {
  return fired(scoreCandidate(a, b)).includes('twin-different-sex');
}

describe('protective rule: different sex, same birth date and home (twins)', () => {
  it('never auto-links Charlotte to her twin Charlie, although Charlie is one of her nicknames', () => {
    const result = scoreCandidate(charlotte, charlie);
    const given = result.reasons.find((r) => r.field === 'givenName')!;
    assert.equal(given.agreement, 'partial', 'the names count as a nickname pair');
    assert.ok(result.score >= 20, `score ${result.score} would reach the shipped auto-link threshold`);
    assert.notEqual(result.band, 'auto-link');
    assert.ok(fired(result).includes('twin-different-sex'));
  });

  it('holds even when the names are identical and an NHS number agrees', () => {
    const a = { ...charlie, givenName: 'Alex', nhsNumber: NHS_A };
    const b = { ...a, sex: 'female' as const };
    const result = scoreCandidate(a, b);
    assert.equal(result.band, 'review');
    assert.ok(fired(result).includes('twin-different-sex'));
  });

  it('holds when the surname has a typo or only the postcode is shared', () => {
    const typo = { ...charlotte, familyName: 'Okafur', addressLine: undefined };
    const result = scoreCandidate(typo, charlie);
    assert.notEqual(result.band, 'auto-link');
    assert.ok(fired(result).includes('twin-different-sex'));
  });

  it('does not fire when the sexes agree, the birth dates differ or there is no shared home', () => {
    assert.ok(!twinRuleFires({ ...charlotte, sex: 'male' }, charlie));
    assert.ok(!twinRuleFires({ ...charlotte, dateOfBirth: '2017-01-02' }, charlie));
    const moved = { ...charlotte, postcode: 'M1 1AE', addressLine: '1 Other Street' };
    assert.ok(!twinRuleFires(moved, charlie));
  });

  it('holds when one record has no address at all (a twin named by a nickname of the other twin’s middle name)', () => {
    const leland: PersonRecord = {
      givenName: 'Leland Alex',
      familyName: 'Rogahn',
      dateOfBirth: '2010-06-19',
      sex: 'male',
      postcode: 'LS27 8GW',
      addressLine: '6 Zieme Close',
    };
    // Her twin's surname and birth date, and no address.
    const lexi: PersonRecord = {
      givenName: 'Lexi',
      familyName: leland.familyName,
      dateOfBirth: leland.dateOfBirth,
      sex: 'female',
    };
    const result = scoreCandidate(lexi, leland);
    assert.notEqual(result.band, 'auto-link');
    assert.ok(fired(result).includes('twin-different-sex'));
  });

  it('does not fire when sex is missing on one record', () => {
    const { sex: _sex, ...unsexed } = charlotte;
    assert.ok(!twinRuleFires(unsexed, charlie));
  });
});

describe('protective rule: a different surname needs corroboration', () => {
  const okonkwo: PersonRecord = {
    givenName: 'Theodora',
    familyName: 'Okonkwo',
    dateOfBirth: '2015-02-11',
    sex: 'female',
    postcode: 'BD7 1DP',
    addressLine: '22 Thornton Road',
  };

  it('sends "Theodora Okonkwo" / "Theodora Smith" at one home and birth date to review, not auto-link', () => {
    const smith = { ...okonkwo, familyName: 'Smith' };
    const result = scoreCandidate(okonkwo, smith);
    assert.ok(result.score >= 20, `score ${result.score} would reach the shipped auto-link threshold`);
    assert.equal(result.band, 'review');
    assert.ok(fired(result).includes('surname-differs'));
  });

  it('links when an identifier corroborates the change', () => {
    const result = scoreCandidate(
      { ...okonkwo, nhsNumber: NHS_A },
      { ...okonkwo, familyName: 'Smith', nhsNumber: NHS_A },
    );
    assert.equal(result.band, 'auto-link');
    assert.ok(!fired(result).includes('surname-differs'));
    const la = scoreCandidate(
      { ...okonkwo, localAuthorityId: 'C12345' },
      { ...okonkwo, familyName: 'Smith', localAuthorityId: 'C12345' },
    );
    assert.ok(!fired(la).includes('surname-differs'));
  });

  it('links when the old surname is recorded as a previous name', () => {
    const result = scoreCandidate(okonkwo, {
      ...okonkwo,
      familyName: 'Smith',
      otherNames: ['Theodora Okonkwo'],
    });
    assert.equal(result.band, 'auto-link');
    assert.ok(!fired(result).includes('surname-differs'));
  });

  it('treats close typos as the same surname: similar spelling, one letter, same sound', () => {
    for (const typo of ['Okonkow', 'Okonkwa', 'Okonqwo']) {
      const result = scoreCandidate(okonkwo, { ...okonkwo, familyName: typo });
      assert.ok(!fired(result).includes('surname-differs'), typo);
      assert.equal(result.band, 'auto-link', typo);
    }
    const lee = { ...okonkwo, familyName: 'Lee' };
    const result = scoreCandidate(lee, { ...lee, familyName: 'Lea' });
    assert.equal(result.reasons.find((r) => r.field === 'familyName')!.detail, 'one letter different');
    assert.ok(!fired(result).includes('surname-differs'));
  });

  it('does not count a double-barrelled surname, one run together or transposed names as a different surname', () => {
    const cases: [PersonRecord, PersonRecord][] = [
      [okonkwo, { ...okonkwo, familyName: 'Okonkwo-Smith' }],
      [
        { ...okonkwo, familyName: 'Okonkwo Smith' },
        { ...okonkwo, familyName: 'OkonkwoSmith' },
      ],
      [okonkwo, { ...okonkwo, givenName: 'Okonkwo', familyName: 'Theodora' }],
    ];
    for (const [a, b] of cases) {
      const result = scoreCandidate(a, b);
      assert.ok(!fired(result).includes('surname-differs'), `${a.familyName} / ${b.familyName}`);
    }
  });

  it('does not take agreement on every other field as corroboration of a changed surname', () => {
    const smith = { ...okonkwo, familyName: 'Smith' };
    const result = scoreCandidate(okonkwo, smith);
    for (const field of ['givenName', 'dateOfBirth', 'sex', 'postcode', 'addressLine'])
      assert.equal(result.reasons.find((r) => r.field === field)?.agreement, 'exact', field);
    assert.equal(result.band, 'review');
  });

  it('never raises a band: a pair below review stays below review', () => {
    const stranger: PersonRecord = { givenName: 'Marek', familyName: 'Nowak', dateOfBirth: '2010-01-01' };
    const result = scoreCandidate(okonkwo, stranger);
    assert.equal(result.band, 'no-match');
  });
});

describe('protectiveRules on levels', () => {
  it('returns nothing for an ordinary agreeing pair', () => {
    const level = { familyName: 'exact', dateOfBirth: 'exact', sex: 'agree' };
    assert.deepEqual(protectiveRules(level, false, false), []);
  });
  it('names both rules when both apply', () => {
    const level = { familyName: 'disagree', dateOfBirth: 'exact', sex: 'disagree' };
    // A different surname is not a shared household, so only the surname rule fires here.
    assert.deepEqual(
      protectiveRules(level, false, false).map((c) => c.rule),
      ['surname-differs'],
    );
    assert.deepEqual(
      protectiveRules({ ...level, familyName: 'fuzzyLow' }, false, false).map((c) => c.rule),
      ['twin-different-sex'],
    );
    assert.deepEqual(protectiveRules({ ...level, familyName: 'fuzzyLow' }, false, true), []);
    assert.deepEqual(protectiveRules(level, true, false), []);
  });
});
