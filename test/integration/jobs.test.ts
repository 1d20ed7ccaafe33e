import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { transaction } from '../../src/db/database.ts';
import { jobSchemaFor } from '../../src/platform/jobs.ts';
import { databasePerFile, deps } from '../helpers/per-file.ts';
import { rowCountWhere } from '../helpers/row-count.ts';

databasePerFile({ jobs: true, seed: false }, async () => {
  await deps.jobs!.define('test.transactional');
});

async function jobsWith(marker: string): Promise<number> {
  const schema = jobSchemaFor(deps.database);
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from ${sql.table(`${schema}.job`)} where name = 'test.transactional' and data->>'marker' = ${marker}`.execute(
    deps.db,
  );
  return rows[0]!.n;
}

describe('jobs enqueued inside a transaction', () => {
  it('exist when the transaction commits, and are worked', async () => {
    const worked: string[] = [];
    await deps.jobs!.work<{ marker: string }>('test.transactional', async (data) => {
      worked.push(data.marker);
    });
    await transaction(deps.db, async (trx) => {
      await trx.insertInto('area').values({ code: 'jobs-committed', name: 'Committed' }).execute();
      await deps.jobs!.enqueue(trx, 'test.transactional', { marker: 'committed' });
    });
    assert.equal(await jobsWith('committed'), 1);
    const deadline = Date.now() + 15_000;
    while (!worked.includes('committed') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(worked, ['committed']);
  });

  it('do not exist when the transaction rolls back', async () => {
    await assert.rejects(
      transaction(deps.db, async (trx) => {
        await trx.insertInto('area').values({ code: 'jobs-rolled-back', name: 'Rolled back' }).execute();
        await deps.jobs!.enqueue(trx, 'test.transactional', { marker: 'rolled-back' });
        throw new Error('the change fails after the job was enqueued');
      }),
      /fails after/,
    );
    assert.equal(await jobsWith('rolled-back'), 0);
    assert.equal(await rowCountWhere(deps.db, 'area', { code: 'jobs-rolled-back' }), 0);
  });
});
