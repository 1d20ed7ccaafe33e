import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isTemporaryUpn,
  isValidNhsNumber,
  isValidUpn,
  nhsCheckDigit,
  normaliseNhsNumber,
  normalisePostcode,
  normaliseUpn,
  postcodeDistrict,
  syntheticNhsNumber,
  syntheticUpn,
  upnCheckLetter,
} from '../../src/domain/identifiers.ts';

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('NHS number', () => {
  it('computes the modulus-11 check digit', () => {
    // 9*10+4*9+3*8+4*7+7*6+6*5+5*4+9*3+1*2 = 299; 299 mod 11 = 2; 11 - 2 = 9
    assert.equal(nhsCheckDigit('943476591'), 9);
    // 4*10+0+1*8+0+2*6+3*5+2*4+1*3+3*2 = 92; 92 mod 11 = 4; 11 - 4 = 7
    assert.equal(nhsCheckDigit('401023213'), 7);
  });

  it('has no valid check digit when the remainder is 1', () => {
    // 9*10+9*9+9*8 = 243; 243 mod 11 = 1; 11 - 1 = 10, which is never issued
    assert.equal(nhsCheckDigit('999000000'), null);
  });

  it('maps a check value of 11 to 0', () => {
    // 1*10 + 6*2 = 22; 22 mod 11 = 0; 11 - 0 = 11, written as 0
    assert.equal(nhsCheckDigit('100000006'), 0);
    assert.equal(isValidNhsNumber('1000000060'), true);
  });

  it('accepts valid numbers with spaces or hyphens', () => {
    for (const value of ['9434765919', '943 476 5919', '943-476-5919', '4010232137'])
      assert.equal(isValidNhsNumber(value), true, value);
    assert.equal(normaliseNhsNumber(' 943 476 5919 '), '9434765919');
  });

  it('rejects wrong check digits, single-digit typos and transpositions', () => {
    for (const value of ['9434765918', '9434765819', '9434769519'])
      assert.equal(isValidNhsNumber(value), false, value);
    assert.equal(normaliseNhsNumber('9434765918'), null);
  });

  it('rejects the wrong length, letters and placeholder runs of one digit', () => {
    for (const value of ['943476591', '94347659190', '94347A5919', ''])
      assert.equal(isValidNhsNumber(value), false, value);
    // 1111111111 passes the arithmetic (54 mod 11 = 10 -> check 1) but is a placeholder.
    assert.equal(isValidNhsNumber('1111111111'), false);
    assert.equal(isValidNhsNumber('0000000000'), false);
  });

  it('generates valid synthetic numbers in the 999 test range, reproducibly', () => {
    const random = seededRandom(42);
    const numbers = Array.from({ length: 200 }, () => syntheticNhsNumber(random));
    for (const n of numbers) {
      assert.match(n, /^999\d{7}$/);
      assert.equal(isValidNhsNumber(n), true, n);
    }
    const again = seededRandom(42);
    assert.equal(syntheticNhsNumber(again), numbers[0]);
  });
});

describe('UPN', () => {
  it('computes the DfE modulus-23 check letter', () => {
    // 8*2 + 1*4 + 2*5 + 5*10 + 1*13 = 93; 93 mod 23 = 1 -> B
    assert.equal(upnCheckLetter('801200005001'), 'B');
    // 2*2+4*7+9*1+10*6+12*4+13*9 = 266; 266 mod 23 = 13 -> P (the alphabet skips I, O and S)
    assert.equal(upnCheckLetter('207000016049'), 'P');
  });

  it('accepts valid permanent and temporary UPNs, any case and spacing', () => {
    assert.equal(isValidUpn('P207000016049'), true);
    assert.equal(isValidUpn('p207 0000 16049'), true);
    // Temporary: last character A counts as 0, so the sum is 266 - 117 = 149; 149 mod 23 = 11 -> M
    assert.equal(isValidUpn('M20700001604A'), true);
    assert.equal(isTemporaryUpn('M20700001604A'), true);
    assert.equal(isTemporaryUpn('P207000016049'), false);
    assert.equal(normaliseUpn(' p207000016049'), 'P207000016049');
  });

  it('rejects wrong check letters, bad shapes and excluded letters', () => {
    for (const value of ['Q207000016049', 'P20700001604', 'P2070000160490', 'P2070000A6049', '120700001604A'])
      assert.equal(isValidUpn(value), false, value);
    // I, O and S are not used as the temporary suffix.
    assert.equal(upnCheckLetter('20700001604O'), null);
    assert.equal(normaliseUpn('Q207000016049'), null);
  });

  it('generates valid synthetic UPNs, permanent and temporary', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 200; i++) {
      const permanent = syntheticUpn(random);
      assert.equal(isValidUpn(permanent), true, permanent);
      assert.equal(isTemporaryUpn(permanent), false);
      const temporary = syntheticUpn(random, { temporary: true });
      assert.equal(isValidUpn(temporary), true, temporary);
      assert.equal(isTemporaryUpn(temporary), true);
    }
  });
});

describe('postcodes', () => {
  it('normalises case and spacing to the canonical form', () => {
    assert.equal(normalisePostcode('sw1a1aa'), 'SW1A 1AA');
    assert.equal(normalisePostcode('  ec1a  1bb '), 'EC1A 1BB');
    assert.equal(normalisePostcode('M11AE'), 'M1 1AE');
    assert.equal(normalisePostcode('B33 8TH'), 'B33 8TH');
    assert.equal(normalisePostcode('DN55-1PT'), 'DN55 1PT');
    assert.equal(normalisePostcode('W1A 0AX'), 'W1A 0AX');
    assert.equal(normalisePostcode('gir 0aa'), 'GIR 0AA');
  });

  it('rejects malformed postcodes', () => {
    assert.equal(normalisePostcode(''), null);
    assert.equal(normalisePostcode('AB1 2C'), null);
    assert.equal(normalisePostcode('QA1 1AA'), null); // Q never starts a postcode
    assert.equal(normalisePostcode('SW1A 1AI'), null); // I never appears in the inward code
    assert.equal(normalisePostcode('12345'), null);
    assert.equal(normalisePostcode('SW1A 1AAA'), null);
  });

  it('extracts the district (outward code)', () => {
    assert.equal(postcodeDistrict('sw1a 1aa'), 'SW1A');
    assert.equal(postcodeDistrict('M1 1AE'), 'M1');
    assert.equal(postcodeDistrict('LS6 2AB'), 'LS6');
    assert.equal(postcodeDistrict('not a postcode'), null);
  });
});
