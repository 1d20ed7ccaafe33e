import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { App } from '../../src/app.ts';
import { secondPool } from '../helpers/database.ts';
import { Browser, signedIn, testApp } from '../helpers/http.ts';
import { app, appPerFile, deps } from '../helpers/per-file.ts';

let second: App;
let closeSecondPool: () => Promise<void>;

// The first instance is the file's app; the second has its own pool where the backend allows it.
appPerFile(
  {
    async tearDown() {
      await second.close();
      await closeSecondPool();
    },
  },
  async () => {
    const pool = await secondPool(deps);
    closeSecondPool = pool.close;
    second = await testApp(pool.deps);
  },
);

describe('stateless app instances', () => {
  it('accepts on one instance a session that was started on another', async () => {
    const onFirst = await signedIn(app, 'social.worker@harbour.example');
    const onSecond = new Browser(second);
    onSecond.setCookie('harbour_session', onFirst.cookie('harbour_session')!);
    const home = await onSecond.get('/');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /Sam Social-Worker/);
    await onSecond.post('/sign-out', {});
    const back = new Browser(app);
    back.setCookie('harbour_session', onFirst.cookie('harbour_session')!);
    assert.equal(
      (await back.get('/')).statusCode,
      303,
      'signing out on one instance ends the session on both',
    );
  });
});
