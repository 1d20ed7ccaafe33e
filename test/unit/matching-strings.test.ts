import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { areNicknames, formalNamesFor } from '../../src/domain/matching/nicknames.ts';
import { phoneticKey } from '../../src/domain/matching/phonetic.ts';
import { editDistanceWithin, jaroWinkler, keystrokeTypo, words } from '../../src/domain/matching/strings.ts';

describe('words', () => {
  it('folds case, diacritics, apostrophes and punctuation', () => {
    assert.deepEqual(words("Zoë O'Brien-Smith"), ['zoe', 'obrien', 'smith']);
    assert.deepEqual(words('  ELLA-MAE  '), ['ella', 'mae']);
    assert.deepEqual(words('Ellamae'), ['ellamae']);
    assert.deepEqual(words('Renée D’Arcy'), ['renee', 'darcy']);
  });

  it('returns no words for empty or punctuation-only input', () => {
    assert.deepEqual(words(undefined), []);
    assert.deepEqual(words(' - '), []);
  });
});

describe('jaroWinkler', () => {
  it('matches the textbook values', () => {
    assert.equal(jaroWinkler('martha', 'marhta').toFixed(3), '0.961');
    assert.equal(jaroWinkler('dwayne', 'duane').toFixed(3), '0.840');
    assert.equal(jaroWinkler('dixon', 'dicksonx').toFixed(3), '0.813');
  });

  it('is 1 for equal strings and 0 for nothing in common or empty', () => {
    assert.equal(jaroWinkler('smith', 'smith'), 1);
    assert.equal(jaroWinkler('abc', 'xyz'), 0);
    assert.equal(jaroWinkler('', 'smith'), 0);
  });
});

describe('editDistanceWithin', () => {
  it('counts substitutions, insertions, deletions and adjacent transpositions', () => {
    assert.equal(editDistanceWithin('1234567', '1234567', 1), 0);
    assert.equal(editDistanceWithin('1234567', '1234557', 1), 1);
    assert.equal(editDistanceWithin('1234567', '1243567', 1), 1);
    assert.equal(editDistanceWithin('1234567', '123567', 1), 1);
  });

  it('stops once the limit is exceeded', () => {
    assert.equal(editDistanceWithin('1234567', '7654321', 1), 2);
    assert.equal(editDistanceWithin('12', '123456', 1), 2);
  });
});

describe('phoneticKey', () => {
  it('gives spelling variants of one name the same key', () => {
    assert.equal(phoneticKey('catherine'), phoneticKey('katherine'));
    assert.equal(phoneticKey('smith'), phoneticKey('smyth'));
    assert.equal(phoneticKey('phillips'), phoneticKey('filips'));
    assert.equal(phoneticKey('macdonald'), phoneticKey('mcdonald'));
  });

  it('keeps different names apart', () => {
    assert.notEqual(phoneticKey('smith'), phoneticKey('jones'));
    assert.notEqual(phoneticKey('ella'), phoneticKey('emma'));
  });

  it('marks a leading vowel sound', () => {
    assert.equal(phoneticKey('ella'), 'V4');
    assert.equal(phoneticKey(''), '');
  });
});

describe('nicknames', () => {
  it('recognises common English short forms in either direction', () => {
    assert.equal(areNicknames('bill', 'william'), true);
    assert.equal(areNicknames('william', 'bill'), true);
    assert.equal(areNicknames('liz', 'elizabeth'), true);
    assert.equal(areNicknames('alfie', 'alfred'), true);
    assert.equal(areNicknames('bill', 'liam'), true);
  });

  it('does not pair unrelated names or a name with itself', () => {
    assert.equal(areNicknames('bill', 'elizabeth'), false);
    assert.equal(areNicknames('william', 'william'), false);
    assert.equal(areNicknames('zebedee', 'william'), false);
  });

  it('lists the formal names a short form belongs to', () => {
    assert.deepEqual(formalNamesFor('bill'), ['william']);
    assert.deepEqual(formalNamesFor('ellie').sort(), ['elizabeth', 'ellen', 'eleanor'].sort());
    assert.deepEqual(formalNamesFor('zebedee'), []);
  });
});

describe('keystrokeTypo', () => {
  // One keystroke inside a name is a typo; a different first or last letter (how siblings' names
  // differ), two keystrokes, a one-letter name or the same name is not.
  const cases: [string, string, boolean][] = [
    ['rebecca', 'rebeca', true],
    ['samantha', 'smantha', true],
    ['aiden', 'aidan', true],
    ['ray', 'rya', true],
    ['may', 'my', true],
    ['oliver', 'olliver', true],
    ['ava', 'eva', false],
    ['jayden', 'hayden', false],
    ['louis', 'louie', false],
    ['lily', 'lila', false],
    ['jack', 'jake', false],
    ['ella', 'ellie', false],
    ['jo', 'j', false],
    ['same', 'same', false],
  ];
  for (const [a, b, typo] of cases) {
    it(`${a} / ${b}: ${typo ? 'a typo' : 'not a typo'}`, () => {
      assert.equal(keystrokeTypo(a, b), typo);
      assert.equal(keystrokeTypo(b, a), typo, 'either way round');
    });
  }
});
