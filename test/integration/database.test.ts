import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { transaction } from '../../src/db/database.ts';
import { onPostgres } from '../helpers/database.ts';
import { databasePerFile, deps } from '../helpers/per-file.ts';

databasePerFile({ seed: false });

/** Reference and infrastructure tables; everything else holds case data and must carry area_id. */
const NOT_CASE_DATA = new Set([
  'area',
  'agency',
  'agency_area',
  'team',
  'app_user',
  'api_key',
  'http_session',
  // Sign-in (decision 0011): counters and second factors of accounts, not case data.
  'sign_in_throttle',
  'user_mfa',
  'user_recovery_code',
  'audit_event',
  'rate_limit_counter',
  'api_auth_failure',
  'audit_anchor',
  'kysely_migration',
  'kysely_migration_lock',
  // Counts of people per blocking key, over every area (matching searches them all): no person's data.
  'blocking_key_size',
  // The partnership's matching model and thresholds (decisions 0013, 0014): parameters learnt over
  // every area, no person's data.
  'matching_model',
  'matching_thresholds',
  // A retention listing's header (when, by whom, its state); its items carry each record's area.
  'retention_run',
  // A bulk import's header (file, agency, counts); its rows carry each person's area.
  'import_run',
  // Its report lines (migration 0027): each line's outcome in the supplying agency's own file. A
  // rejected line belongs to no area (often it is rejected for being outside every area) and names
  // no person; a resolved line points at a person whose row carries the area. Kept with import_run.
  'import_report_row',
  // The outbox's per-agency addresses and per-agency or per-person channel choices: configuration.
  'notification_agency_setting',
  'notification_preference',
]);

describe(`database (${onPostgres ? 'PostgreSQL server' : 'embedded PGlite'})`, () => {
  it('never JIT-compiles: the app’s connections turn it off (PGlite has no JIT)', async () => {
    const { rows } = await sql<{ available: boolean }>`select pg_jit_available() as available`.execute(
      deps.db,
    );
    assert.equal(rows[0]!.available, false);
  });

  it('reports which backend it is', () => {
    assert.equal(deps.database.kind, onPostgres ? 'postgres' : 'pglite');
  });

  it('has the extensions the project uses: pg_trgm, fuzzystrmatch and citext', async () => {
    const { rows } = await sql<{ sim: number; meta: string; same: boolean }>`
      select similarity('ellamae', 'ella-mae') as sim, dmetaphone('Smith') as meta, 'A@B.org'::citext = 'a@b.ORG'::citext as same`.execute(
      deps.db,
    );
    assert.ok(rows[0]!.sim > 0.3);
    assert.equal(rows[0]!.meta, 'SM0');
    assert.equal(rows[0]!.same, true);
  });

  it('keeps no pending list on the GIN indexes match and search read: a new person is in the index itself', async () => {
    const { rows } = await sql<{ name: string; options: string[] | null }>`
      select c.relname as name, c.reloptions as options from pg_class c
      join pg_index i on i.indexrelid = c.oid join pg_am a on a.oid = c.relam
      where a.amname = 'gin' and i.indrelid = 'person'::regclass order by c.relname`.execute(deps.db);
    assert.deepEqual(
      rows.map((r) => r.name),
      ['person_blocking_keys', 'person_family_trgm', 'person_given_trgm'],
    );
    for (const row of rows) assert.deepEqual(row.options, ['fastupdate=off'], row.name);
  });

  it('gives every case-data table an area_id column', async () => {
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(deps.db);
    const caseTables = tables.rows.map((r) => r.table_name).filter((t) => !NOT_CASE_DATA.has(t));
    assert.ok(caseTables.includes('person'), 'the person tables exist');
    for (const table of caseTables) {
      const column = await sql<{ n: number }>`
        select count(*)::int as n from information_schema.columns
        where table_schema = current_schema() and table_name = ${table} and column_name = 'area_id' and is_nullable = 'NO'`.execute(
        deps.db,
      );
      assert.equal(column.rows[0]!.n, 1, `${table} has a non-null area_id`);
    }
  });

  it('commits a transaction as a whole, or rolls all of it back', async () => {
    await transaction(deps.db, async (trx) => {
      await trx.insertInto('area').values({ code: 'kept', name: 'Kept' }).execute();
    });
    await assert.rejects(
      transaction(deps.db, async (trx) => {
        await trx.insertInto('area').values({ code: 'lost', name: 'Lost' }).execute();
        await trx.insertInto('area').values({ code: 'kept', name: 'Duplicate code' }).execute();
      }),
    );
    const codes = (await deps.db.selectFrom('area').select('code').execute()).map((r) => r.code);
    assert.ok(codes.includes('kept'));
    assert.ok(!codes.includes('lost'));
  });

  it('runs concurrent transactions each to its end before the next, on PGlite in the order they asked', async () => {
    await deps.db.insertInto('area').values({ code: 'counter', name: '0' }).execute();
    const started: number[] = [];
    const callers = 200;
    await Promise.all(
      Array.from({ length: callers }, (_, i) =>
        transaction(deps.db, async (trx) => {
          started.push(i);
          const { name } = await trx
            .selectFrom('area')
            .select('name')
            .where('code', '=', 'counter')
            .forUpdate()
            .executeTakeFirstOrThrow();
          // Another caller let in now would read the same count, and one increment would be lost.
          await new Promise((resolve) => setImmediate(resolve));
          await trx
            .updateTable('area')
            .set({ name: String(Number(name) + 1) })
            .where('code', '=', 'counter')
            .execute();
        }),
      ),
    );
    const { name } = await deps.db
      .selectFrom('area')
      .select('name')
      .where('code', '=', 'counter')
      .executeTakeFirstOrThrow();
    assert.equal(Number(name), callers, 'no increment lost');
    // The embedded database's one connection goes to whoever asked first (a server's pool has many).
    if (!onPostgres)
      assert.deepEqual(
        started,
        Array.from({ length: callers }, (_, i) => i),
      );
  });

  it('returns dates as YYYY-MM-DD strings and timestamps as Dates', async () => {
    const { rows } = await sql<{
      d: string;
      t: Date;
    }>`select date '2014-04-03' as d, timestamptz '2026-03-29 01:30:00+00' as t`.execute(deps.db);
    assert.equal(rows[0]!.d, '2014-04-03');
    assert.ok(rows[0]!.t instanceof Date);
    assert.equal(rows[0]!.t.toISOString(), '2026-03-29T01:30:00.000Z');
  });
});
