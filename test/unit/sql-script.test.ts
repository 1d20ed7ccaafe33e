import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitStatements } from '../../src/db/sql-script.ts';

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
});
