import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { overwriteExcept } from '../../src/db/upsert.ts';

describe('what an upsert overwrites', () => {
  it('is every column of the row but the key and those the first insert settles', () => {
    const row = { child_person_id: 'c', area_id: 'a', level: 'high', summary_id: null };
    assert.deepEqual(overwriteExcept(row, 'child_person_id', 'area_id'), { level: 'high', summary_id: null });
  });

  it('leaves the row it was given as it was', () => {
    const row = { agency_id: 'x', email: 'e' };
    overwriteExcept(row, 'agency_id');
    assert.deepEqual(row, { agency_id: 'x', email: 'e' });
  });
});
