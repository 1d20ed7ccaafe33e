import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BUILT_IN_IDENTIFIER_TYPES,
  identifierProblem,
  identifierTypes,
  normaliseIdentifierValue,
  patternProblem,
} from '../../src/domain/identifier-types.ts';
import { blockingKeys, type PersonRecord, scoreCandidate } from '../../src/domain/matching.ts';
import { parsePartnershipSettings } from '../../src/partnership-settings.ts';

const type = (scheme: string) => BUILT_IN_IDENTIFIER_TYPES.find((t) => t.scheme === scheme)!;

describe('identifier types', () => {
  it('knows NHS number, UPN, LA id, force reference, PNC id and CRN', () => {
    assert.deepEqual(
      BUILT_IN_IDENTIFIER_TYPES.map((t) => t.scheme),
      ['nhs', 'upn', 'la', 'police', 'pnc', 'crn'],
    );
  });

  it('checks NHS numbers and UPNs by check digit, PNC ids and CRNs by pattern', () => {
    assert.equal(identifierProblem(type('nhs'), '999 000 0018'), null);
    assert.match(String(identifierProblem(type('nhs'), '9990000019')), /NHS number is not valid/);
    assert.equal(identifierProblem(type('pnc'), '2019/0123456X'), null);
    assert.equal(identifierProblem(type('pnc'), '19/123456x'), null, 'case and spaces do not matter');
    assert.match(
      String(identifierProblem(type('pnc'), '2019-0123456')),
      /Police National Computer id is not valid/,
    );
    assert.equal(identifierProblem(type('crn'), 'X123456'), null);
    assert.match(String(identifierProblem(type('crn'), 'X12345')), /a letter and six digits/);
    assert.match(String(identifierProblem(type('la'), '  ')), /Enter the Local authority person id/);
  });

  it('normalises patterned values to upper case without spaces', () => {
    assert.equal(normaliseIdentifierValue(type('crn'), ' x 123456 '), 'X123456');
    assert.equal(normaliseIdentifierValue(type('la'), ' C-12 '), 'C-12');
  });

  it('adds a partnership’s own types after the built-in ones, and rejects a reused scheme or a bad pattern', () => {
    const custom = {
      scheme: 'ssn',
      label: 'Social security id',
      pattern: '^\\d{7}$',
      hint: 'seven digits',
      m: 0.9,
      u: 1e-7,
    };
    assert.equal(identifierTypes([custom]).at(-1)!.scheme, 'ssn');
    assert.equal(identifierProblem(custom, '1234567'), null);
    assert.ok(patternProblem('(unclosed'));
    const parsed = parsePartnershipSettings({
      matching: {
        identifierTypes: [
          { ...custom, scheme: 'nhs' },
          { ...custom, pattern: '(' },
        ],
      },
    });
    assert.equal(parsed.ok, false);
    if (!parsed.ok) {
      assert.ok(parsed.errors.some((e) => /identifierTypes\/0\/scheme/.test(e)));
      assert.ok(parsed.errors.some((e) => /identifierTypes\/1\/pattern/.test(e)));
    }
    const good = parsePartnershipSettings({
      matching: {
        identifierTypes: [{ scheme: 'ssn', label: 'SSN', pattern: '^\\d{7}$', hint: 'seven digits' }],
      },
    });
    assert.ok(good.ok);
    if (good.ok) assert.equal(good.settings.matching.identifierTypes[0]!.m, 0.9, 'weights have defaults');
  });
});

describe('matching on other identifier types', () => {
  const a: PersonRecord = {
    givenName: 'Kai',
    familyName: 'Brennan',
    dateOfBirth: '2009-06-30',
    otherIdentifiers: [{ scheme: 'crn', value: 'X123456' }],
  };

  it('keys each identifier by its scheme, so the same value under two schemes never meets', () => {
    assert.ok(blockingKeys(a).includes('id:crn:X123456'));
    assert.ok(
      !blockingKeys({ ...a, otherIdentifiers: [{ scheme: 'pnc', value: 'X123456' }] }).includes(
        'id:crn:X123456',
      ),
    );
  });

  it('weights an agreement by the type’s own m and u, and lets it corroborate a changed surname', () => {
    const changed = { ...a, familyName: 'Osei' };
    const result = scoreCandidate(a, changed, { identifierWeights: { crn: { m: 0.9, u: 1e-7 } } });
    const reason = result.reasons.find((r) => r.field === 'otherIdentifier')!;
    assert.equal(reason.agreement, 'exact');
    assert.equal(reason.weight, Math.round(Math.log2(0.9 / 1e-7) * 100) / 100);
    assert.ok(!result.reasons.some((r) => r.rule === 'surname-differs'));
    const without = scoreCandidate({ ...a, otherIdentifiers: [] }, { ...changed, otherIdentifiers: [] });
    assert.ok(without.reasons.some((r) => r.rule === 'surname-differs'));
  });

  it('counts two values under one scheme as a conflict', () => {
    const result = scoreCandidate(a, { ...a, otherIdentifiers: [{ scheme: 'crn', value: 'Y654321' }] });
    const reason = result.reasons.find((r) => r.field === 'otherIdentifier')!;
    assert.equal(reason.agreement, 'disagree');
    assert.ok(reason.weight < 0);
  });
});
