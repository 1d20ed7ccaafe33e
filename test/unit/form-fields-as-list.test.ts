import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asList, list } from '../../src/platform/http/form-fields.ts';

test('asList: a field left out is no values, one sent bare is one, a repeated one is all of them', () => {
  assert.deepEqual(asList(undefined), []);
  assert.deepEqual(asList('a'), ['a']);
  assert.deepEqual(asList(['a', 'b']), ['a', 'b']);
});

test('asList keeps blanks (callers that drop them say so); list drops them', () => {
  assert.deepEqual(asList(['', 'a', ' ']), ['', 'a', ' ']);
  assert.deepEqual(asList(''), ['']);
  assert.deepEqual(list({ roles: ['', 'a', ' '] }, 'roles'), ['a']);
  assert.deepEqual(list({}, 'roles'), []);
});
