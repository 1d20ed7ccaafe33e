import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cliPrincipal } from '../../src/platform/principal.ts';
import { buildServices } from '../../src/services.ts';
import { rowCount } from '../helpers/deps.ts';
import { Browser, signedIn } from '../helpers/http.ts';
import { app, appPerFile, deps } from '../helpers/per-file.ts';
import { rowById, rowWhere } from '../helpers/rows.ts';

async function auditActions(filter: { action?: string; outcome?: string } = {}) {
  let q = deps.db
    .selectFrom('audit_event')
    .select(['action', 'outcome', 'reason', 'actor_name'])
    .orderBy('seq');
  if (filter.action) q = q.where('action', '=', filter.action);
  if (filter.outcome) q = q.where('outcome', '=', filter.outcome as 'denied');
  return q.execute();
}

async function rowCounts() {
  const count = (table: 'app_user' | 'api_key' | 'person') => rowCount(deps, table);
  return { users: await count('app_user'), keys: await count('api_key'), people: await count('person') };
}

appPerFile();

describe('signing in and out', () => {
  it('signs a demo user in, shows their home page, and signs them out', async () => {
    const browser = new Browser(app);
    const signIn = await browser.signIn('mash.manager@harbour.example');
    assert.equal(signIn.statusCode, 303);
    assert.equal(signIn.headers.location, '/');
    const home = await browser.get('/');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /Morgan Manager/);
    assert.match(home.body, /Find a child or adult/);
    const out = await browser.post('/sign-out', {});
    assert.equal(out.statusCode, 303);
    const after = await browser.get('/');
    assert.equal(after.statusCode, 303);
    assert.match(String(after.headers.location), /^\/sign-in/);
    const events = await auditActions();
    assert.ok(events.some((e) => e.action === 'sign-in' && e.outcome === 'allowed'));
    assert.ok(events.some((e) => e.action === 'sign-out'));
  });

  it('redirects to the page asked for after signing in, but never off-site', async () => {
    // Signs in from the page already open, asking to be taken to `next` afterwards.
    const signInFor = (browser: Browser, next: string) =>
      browser.post('/sign-in', { email: 'front.door@harbour.example', password: 'harbour-demo-2026', next });
    const browser = new Browser(app);
    const redirected = await browser.get('/people');
    assert.equal(redirected.headers.location, '/sign-in?next=%2Fpeople');
    await browser.get('/sign-in?next=%2Fpeople');
    const ok = await signInFor(browser, '/people');
    assert.equal(ok.headers.location, '/people');
    const other = new Browser(app);
    await other.get('/sign-in');
    const evil = await signInFor(other, '//evil.example/');
    assert.equal(evil.headers.location, '/');
  });

  it('refuses a wrong password with an error summary, an audit event and no session', async () => {
    const before = await rowCounts();
    const browser = new Browser(app);
    const response = await browser.signIn('social.worker@harbour.example', 'not-the-password');
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /govuk-error-summary/);
    assert.match(response.body, /Enter a correct email address and password/);
    assert.equal((await browser.get('/')).statusCode, 303);
    const denied = await auditActions({ action: 'sign-in', outcome: 'denied' });
    assert.ok(denied.some((e) => e.reason === 'wrong password'));
    assert.deepEqual(await rowCounts(), before);
  });

  it('gives the same answer for an unknown email as for a wrong password', async () => {
    const browser = new Browser(app);
    const response = await browser.signIn('nobody@harbour.example', 'whatever-password');
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /Enter a correct email address and password/);
  });

  it('makes an account wait after repeated failures, even with the right password, and says only "wrong"', async () => {
    // Its own address, so the address counter of the other tests is not involved.
    const browser = new Browser(app, { remoteAddress: '203.0.113.7' });
    for (let i = 0; i < deps.config.partnership.signIn.maxFailedAttempts; i++) {
      await browser.signIn('youth.justice@harbour.example', `wrong-${i}-password`);
    }
    const waiting = await browser.signIn('youth.justice@harbour.example');
    assert.equal(waiting.statusCode, 400);
    assert.match(waiting.body, /Enter a correct email address and password/);
    assert.doesNotMatch(waiting.body, /locked/i);
    const denied = await auditActions({ action: 'sign-in', outcome: 'denied' });
    assert.match(String(denied.at(-1)?.reason), /^throttled: too many recent failures for this account/);
    deps.setNow(new Date(Date.now() + (deps.config.partnership.signIn.lockoutMinutes + 1) * 60_000));
    try {
      const later = await browser.signIn('youth.justice@harbour.example');
      assert.equal(later.statusCode, 303);
    } finally {
      deps.setNow(new Date());
    }
  });

  it('rejects a form posted without its CSRF token, audits it and changes nothing', async () => {
    const browser = await signedIn(app, 'admin@harbour.example');
    await browser.get('/admin/users/new');
    const before = await rowCounts();
    const response = await browser.post(
      '/admin/users/new',
      {
        email: 'new.user@harbour.example',
        displayName: 'New User',
        agencyCode: 'police',
        roles: 'police_officer',
        password: 'a-long-enough-password',
      },
      { csrf: null },
    );
    assert.equal(response.statusCode, 403);
    assert.match(response.body, /This form has expired/);
    assert.deepEqual(await rowCounts(), before);
    assert.ok((await auditActions({ action: 'csrf.rejected' })).length >= 1);
  });

  it('signs out a session idle for longer than the timeout, and says why', async () => {
    const browser = await signedIn(app, 'front.door@harbour.example');
    assert.equal((await browser.get('/')).statusCode, 200);
    deps.setNow(new Date(Date.now() + (deps.config.sessionIdleMinutes + 1) * 60_000));
    try {
      const expired = await browser.get('/');
      assert.equal(expired.statusCode, 303);
      const page = await browser.get('/sign-in');
      assert.match(page.body, /signed out because you had not done anything/);
      assert.equal((await auditActions({ action: 'session.expired' })).length >= 1, true);
    } finally {
      deps.setNow(new Date());
    }
  });

  it('forbids a role without permission, with a 403 page and an audit event', async () => {
    const browser = await signedIn(app, 'police.officer@harbour.example');
    const response = await browser.get('/admin/users');
    assert.equal(response.statusCode, 403);
    assert.match(response.body, /You do not have access to this/);
    const denied = await auditActions({ action: 'admin:users', outcome: 'denied' });
    assert.equal(denied.at(-1)?.actor_name, 'PC Alex Officer');
  });
});

describe('administration', () => {
  it('adds a user through the form, who can then sign in', async () => {
    const browser = await signedIn(app, 'admin@harbour.example');
    await browser.get('/admin/users/new');
    const created = await browser.post('/admin/users/new', {
      email: 'New.Nurse@Harbour.example',
      displayName: 'Nia Nurse',
      agencyCode: 'hospital',
      roles: ['health_practitioner'],
      password: 'a-long-enough-password',
    });
    assert.equal(created.statusCode, 303);
    const list = await browser.get('/admin/users?sort=email&order=asc');
    assert.match(list.body, /new\.nurse@harbour\.example/);
    const nurse = new Browser(app);
    assert.equal((await nurse.signIn('new.nurse@harbour.example', 'a-long-enough-password')).statusCode, 303);
  });

  it('shows every problem with an invalid new user and writes nothing', async () => {
    const browser = await signedIn(app, 'admin@harbour.example');
    await browser.get('/admin/users/new');
    const before = await rowCounts();
    const response = await browser.post('/admin/users/new', {
      email: 'not-an-email',
      displayName: '',
      agencyCode: 'no-such',
      password: 'short',
    });
    assert.equal(response.statusCode, 400);
    for (const message of [
      /correct format/,
      /full name/,
      /at least one role/,
      /12 characters/,
      /no agency with the code/,
    ]) {
      assert.match(response.body, message);
    }
    assert.deepEqual(await rowCounts(), before);
  });
});

describe('API keys', () => {
  it('identifies the agency behind a key on /api/v1/me, and refuses it once revoked', async () => {
    const directory = buildServices(deps).directory;
    const created = await directory.createApiKey(
      { principal: cliPrincipal('test') },
      'police',
      'Police records system',
    );
    const stored = await rowById(deps.db, 'api_key', created.id);
    assert.notEqual(stored.key_hash, created.key);
    assert.ok(!JSON.stringify(stored).includes(created.key), 'the key itself is never stored');
    const me = await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${created.key}` },
    });
    assert.equal(me.statusCode, 200);
    const body = me.json();
    assert.equal(body.agency.code, 'police');
    assert.deepEqual(body.roles, ['partner_system']);
    assert.equal(body.areas.length, 2);
    await directory.revokeApiKey({ principal: cliPrincipal('test') }, created.id);
    const revoked = await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${created.key}` },
    });
    assert.equal(revoked.statusCode, 401);
    assert.equal(revoked.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(revoked.json().status, 401);
  });

  it("stamps a key's last use at most once a minute", async () => {
    const directory = buildServices(deps).directory;
    const created = await directory.createApiKey({ principal: cliPrincipal('test') }, 'police', 'Stamped');
    const lastUsed = async () =>
      (await rowById(deps.db, 'api_key', created.id)).last_used_at?.getTime() ?? null;
    const start = new Date('2026-06-01T09:00:00Z');
    try {
      assert.equal(await lastUsed(), null);
      deps.setNow(start);
      assert.ok(await directory.principalForApiKey(created.key));
      assert.equal(await lastUsed(), start.getTime(), 'the first use is stamped');
      deps.setNow(new Date(start.getTime() + 59_000));
      assert.ok(await directory.principalForApiKey(created.key));
      assert.equal(await lastUsed(), start.getTime(), 'a use within the minute is not stamped again');
      const later = new Date(start.getTime() + 61_000);
      deps.setNow(later);
      assert.ok(await directory.principalForApiKey(created.key));
      assert.equal(await lastUsed(), later.getTime(), 'a use after the minute is stamped');
    } finally {
      deps.setNow(null);
    }
  });

  it('answers a wrong or missing key with 401 problem+json and audits the attempt', async () => {
    const wrong = await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: 'Bearer hbr_thisisnotakeythisisnotakey' },
    });
    assert.equal(wrong.statusCode, 401);
    assert.match(String(wrong.headers['content-type']), /application\/problem\+json/);
    const missing = await app.inject({ method: 'GET', url: '/api/v1/me' });
    assert.equal(missing.statusCode, 401);
    const denied = await auditActions({ action: 'api.authenticate', outcome: 'denied' });
    assert.ok(denied.some((e) => e.reason === 'unknown or revoked API key'));
    assert.ok(denied.some((e) => e.reason === 'no bearer API key'));
  });

  it('lets an administrator create and revoke a key from the admin pages', async () => {
    const browser = await signedIn(app, 'admin@harbour.example');
    await browser.get('/admin/api-keys/new');
    const created = await browser.post('/admin/api-keys/new', { agencyCode: 'hospital', label: 'ED system' });
    assert.equal(created.statusCode, 200);
    const key = /<code id="api-key">([^<]+)<\/code>/.exec(created.body)?.[1];
    assert.ok(key?.startsWith('hbr_'));
    const me = await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(me.json().agency.code, 'hospital');
    const row = await rowWhere(deps.db, 'api_key', { label: 'ED system' });
    await browser.get('/admin/api-keys');
    const revoked = await browser.post(`/admin/api-keys/${row.id}/revoke`, {});
    assert.equal(revoked.statusCode, 303);
    const after = await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(after.statusCode, 401);
  });
});
