import assert from 'node:assert/strict';
import { test } from 'node:test';
import { embeddedCapacityWarning } from '../../src/modules/synthetic/capacity.ts';
import { onPostgres } from '../helpers/database.ts';
import { databasePerFile, deps } from '../helpers/per-file.ts';

databasePerFile();

test('the embedded database warns at start once it nears what it holds comfortably', async () => {
  const people = (await deps.db.selectFrom('person').select('id').execute()).length;
  assert.ok(people > 0);
  const near = await embeddedCapacityWarning(deps, { comfortablePeople: people, warningShare: 0.8 });
  const far = await embeddedCapacityWarning(deps, { comfortablePeople: people * 10, warningShare: 0.8 });
  assert.equal(far, null);
  if (onPostgres) {
    assert.equal(near, null, 'a PostgreSQL server has no such ceiling');
  } else {
    assert.match(near ?? '', /embedded database holds about \d+ people/);
    assert.match(near ?? '', /DATABASE_URL/);
  }
});

test('a fresh partnership is far from the ceiling', async () => {
  assert.equal(await embeddedCapacityWarning(deps), null);
});
