import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffRecords } from '../../src/domain/record-diff.ts';

describe('diffRecords: field-level change between two versions of a record', () => {
  it('lists only the fields whose value changed, in field order, with from and to', () => {
    assert.deepEqual(
      diffRecords(
        { sex: null, language: 'en', ethnicity: 'WBRI' },
        { sex: 'female', language: 'en', ethnicity: 'WIRI' },
      ),
      [
        { field: 'ethnicity', from: 'WBRI', to: 'WIRI' },
        { field: 'sex', from: null, to: 'female' },
      ],
    );
  });

  it('treats a field missing on one side as null, and a created or removed record as all fields', () => {
    assert.deepEqual(diffRecords({ a: 1 }, { b: 2 }), [
      { field: 'a', from: 1, to: null },
      { field: 'b', from: null, to: 2 },
    ]);
    assert.deepEqual(diffRecords(null, { status: 'open' }), [{ field: 'status', from: null, to: 'open' }]);
    assert.deepEqual(diffRecords({ status: 'open' }, null), [{ field: 'status', from: 'open', to: null }]);
    assert.deepEqual(diffRecords({ a: undefined }, { a: null }), []);
  });

  it('compares dates by instant and objects by content, whatever the key order', () => {
    assert.deepEqual(
      diffRecords(
        { at: new Date('2026-01-01T00:00:00Z'), sources: { b: 1, a: [1, { y: 2, x: 1 }] } },
        { at: new Date('2026-01-01T00:00:00.000Z'), sources: { a: [1, { x: 1, y: 2 }], b: 1 } },
      ),
      [],
    );
    assert.deepEqual(
      diffRecords({ at: new Date('2026-01-01T00:00:00Z') }, { at: new Date('2026-01-02T00:00:00Z') }),
      [{ field: 'at', from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T00:00:00.000Z' }],
    );
    assert.deepEqual(diffRecords({ tags: ['a', 'b'] }, { tags: ['b', 'a'] }), [
      { field: 'tags', from: ['a', 'b'], to: ['b', 'a'] },
    ]);
  });

  it('leaves out the fields it is told to ignore', () => {
    assert.deepEqual(
      diffRecords({ updated_at: 1, sex: null }, { updated_at: 2, sex: 'male' }, ['updated_at']),
      [{ field: 'sex', from: null, to: 'male' }],
    );
  });
});
