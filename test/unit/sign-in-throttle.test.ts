import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  afterFailure,
  currentFailures,
  delayAfterFailures,
  isWaiting,
  type ThrottleRule,
} from '../../src/domain/sign-in-throttle.ts';

const rule: ThrottleRule = {
  freeFailures: 5,
  firstDelaySeconds: 30,
  maxDelaySeconds: 900,
  forgetAfterSeconds: 3600,
};

describe('sign-in throttle', () => {
  it('lets the first failures through, then doubles the wait up to the longest', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 100].map((n) => delayAfterFailures(rule, n)),
      [0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900],
    );
  });

  it('makes the next attempt wait only once the free failures are used', () => {
    const start = new Date('2026-12-01T10:00:00Z');
    let state = null;
    for (let i = 0; i < 4; i++) state = afterFailure(rule, state, start);
    assert.equal(isWaiting(state, start), false);
    state = afterFailure(rule, state, start);
    assert.equal(state.failures, 5);
    assert.equal(isWaiting(state, new Date(start.getTime() + 29_000)), true);
    assert.equal(isWaiting(state, new Date(start.getTime() + 30_000)), false);
  });

  it('forgets a counter that has been quiet for the forget period', () => {
    const start = new Date('2026-12-01T10:00:00Z');
    const state = { failures: 9, lastFailureAt: start, blockedUntil: null };
    assert.equal(currentFailures(rule, state, new Date(start.getTime() + 3_599_000)), 9);
    assert.equal(currentFailures(rule, state, new Date(start.getTime() + 3_600_000)), 0);
    assert.equal(afterFailure(rule, state, new Date(start.getTime() + 3_600_000)).failures, 1);
  });
});
