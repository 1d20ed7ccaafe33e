import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { scriptMigration, splitStatements } from '../../src/db/sql-script.ts';

/** A database that runs nothing and keeps the statements it was sent. */
function recordingDatabase(): { db: Kysely<unknown>; sent: string[] } {
  const sent: string[] = [];
  const db = new Kysely<unknown>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (database) => new PostgresIntrospector(database),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
    log: (event) => {
      sent.push(event.query.sql);
    },
  });
  return { db, sent };
}

describe('splitting migration scripts', () => {
  it('splits on semicolons and drops comments and blanks', () => {
    assert.deepEqual(
      splitStatements('create table a (x int); -- a comment; here\n\n create table b (y int);'),
      ['create table a (x int)', 'create table b (y int)'],
    );
  });

  it('keeps semicolons inside strings, quoted identifiers and $$ bodies', () => {
    const script = `insert into t values ('a;b');
      create table "odd;name" (x int);
      create function f() returns trigger language plpgsql as $$ begin raise exception 'x;y'; end $$;
      select 1`;
    const statements = splitStatements(script);
    assert.equal(statements.length, 4);
    assert.equal(statements[0], "insert into t values ('a;b')");
    assert.match(statements[2]!, /raise exception 'x;y'; end \$\$$/);
    assert.equal(statements[3], 'select 1');
  });

  it('a script migration runs its up and down scripts statement by statement', async () => {
    const { db, sent } = recordingDatabase();
    const migration = scriptMigration({
      up: 'create table a (x int); create index a_x on a(x);',
      down: 'drop table a;',
    });
    await migration.up(db);
    await migration.down?.(db);
    assert.deepEqual(sent, ['create table a (x int)', 'create index a_x on a(x)', 'drop table a']);
  });

  it('a script migration without a down script has no down step', () => {
    assert.equal(scriptMigration({ up: 'select 1' }).down, undefined);
  });
});
