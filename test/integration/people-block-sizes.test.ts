import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MEASURED_FROM, measureBlockSizes } from '../../src/modules/people/block-sizes.ts';
import { candidatesByKeys } from '../../src/modules/people/resolution-repository.ts';
import { databasePerFile, deps } from '../helpers/per-file.ts';

const BIG = 'nm2:ZZBIG:ZZBLOCK';
const SMALL = 'dob-pc:2015-06-01:ZZ1 1ZZ';
const people = MEASURED_FROM + 50;
let loneId: string;

databasePerFile({}, async () => {
  const area = await deps.db.selectFrom('area').select('id').executeTakeFirstOrThrow();
  // One insert: the people behind one common key, and one who also has a rare key.
  const rows = await deps.db
    .insertInto('person')
    .values(
      Array.from({ length: people }, (_, i) => ({
        area_id: area.id,
        kind: 'adult' as const,
        given_name: `Block${i}`,
        family_name: 'Zzblock',
        blocking_keys: i === 0 ? [BIG, SMALL] : [BIG],
      })),
    )
    .returning('id')
    .execute();
  loneId = rows[0]!.id;
});

describe('blocking keys whose block is too large are left out of the candidate query', () => {
  it('reads a large block in full until its size has been measured', async () => {
    const found = await candidatesByKeys(deps.db, [BIG], 1000, MEASURED_FROM);
    assert.equal(found.length, people);
  });

  it('measures the sizes of large keys only, counting live people', async () => {
    const measured = await measureBlockSizes(deps.db);
    assert.ok(measured.keys >= 1);
    const stored = await deps.db.selectFrom('blocking_key_size').selectAll().execute();
    assert.deepEqual(
      stored.find((s) => s.key === BIG)?.people,
      people,
      'the common key is stored with its size',
    );
    assert.equal(
      stored.find((s) => s.key === SMALL),
      undefined,
      'a key with few people is not stored',
    );
    assert.ok(stored.every((s) => s.people > MEASURED_FROM));
  });

  it('skips a key over maxBlockSize, still uses the others, and follows the setting', async () => {
    assert.deepEqual(await candidatesByKeys(deps.db, [BIG], 1000, MEASURED_FROM), []);
    const both = await candidatesByKeys(deps.db, [BIG, SMALL], 1000, MEASURED_FROM);
    assert.deepEqual(
      both.map((r) => r.id),
      [loneId],
      'only the record the rare key finds',
    );
    const generous = await candidatesByKeys(deps.db, [BIG], 1000, people);
    assert.equal(generous.length, people, 'a limit at or above the block size reads it');
  });

  it('uses a key again once merges shrink its block, after the next measurement', async () => {
    const ids = (
      await deps.db
        .selectFrom('person')
        .select('id')
        .where('family_name', '=', 'Zzblock')
        .orderBy('id')
        .execute()
    ).map((r) => r.id);
    const survivor = ids[0]!;
    await deps.db
      .updateTable('person')
      .set({ merged_into_id: survivor })
      .where('id', 'in', ids.slice(1, 60))
      .execute();
    assert.deepEqual(await candidatesByKeys(deps.db, [BIG], 1000, MEASURED_FROM), [], 'not yet re-measured');
    await measureBlockSizes(deps.db);
    const found = await candidatesByKeys(deps.db, [BIG], 1000, MEASURED_FROM);
    assert.equal(found.length, people - 59, 'live records only');
  });
});
