import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, GENESIS_HASH, hashAuditRow } from '../../src/platform/audit.ts';

const row = {
  id: '7c3d1c1e-0000-4000-8000-000000000001',
  occurred_at: new Date('2026-11-26T10:00:00.123Z'),
  actor_user_id: null,
  actor_name: 'Harbour',
  actor_agency_id: null,
  channel: 'system',
  action: 'person.view',
  outcome: 'allowed',
  subject_type: 'person',
  subject_id: 'p1',
  person_ids: ['7c3d1c1e-0000-4000-8000-000000000002'],
  area_id: null,
  reason: null,
  request_id: 'r1',
  details: { b: 1, a: { d: [1, 2], c: 'x' } },
  prev_hash: GENESIS_HASH,
};

describe('audit hashing', () => {
  it('serialises objects with sorted keys so a jsonb round trip hashes the same', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [1, 2], c: 'x' } }), '{"a":{"c":"x","d":[1,2]},"b":1}');
    assert.equal(hashAuditRow(row), hashAuditRow({ ...row, details: { a: { c: 'x', d: [1, 2] }, b: 1 } }));
  });

  it('changes the hash when any chained field or the previous hash changes', () => {
    const original = hashAuditRow(row);
    assert.match(original, /^[0-9a-f]{64}$/);
    for (const changed of [
      { ...row, action: 'person.update' },
      { ...row, actor_name: 'Someone else' },
      { ...row, occurred_at: new Date('2026-11-26T10:00:00.124Z') },
      { ...row, person_ids: [] },
      { ...row, details: { b: 2, a: { d: [1, 2], c: 'x' } } },
      { ...row, prev_hash: 'f'.repeat(64) },
    ]) {
      assert.notEqual(hashAuditRow(changed), original);
    }
  });

  it('ignores columns outside the chain, such as the sequence number', () => {
    assert.equal(hashAuditRow({ ...row, seq: 5, hash: 'x' } as typeof row), hashAuditRow(row));
  });
});
