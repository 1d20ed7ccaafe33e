import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
} from 'kysely';
import {
  countWhere,
  deleteWhere,
  insertReturningId,
  insertRows,
  rowsWhere,
  rowWhere,
  updatedIds,
  updateOnce,
  updateWhere,
} from '../../src/db/common-queries.ts';
import { pageWithTotal } from '../../src/db/paging.ts';
import type { DB } from '../../src/db/schema.ts';

/**
 * The shared query helpers (src/db/common-queries.ts, src/db/paging.ts), checked on the SQL they
 * send: a driver that records each statement and answers with what the test says, so no database
 * is needed. The repositories that use them are covered by the integration tests on both databases.
 */
function recordingDb(answer: (query: CompiledQuery) => QueryResult<unknown> = () => ({ rows: [] })) {
  const sent: { sql: string; parameters: readonly unknown[] }[] = [];
  const connection: DatabaseConnection = {
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      sent.push({ sql: query.sql, parameters: query.parameters });
      return answer(query) as QueryResult<R>;
    },
    // biome-ignore lint/correctness/useYield: these tests never stream
    async *streamQuery() {
      throw new Error('not used');
    },
  };
  const driver: Driver = {
    init: async () => {},
    acquireConnection: async () => connection,
    beginTransaction: async () => {},
    commitTransaction: async () => {},
    rollbackTransaction: async () => {},
    releaseConnection: async () => {},
    destroy: async () => {},
  };
  const db = new Kysely<DB>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  return { db, sent };
}

describe('shared query helpers', () => {
  it('rowsWhere: a value is =, null is `is null`, a list is `in`, in the order given', async () => {
    const { db, sent } = recordingDb(() => ({ rows: [{ id: 'f1' }] }));
    const rows = await rowsWhere(
      db.selectFrom('person_flag').selectAll(),
      { person_id: 'p1', end_date: null, type: ['cp-plan', 'marac'] },
      'start_date desc',
      'id',
    );
    assert.deepEqual(rows, [{ id: 'f1' }]);
    assert.deepEqual(sent, [
      {
        sql: 'select * from "person_flag" where "person_id" = $1 and "end_date" is null and "type" in ($2, $3) order by "start_date" desc, "id" asc',
        parameters: ['p1', 'cp-plan', 'marac'],
      },
    ]);
  });

  it('rowsWhere keeps what the query already has: a selection, another condition, a limit', async () => {
    const { db, sent } = recordingDb();
    await rowsWhere(
      db.selectFrom('import_run').select(['id']).where('started_at', '>=', new Date(0)).limit(50),
      { agency_id: ['a1'] },
      'started_at desc',
    );
    assert.equal(
      sent[0]?.sql,
      'select "id" from "import_run" where "started_at" >= $1 and "agency_id" in ($2) order by "started_at" desc limit $3',
    );
  });

  it('an empty list matches nothing: no statement is sent', async () => {
    const { db, sent } = recordingDb();
    assert.deepEqual(await rowsWhere(db.selectFrom('person').selectAll(), { id: [] }), []);
    assert.equal(await rowWhere(db.selectFrom('person').selectAll(), { id: [] }), undefined);
    assert.equal(await deleteWhere(db.deleteFrom('person_flag'), { person_id: [] }), 0);
    assert.equal(await updateWhere(db.updateTable('person').set({ merged_into_id: null }), { id: [] }), 0);
    assert.deepEqual(
      await updatedIds(db.updateTable('person').set({ merged_into_id: null }), { id: [] }),
      [],
    );
    assert.equal(await countWhere(db.selectFrom('person'), { area_id: [] }), 0);
    await insertRows(db.insertInto('health_event_receipt'), []);
    assert.deepEqual(sent, []);
  });

  it('a column matched against undefined is refused, not left out (that would match every row)', async () => {
    const { db, sent } = recordingDb();
    await assert.rejects(
      rowWhere(db.selectFrom('person').selectAll(), { id: undefined }),
      /No value to match for column id/,
    );
    assert.deepEqual(sent, []);
  });

  it('rowWhere: the first matching row, or undefined', async () => {
    const found = recordingDb(() => ({ rows: [{ id: 'c1' }] }));
    assert.deepEqual(
      await rowWhere(found.db.selectFrom('marac_case').selectAll().forUpdate(), { id: 'c1' }),
      {
        id: 'c1',
      },
    );
    assert.equal(found.sent[0]?.sql, 'select * from "marac_case" where "id" = $1 for update');
    const none = recordingDb();
    assert.equal(await rowWhere(none.db.selectFrom('marac_case').selectAll(), { id: 'c2' }), undefined);
  });

  it('updateOnce: true when the one row still open changed, false when it had already been done', async () => {
    let changed = 1n;
    const { db, sent } = recordingDb(() => ({ rows: [], numAffectedRows: changed }));
    const review = () =>
      updateOnce(db.updateTable('break_glass_access').set({ reviewed_by_name: 'Lead' }), {
        id: 'b1',
        reviewed_at: null,
      });
    assert.equal(await review(), true);
    changed = 0n;
    assert.equal(await review(), false);
    assert.equal(
      sent[0]?.sql,
      'update "break_glass_access" set "reviewed_by_name" = $1 where "id" = $2 and "reviewed_at" is null',
    );
  });

  it('updateWhere and deleteWhere say how many rows changed', async () => {
    const { db, sent } = recordingDb(() => ({ rows: [], numAffectedRows: 3n }));
    assert.equal(
      await updateWhere(db.updateTable('enquiry').set({ status: 'withdrawn' }), { contact_id: 'c' }),
      3,
    );
    assert.equal(await deleteWhere(db.deleteFrom('person_flag'), { person_id: ['p1', 'p2'] }), 3);
    assert.equal(sent[1]?.sql, 'delete from "person_flag" where "person_id" in ($1, $2)');
  });

  it('insertReturningId returns the new id; updatedIds the ids of the rows it changed', async () => {
    const { db, sent } = recordingDb((query) => ({
      rows: query.sql.startsWith('insert') ? [{ id: 'new' }] : [{ id: 'n1' }, { id: 'n2' }],
    }));
    assert.equal(
      await insertReturningId(db.insertInto('encompass_calendar_day'), {
        area_id: 'a',
        kind: 'term',
        starts_on: '2026-09-01',
        ends_on: '2026-12-18',
        note: null,
        created_by_name: 'Admin',
      }),
      'new',
    );
    assert.match(sent[0]?.sql ?? '', /^insert into "encompass_calendar_day" .* returning "id"$/);
    assert.deepEqual(
      await updatedIds(db.updateTable('person_name').set({ person_id: 'to' }), { person_id: 'from' }),
      ['n1', 'n2'],
    );
    assert.equal(
      sent[1]?.sql,
      'update "person_name" set "person_id" = $1 where "person_id" = $2 returning "id"',
    );
  });

  it('countWhere gives the count as a number (drivers answer a bigint count as a string)', async () => {
    const { db, sent } = recordingDb(() => ({ rows: [{ n: '7' }] }));
    assert.equal(await countWhere(db.selectFrom('person'), { merged_into_id: null }), 7);
    assert.equal(sent[0]?.sql, 'select count(*) as "n" from "person" where "merged_into_id" is null');
  });

  it('pageWithTotal: the page asked for (by number and size, or limit and offset) and the whole count', async () => {
    const { db, sent } = recordingDb((query) => ({
      rows: query.sql.includes('count(*)') ? [{ total: '42' }] : [{ id: 'r21' }],
    }));
    const base = db.selectFrom('marac_case').where('forum', '=', 'marac');
    const byNumber = await pageWithTotal(base, { page: 3, pageSize: 10 }, (q) =>
      q.select(['id']).orderBy('referred_at').orderBy('id'),
    );
    assert.deepEqual(byNumber, { rows: [{ id: 'r21' }], total: 42 });
    assert.deepEqual(sent.slice(0, 2), [
      {
        sql: 'select "id" from "marac_case" where "forum" = $1 order by "referred_at", "id" limit $2 offset $3',
        parameters: ['marac', 10, 20],
      },
      { sql: 'select count(*) as "total" from "marac_case" where "forum" = $1', parameters: ['marac'] },
    ]);
    await pageWithTotal(base, { limit: 5, offset: 15 }, (q) => q.selectAll());
    assert.deepEqual(sent[2]?.parameters, ['marac', 5, 15]);
  });
});
