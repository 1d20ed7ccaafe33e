import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_MATCH_THRESHOLDS,
  DEFAULT_MATCH_WEIGHTS,
  type MatchResult,
  type PersonRecord,
  rankCandidates,
  scoreCandidate,
} from '../../src/domain/matching.ts';

// Valid NHS numbers in the 999 test range (check digits computed by hand: see identifiers tests).
const NHS_A = '9990000018'; // 9*10+9*9+9*8+1*2 = 245; 245 mod 11 = 3; 11 - 3 = 8
const NHS_B = '9990000026'; // 243 + 2*2 = 247; 247 mod 11 = 5; 11 - 5 = 6

const ella: PersonRecord = {
  givenName: 'Ella-Mae',
  familyName: 'Smith',
  dateOfBirth: '2014-04-03',
  sex: 'female',
  postcode: 'LS6 2AB',
  addressLine: '12 Acacia Avenue',
};

function reason(result: MatchResult, field: string) {
  const found = result.reasons.find((r) => r.field === field);
  assert.ok(found, `no reason for ${field}`);
  return found;
}

function rules(result: MatchResult): string[] {
  return result.reasons.filter((r) => r.field === 'rule').map((r) => r.detail);
}

/** Two records of one household (Ella's) that differ only in given name, and in sex if given. */
function householdPair(a: string, b: string, sexOfB?: 'male' | 'female'): MatchResult {
  const first = { ...ella, givenName: a };
  return scoreCandidate(first, { ...first, givenName: b, ...(sexOfB ? { sex: sexOfB } : {}) });
}

/** A record as it reads after the child has moved to another home. */
function movedAway(record: PersonRecord): PersonRecord {
  return { ...record, postcode: 'M1 1AE', addressLine: '4 New Street' };
}

function ruleNames(result: MatchResult): string[] {
  return result.reasons.flatMap((r) => (r.field === 'rule' && r.rule ? [r.rule] : []));
}

describe('scoreCandidate: names', () => {
  it('links the police and school records of one child despite punctuation, surname and date format', () => {
    const school: PersonRecord = {
      givenName: 'Ellamae',
      familyName: 'Smith-Jones',
      dateOfBirth: '2014-03-04',
      sex: 'female',
      postcode: 'ls62ab',
      addressLine: '12 Acacia Ave',
    };
    const result = scoreCandidate(ella, school);
    assert.equal(result.band, 'auto-link');
    assert.equal(reason(result, 'givenName').agreement, 'exact');
    assert.equal(reason(result, 'familyName').agreement, 'partial');
    assert.match(reason(result, 'familyName').detail, /hyphenated/);
    assert.match(reason(result, 'dateOfBirth').detail, /swapped/);
    assert.equal(reason(result, 'postcode').agreement, 'exact');
    assert.equal(reason(result, 'addressLine').agreement, 'exact');
  });

  it('scores the sum of the reason weights', () => {
    const result = scoreCandidate(ella, { ...ella, givenName: 'Ellie' });
    const sum = result.reasons.reduce((total, r) => total + r.weight, 0);
    assert.ok(Math.abs(result.score - sum) < 0.01);
  });

  it('treats case and diacritics as no difference', () => {
    const result = scoreCandidate({ ...ella, givenName: 'Zoë' }, { ...ella, givenName: 'ZOE' });
    assert.equal(reason(result, 'givenName').agreement, 'exact');
  });

  it('counts a nickname as a partial given-name agreement that can still auto-link', () => {
    const william = { ...ella, givenName: 'William', sex: 'male' as const };
    const result = scoreCandidate(william, { ...william, givenName: 'Bill' });
    assert.equal(reason(result, 'givenName').agreement, 'partial');
    assert.match(reason(result, 'givenName').detail, /nickname/);
    assert.ok(reason(result, 'givenName').weight > 0);
    assert.equal(result.band, 'auto-link');
  });

  it('counts one given name contained in the other (Ella / Ella-Mae) as a variant', () => {
    const result = scoreCandidate(ella, { ...ella, givenName: 'Ella' });
    assert.match(reason(result, 'givenName').detail, /part of the other/);
    assert.ok(reason(result, 'givenName').weight > 0);
  });

  it('scores a one-letter typo in a given name as a partial agreement', () => {
    const result = scoreCandidate({ ...ella, givenName: 'Jessica' }, { ...ella, givenName: 'Jesica' });
    assert.equal(reason(result, 'givenName').agreement, 'partial');
    assert.ok(reason(result, 'givenName').weight > 0);
  });

  it('matches a changed surname through a recorded alias', () => {
    const renamed: PersonRecord = { ...ella, familyName: 'Jones', otherNames: ['Ella-Mae Smith'] };
    const result = scoreCandidate(ella, renamed);
    assert.equal(reason(result, 'familyName').agreement, 'partial');
    assert.match(reason(result, 'familyName').detail, /previous or other surname/);
    assert.equal(result.band, 'auto-link');
  });

  it('scores a changed surname without an alias as a disagreement', () => {
    const result = scoreCandidate(ella, { ...ella, familyName: 'Jones' });
    assert.equal(reason(result, 'familyName').agreement, 'disagree');
    assert.ok(reason(result, 'familyName').weight < 0);
    // Same given name, birth date and home, but nothing records or corroborates a change of
    // surname: a person decides (protective rule surname-differs).
    assert.equal(result.band, 'review');
    assert.ok(result.reasons.some((r) => r.rule === 'surname-differs'));
    // After a move as well, a person should look.
    const moved = scoreCandidate(ella, movedAway({ ...ella, familyName: 'Jones' }));
    assert.equal(moved.band, 'review');
  });

  it('recognises given and family names written the other way round', () => {
    const result = scoreCandidate(
      { ...ella, givenName: 'Nguyen', familyName: 'Linh' },
      { ...ella, givenName: 'Linh', familyName: 'Nguyen' },
    );
    assert.match(reason(result, 'givenName').detail, /other way round/);
    assert.ok(reason(result, 'givenName').weight > 0);
  });

  it('treats a placeholder given name such as "Baby" as missing', () => {
    const result = scoreCandidate({ ...ella, givenName: 'Baby' }, ella);
    assert.equal(reason(result, 'givenName').agreement, 'missing');
    assert.equal(reason(result, 'givenName').weight, 0);
  });

  it('gives a common surname less weight than a rare one when frequencies are supplied', () => {
    const frequency = (name: string) => (name === 'smith' ? 0.012 : name === 'okonkwo' ? 0.00002 : undefined);
    const options = { termFrequencies: { familyName: frequency } };
    const smith = scoreCandidate(ella, ella, options);
    const okonkwo = scoreCandidate(
      { ...ella, familyName: 'Okonkwo' },
      { ...ella, familyName: 'Okonkwo' },
      options,
    );
    assert.ok(reason(okonkwo, 'familyName').weight > reason(smith, 'familyName').weight + 5);
    assert.match(reason(smith, 'familyName').detail, /1 in 83 people/);
  });
});

describe('scoreCandidate: twins and siblings', () => {
  it('never auto-links twins: same surname, birth date, address and sex, different given names', () => {
    const twin: PersonRecord = { ...ella, givenName: 'Grace' };
    const result = scoreCandidate(ella, twin);
    assert.notEqual(result.band, 'auto-link');
    assert.equal(reason(result, 'givenName').agreement, 'disagree');
    assert.ok(rules(result).some((r) => /twin/.test(r)));
  });

  it('keeps twins apart even when one record lacks the postcode', () => {
    const { postcode: _omit, ...noPostcode } = { ...ella, givenName: 'Grace' };
    assert.notEqual(scoreCandidate(ella, noPostcode).band, 'auto-link');
  });

  it('does not auto-link twins whose names only sound alike or differ at the start or the end', () => {
    const twinsNames = 'Jack/Jake Aiden/Jayden Ava/Eva Lily/Lila Louis/Louie';
    for (const [a, b] of twinsNames.split(' ').map((p) => p.split('/') as [string, string])) {
      assert.notEqual(householdPair(a, b).band, 'auto-link', `${a} / ${b}`);
    }
    const result = householdPair('Louis', 'Louie');
    assert.equal(reason(result, 'givenName').agreement, 'partial');
    assert.equal(result.band, 'review');
    assert.ok(ruleNames(result).includes('household-given-typo'));
  });

  it('links a keystroke typo inside a given name within one household, and names why', () => {
    const typos = 'Rebecca/Rebeca Samantha/Smantha Aiden/Aidan Ray/Rya May/My';
    for (const [a, b] of typos.split(' ').map((p) => p.split('/') as [string, string])) {
      const result = householdPair(a, b);
      assert.equal(reason(result, 'givenName').detail, 'one keystroke apart inside the name');
      assert.equal(result.band, 'auto-link', `${a} / ${b}`);
      assert.ok(ruleNames(result).includes('given-keystroke-typo'), `${a} / ${b}`);
      assert.ok(!ruleNames(result).includes('household-given-typo'), `${a} / ${b}`);
    }
  });

  it('still holds a keystroke given-name typo when the recorded sexes differ (twins)', () => {
    const result = householdPair('Daniel', 'Danie', 'male'); // Ella's record is female
    assert.notEqual(result.band, 'auto-link');
    assert.ok(ruleNames(result).includes('twin-different-sex'));
  });

  it('still auto-links a one-letter given-name typo once the child has moved', () => {
    const rebecca = { ...ella, givenName: 'Rebecca' };
    const result = scoreCandidate(rebecca, movedAway({ ...rebecca, givenName: 'Rebeca' }));
    assert.equal(result.band, 'auto-link');
  });

  it('does not auto-link a nickname when one record has no birth date (Chris: Christopher or Christina?)', () => {
    const { dateOfBirth: _omit, ...noDate } = { ...ella, givenName: 'Chris', sex: undefined };
    const result = scoreCandidate({ ...ella, givenName: 'Christina' }, noDate);
    assert.notEqual(result.band, 'auto-link');
  });

  it('does not auto-link a brother and sister with similar names born the same day', () => {
    const alexander = { ...ella, givenName: 'Alexander', sex: 'male' as const };
    const result = scoreCandidate(alexander, { ...alexander, givenName: 'Alexandra', sex: 'female' });
    assert.equal(reason(result, 'sex').agreement, 'disagree');
    assert.notEqual(result.band, 'auto-link');
  });

  it('does not match siblings: same surname and address, different given name and birth date', () => {
    const sibling: PersonRecord = { ...ella, givenName: 'Oliver', sex: 'male', dateOfBirth: '2011-09-17' };
    assert.equal(scoreCandidate(ella, sibling).band, 'no-match');
  });

  it('does not auto-link siblings with similar names and different birth dates', () => {
    const katherine = { ...ella, givenName: 'Katherine' };
    const result = scoreCandidate(katherine, {
      ...katherine,
      givenName: 'Katheryn',
      dateOfBirth: '2008-02-04',
    });
    assert.notEqual(result.band, 'auto-link');
  });

  it('gives a shared address less weight when the surname also agrees', () => {
    const sameSurname = scoreCandidate(ella, { ...ella, givenName: 'Grace' });
    const otherSurname = scoreCandidate(ella, { ...ella, givenName: 'Grace', familyName: 'Brown' });
    assert.ok(reason(sameSurname, 'postcode').weight < reason(otherSurname, 'postcode').weight);
  });
});

describe('scoreCandidate: dates of birth', () => {
  const cases: [string, string, RegExp][] = [
    ['2014-04-03', 'exact', /same date/],
    ['2014-03-04', 'partial', /swapped/],
    ['2015-04-03', 'partial', /year one apart/],
    ['2014-04-08', 'partial', /one digit/],
    ['2014-04-30', 'partial', /one digit different or two transposed/],
    ['2012-11-20', 'disagree', /days apart/],
  ];
  for (const [date, agreement, detail] of cases) {
    it(`scores 2014-04-03 against ${date} as ${agreement}`, () => {
      const result = scoreCandidate(ella, { ...ella, dateOfBirth: date });
      assert.equal(reason(result, 'dateOfBirth').agreement, agreement);
      assert.match(reason(result, 'dateOfBirth').detail, detail);
    });
  }

  it('orders the date levels by weight: exact > swapped > year off > one digit > disagree', () => {
    const levels = cases.filter((_, i) => i !== 4);
    const weights = levels.map(
      ([date]) => reason(scoreCandidate(ella, { ...ella, dateOfBirth: date }), 'dateOfBirth').weight,
    );
    for (let i = 1; i < weights.length; i++) assert.ok(weights[i - 1]! > weights[i]!, `${weights}`);
  });

  it('never auto-links on a disagreeing birth date without an identifier', () => {
    const result = scoreCandidate(ella, { ...ella, dateOfBirth: '2012-11-20' });
    assert.notEqual(result.band, 'auto-link');
  });
});

describe('scoreCandidate: postcode, address and sex', () => {
  it('scores the same district as partial and a different area as disagreement', () => {
    const district = scoreCandidate(ella, { ...ella, postcode: 'LS6 4QT', addressLine: '3 Other Road' });
    assert.equal(reason(district, 'postcode').agreement, 'partial');
    assert.match(reason(district, 'postcode').detail, /LS6/);
    const elsewhere = scoreCandidate(ella, { ...ella, postcode: 'M1 1AE' });
    assert.equal(reason(elsewhere, 'postcode').agreement, 'disagree');
    assert.ok(reason(elsewhere, 'postcode').weight < 0);
  });

  it('still links a child who has moved when names and birth date agree', () => {
    const moved = scoreCandidate(ella, movedAway(ella));
    assert.equal(moved.band, 'auto-link');
  });

  it('treats "other" and "unknown" sex as missing', () => {
    const result = scoreCandidate(ella, { ...ella, sex: 'unknown' });
    assert.equal(reason(result, 'sex').agreement, 'missing');
  });
});

describe('scoreCandidate: identifiers', () => {
  it('auto-links on an agreeing NHS number even when little else agrees', () => {
    const result = scoreCandidate(
      { ...ella, nhsNumber: NHS_A },
      { givenName: 'Ellie', familyName: 'Jones', dateOfBirth: '2014-04-08', nhsNumber: '999 000 0018' },
    );
    assert.equal(reason(result, 'nhsNumber').agreement, 'exact');
    assert.equal(result.band, 'auto-link');
    assert.ok(rules(result).some((r) => /decisive/.test(r)));
  });

  it('holds an agreeing NHS number for review when birth dates are far apart', () => {
    const result = scoreCandidate(
      { ...ella, nhsNumber: NHS_A },
      { ...ella, nhsNumber: NHS_A, dateOfBirth: '2009-01-20' },
    );
    assert.equal(result.band, 'review');
  });

  it("holds an agreeing NHS number for review when given names differ (a sibling's number)", () => {
    const result = scoreCandidate(
      { ...ella, nhsNumber: NHS_A },
      { ...ella, givenName: 'Grace', nhsNumber: NHS_A },
    );
    assert.equal(result.band, 'review');
  });

  it('never auto-links on conflicting NHS numbers, however well the rest agrees', () => {
    const result = scoreCandidate({ ...ella, nhsNumber: NHS_A }, { ...ella, nhsNumber: NHS_B });
    assert.equal(reason(result, 'nhsNumber').agreement, 'disagree');
    assert.ok(reason(result, 'nhsNumber').weight < -8);
    assert.notEqual(result.band, 'auto-link');
    assert.ok(rules(result).some((r) => /conflict/.test(r)));
  });

  it('ignores an NHS number that fails its check digit', () => {
    const result = scoreCandidate({ ...ella, nhsNumber: NHS_A }, { ...ella, nhsNumber: '9990000019' });
    assert.equal(reason(result, 'nhsNumber').agreement, 'missing');
    assert.equal(result.band, 'auto-link');
  });

  it('does not treat a temporary UPN and a permanent one as a conflict', () => {
    const result = scoreCandidate({ ...ella, upn: 'M20700001604A' }, { ...ella, upn: 'P207000016049' });
    assert.equal(reason(result, 'upn').agreement, 'missing');
  });

  it('counts agreeing UPNs and agency references strongly', () => {
    const upn = scoreCandidate({ ...ella, upn: 'P207000016049' }, { ...ella, upn: 'p207000016049' });
    assert.ok(reason(upn, 'upn').weight > 15);
    const police = scoreCandidate(
      { ...ella, policeReference: 'WY-123' },
      { ...ella, policeReference: 'wy123' },
    );
    assert.equal(reason(police, 'policeReference').agreement, 'exact');
  });
});

describe('scoreCandidate: missing fields', () => {
  it('gives missing fields no weight and says so', () => {
    const result = scoreCandidate({ givenName: 'Ella-Mae', familyName: 'Smith' }, ella);
    for (const field of ['dateOfBirth', 'sex', 'postcode', 'addressLine', 'nhsNumber']) {
      assert.equal(reason(result, field).agreement, 'missing', field);
      assert.equal(reason(result, field).weight, 0, field);
    }
  });

  it('does not auto-link on names alone', () => {
    const result = scoreCandidate({ givenName: 'Ella-Mae', familyName: 'Smith' }, ella);
    assert.notEqual(result.band, 'auto-link');
  });
});

describe('options and ranking', () => {
  it('uses the thresholds passed in', () => {
    const pair = [ella, movedAway(ella)] as const;
    const score = scoreCandidate(...pair).score;
    assert.equal(
      scoreCandidate(...pair, { thresholds: { autoLink: score + 1, review: score - 1 } }).band,
      'review',
    );
  });

  it('uses the weights passed in', () => {
    const weights = {
      ...DEFAULT_MATCH_WEIGHTS,
      sex: { agree: { m: 0.5, u: 0.5 }, disagree: { m: 0.5, u: 0.5 } },
    };
    assert.equal(reason(scoreCandidate(ella, ella, { weights }), 'sex').weight, 0);
  });

  it('returns plausible candidates best first, without no-matches, keeping extra fields', () => {
    const candidates = [
      { id: 'sibling', ...ella, givenName: 'Oliver', sex: 'male' as const, dateOfBirth: '2011-09-17' },
      { id: 'moved', ...movedAway(ella) },
      { id: 'same', ...ella },
      { id: 'review', givenName: 'Ella', familyName: 'Smythe', dateOfBirth: '2014-04-03' },
    ];
    const ranked = rankCandidates(ella, candidates, DEFAULT_MATCH_THRESHOLDS);
    assert.deepEqual(
      ranked.map((r) => r.candidate.id),
      ['same', 'moved', 'review'],
    );
    assert.equal(ranked[0]!.band, 'auto-link');
    assert.equal(ranked[2]!.band, 'review');
  });
});
