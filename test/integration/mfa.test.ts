import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generate } from 'otplib';
import { auditEvents } from '../helpers/audit-events.ts';
import { Browser, signedIn } from '../helpers/http.ts';
import { app, appPerFile, deps } from '../helpers/per-file.ts';

const MANAGER = 'mash.manager@harbour.example';

const codeAt = (secret: string, when: Date) => generate({ secret, epoch: Math.floor(when.getTime() / 1000) });

appPerFile({
  // The demo installation asks no second factor; this partnership asks it of MASH managers.
  configure: ({ config }) => {
    config.partnership.signIn.mfa.requiredForRoles = ['mash_manager'];
  },
});

describe('two-factor sign-in for local accounts', () => {
  let secret = '';
  let recoveryCodes: string[] = [];
  let enrolledAt = new Date();

  it('makes a role that needs it set up an authenticator app from a server-drawn QR code', async () => {
    const browser = new Browser(app);
    const password = await browser.signIn(MANAGER);
    assert.equal(password.statusCode, 303);
    assert.equal(password.headers.location, '/sign-in/two-factor/set-up');
    const home = await browser.get('/');
    assert.equal(home.statusCode, 303, 'a password alone does not sign in');
    assert.match(String(home.headers.location), /^\/sign-in/);

    const setUp = await browser.get('/sign-in/two-factor/set-up');
    assert.equal(setUp.statusCode, 200);
    assert.match(setUp.body, /<svg[^>]*>[\s\S]*<path/);
    secret = (/<code id="totp-secret"[^>]*>([^<]+)<\/code>/.exec(setUp.body)?.[1] ?? '').replace(/\s/g, '');
    assert.match(secret, /^[A-Z2-7]{16,}$/);

    const wrong = await browser.post('/sign-in/two-factor/set-up', { code: '000000' });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /govuk-error-summary/);
    assert.equal(await deps.db.selectFrom('user_mfa').selectAll().executeTakeFirst(), undefined);

    enrolledAt = deps.now();
    const done = await browser.post('/sign-in/two-factor/set-up', { code: await codeAt(secret, enrolledAt) });
    assert.equal(done.statusCode, 200);
    recoveryCodes = [...done.body.matchAll(/<li><code>([A-Z0-9-]+)<\/code><\/li>/g)].map((m) => m[1]!);
    assert.equal(recoveryCodes.length, deps.config.partnership.signIn.mfa.recoveryCodes);
    assert.equal((await browser.get('/')).statusCode, 200);

    const stored = await deps.db.selectFrom('user_recovery_code').select('code_hash').execute();
    assert.equal(stored.length, recoveryCodes.length);
    const storedText = JSON.stringify(stored);
    for (const code of recoveryCodes)
      assert.ok(!storedText.includes(code), 'recovery codes are kept only hashed');
  });

  it('asks for a code at the next sign-in, refuses a code already used and accepts the next one', async () => {
    const browser = new Browser(app);
    const password = await browser.signIn(MANAGER);
    assert.equal(password.headers.location, '/sign-in/two-factor');
    await browser.get('/sign-in/two-factor');
    const replayed = await browser.post('/sign-in/two-factor', { code: await codeAt(secret, enrolledAt) });
    assert.equal(replayed.statusCode, 400, 'the code used to enrol cannot be used again');
    const later = new Date(Date.now() + 60_000);
    deps.setNow(later);
    try {
      const ok = await browser.post('/sign-in/two-factor', { code: await codeAt(secret, later) });
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, '/');
      assert.equal((await browser.get('/')).statusCode, 200);
    } finally {
      deps.setNow(new Date());
    }
  });

  it('accepts each recovery code once', async () => {
    const [code, another] = recoveryCodes;
    const first = await signedIn(app, MANAGER);
    await first.get('/sign-in/two-factor');
    assert.equal((await first.post('/sign-in/two-factor', { code: code!.toLowerCase() })).statusCode, 303);
    assert.equal((await first.get('/')).statusCode, 200);

    const second = await signedIn(app, MANAGER);
    await second.get('/sign-in/two-factor');
    const reused = await second.post('/sign-in/two-factor', { code: code! });
    assert.equal(reused.statusCode, 400);
    assert.match(reused.body, /unused recovery code/);
    assert.equal((await second.get('/')).statusCode, 303);
    assert.equal((await second.post('/sign-in/two-factor', { code: another! })).statusCode, 303);
    const audited = await auditEvents(deps.db, { action: 'sign-in.second-factor', outcome: 'allowed' });
    assert.equal(audited.filter((e) => e.reason === 'verified by recovery code').length, 2);
  });

  it('lets a role that does not need it sign in with a password alone', async () => {
    const browser = new Browser(app);
    const response = await browser.signIn('police.officer@harbour.example');
    assert.equal(response.headers.location, '/');
  });

  it('lets an administrator reset a lost second factor, so the user sets it up again', async () => {
    const admin = await signedIn(app, 'admin@harbour.example');
    await admin.get('/admin/sign-in-limits');
    const missing = await admin.post('/admin/sign-in-limits/reset-two-factor', {
      email: 'idva@harbour.example',
    });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /has not set up a second factor/);
    const reset = await admin.post('/admin/sign-in-limits/reset-two-factor', { email: MANAGER });
    assert.equal(reset.statusCode, 303);
    assert.equal(await deps.db.selectFrom('user_mfa').selectAll().executeTakeFirst(), undefined);
    const browser = new Browser(app);
    assert.equal((await browser.signIn(MANAGER)).headers.location, '/sign-in/two-factor/set-up');
  });
});
