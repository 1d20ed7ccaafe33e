import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nullWhereAbsent } from '../../src/domain/optional-answers.ts';

interface Answers {
  given?: string;
  left?: string;
  cleared?: string | null;
  count?: number;
  flag?: boolean;
  note?: string;
}

describe('nullWhereAbsent: optional answers kept as null when not given', () => {
  it('keeps a given answer and makes a missing, undefined or null one null, under the same names', () => {
    const answers: Answers = { given: 'yes', left: undefined, cleared: null };
    assert.deepEqual(nullWhereAbsent(answers, ['given', 'left', 'cleared', 'note']), {
      given: 'yes',
      left: null,
      cleared: null,
      note: null,
    });
  });

  it('keeps false, zero and the empty string: only absence becomes null', () => {
    const answers: Answers = { count: 0, flag: false, note: '' };
    assert.deepEqual(nullWhereAbsent(answers, ['count', 'flag', 'note']), {
      count: 0,
      flag: false,
      note: '',
    });
  });

  it('takes only the keys named, in the order named', () => {
    const answers: Answers = { given: 'a', note: 'b', count: 3 };
    const kept = nullWhereAbsent(answers, ['note', 'given']);
    assert.deepEqual(Object.keys(kept), ['note', 'given']);
    assert.deepEqual(kept, { note: 'b', given: 'a' });
    assert.deepEqual(nullWhereAbsent(answers, []), {});
  });

  it('with a map, keeps each answer under the name given for it (a row’s column)', () => {
    const answers: Answers = { given: 'x', count: 0, cleared: null };
    const row = nullWhereAbsent(answers, {
      given_at: 'given',
      left_at: 'left',
      cleared_on: 'cleared',
      n: 'count',
    });
    assert.deepEqual(row, { given_at: 'x', left_at: null, cleared_on: null, n: 0 });
    assert.deepEqual(Object.keys(row), ['given_at', 'left_at', 'cleared_on', 'n']);
    assert.deepEqual(nullWhereAbsent(answers, {}), {});
  });

  it('leaves the answers it reads unchanged and shares nothing with them but the values', () => {
    const school = { name: 'Hill Primary' };
    const answers = { school, health: undefined as { name: string } | undefined };
    const kept = nullWhereAbsent(answers, ['school', 'health']);
    assert.equal(kept.school, school);
    assert.deepEqual(answers, { school, health: undefined });
    assert.ok(Object.hasOwn(answers, 'health'));
  });
});
