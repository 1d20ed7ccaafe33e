import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../src/app.ts';
import { createDatabase, type Database } from '../../src/db/database.ts';
import { onPostgres } from '../helpers/database.ts';
import { type TestDeps, testDeps } from '../helpers/deps.ts';
import { Browser, testApp } from '../helpers/http.ts';

let deps: TestDeps;
let first: App;
let second: App;
let secondDatabase: Database | undefined;

before(async () => {
  deps = await testDeps();
  first = await testApp(deps);
  if (onPostgres) {
    // A second instance has its own connection pool to the same server and schema, as in production.
    secondDatabase = await createDatabase({
      dataDir: '',
      databaseUrl: deps.database.databaseUrl!,
      schema: deps.database.schema!,
    });
    second = await testApp({ ...deps, database: secondDatabase, db: secondDatabase.db });
  } else {
    // PGlite is one process's database, so the second instance shares it; state still lives only in the database.
    second = await testApp(deps);
  }
});
after(async () => {
  await first.close();
  await second.close();
  await secondDatabase?.close();
  await deps.close();
});

describe('stateless app instances', () => {
  it('accepts on one instance a session that was started on another', async () => {
    const onFirst = new Browser(first);
    await onFirst.signIn('social.worker@harbour.example');
    const onSecond = new Browser(second);
    onSecond.setCookie('harbour_session', onFirst.cookie('harbour_session')!);
    const home = await onSecond.get('/');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /Sam Social-Worker/);
    await onSecond.post('/sign-out', {});
    const back = new Browser(first);
    back.setCookie('harbour_session', onFirst.cookie('harbour_session')!);
    assert.equal(
      (await back.get('/')).statusCode,
      303,
      'signing out on one instance ends the session on both',
    );
  });
});
