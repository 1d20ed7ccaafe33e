import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../src/app.ts';
import type { ProviderSettings } from '../../src/platform/auth/settings.ts';
import { auditEvents } from '../helpers/audit-events.ts';
import { type TestDeps, testDeps } from '../helpers/deps.ts';
import { Browser, testApp } from '../helpers/http.ts';
import { ProviderClient, startTestProvider, type TestProvider } from '../helpers/oidc-provider.ts';

let deps: TestDeps;
let app: App;
let idp: TestProvider;

const CALLBACK = '/sign-in/sso/test-trust/callback';

const auditOf = (action: string) => auditEvents(deps.db, { action });

/** Why the last sign-in was refused, as the audit log keeps it. */
const lastSignInReason = async () => String((await auditOf('sign-in')).at(-1)?.reason);

/** A sign-in whose ID token the provider tampers with: refused, signing no one in, for `reason`. */
async function refusedWhenTampered(tamper: TestProvider['tamper'], reason: RegExp) {
  idp.tamper = tamper;
  try {
    const browser = new Browser(app);
    const refused = await browser.get(await throughProvider(browser, 'nurse-2'));
    assert.equal(refused.statusCode, 401);
    assert.equal((await browser.get('/')).statusCode, 303);
    assert.match(await lastSignInReason(), reason);
    return refused;
  } finally {
    idp.tamper = null;
  }
}

/** Starts single sign-on in Harbour and signs in at the provider; returns Harbour's callback path. */
async function throughProvider(browser: Browser, account: string): Promise<string> {
  const start = await browser.get('/sign-in/sso/test-trust');
  assert.equal(start.statusCode, 303);
  const authorisation = new URL(String(start.headers.location));
  assert.equal(authorisation.origin, idp.issuer);
  assert.equal(authorisation.searchParams.get('code_challenge_method'), 'S256');
  assert.ok(authorisation.searchParams.get('state'));
  assert.ok(authorisation.searchParams.get('nonce'));
  const back = await new ProviderClient().signIn(authorisation.href, account);
  assert.equal(back.pathname, CALLBACK);
  return back.pathname + back.search;
}

before(async () => {
  deps = await testDeps();
  idp = await startTestProvider({
    redirectUris: [`${deps.config.publicUrl}${CALLBACK}`],
    postLogoutRedirectUris: [`${deps.config.publicUrl}/sign-in`],
  });
  const provider: ProviderSettings = {
    id: 'test-trust',
    label: 'Harbourshire Hospitals',
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    scope: 'openid email profile',
    agencyClaim: 'harbour_agency',
    agencies: { 'RHX-ED': 'hospital' },
    allowedEmailDomains: ['hospital.example'],
    roleClaim: 'harbour_roles',
    roles: { 'ed-safeguarding': 'health_practitioner' },
    mfaAmr: ['mfa'],
  };
  deps.config.partnership.signIn.providers = [provider];
  deps.config.partnership.signIn.mfa.requiredForRoles = ['health_practitioner'];
  const account = (name: string, extra: Record<string, unknown> = {}) => ({
    email: `${name.toLowerCase().replace(' ', '.')}@hospital.example`,
    name,
    agency: 'RHX-ED',
    roles: ['ed-safeguarding', 'unmapped-group'],
    amr: ['pwd', 'mfa'],
    ...extra,
  });
  idp.accounts.set('nurse-1', account('Nia Nurse'));
  idp.accounts.set('nurse-2', account('Noor Nurse'));
  idp.accounts.set('stranger', account('Sol Stranger', { agency: 'NOT-A-TRUST' }));
  idp.accounts.set('outsider', account('Oli Outsider', { email: 'oli@elsewhere.example' }));
  idp.accounts.set('one-factor', account('Una Onefactor', { amr: ['pwd'] }));
  idp.accounts.set('no-role', account('Nel Norole', { roles: ['unmapped-group'] }));
  app = await testApp(deps);
});
after(async () => {
  await app?.close();
  await idp?.stop();
  await deps?.close();
});

describe('single sign-on through an OpenID provider', () => {
  it('signs a person in, provisioning their account in the agency and role the claims map to', async () => {
    const browser = new Browser(app);
    const signInPage = await browser.get('/sign-in');
    assert.match(signInPage.body, /Sign in with Harbourshire Hospitals/);
    const callback = await throughProvider(browser, 'nurse-1');
    const done = await browser.get(callback);
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/');
    const home = await browser.get('/');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /Nia Nurse/);

    const user = await deps.db
      .selectFrom('app_user')
      .innerJoin('agency', 'agency.id', 'app_user.agency_id')
      .select(['app_user.roles', 'app_user.identity_provider', 'app_user.password_hash', 'agency.code'])
      .where('app_user.email', '=', 'nia.nurse@hospital.example')
      .executeTakeFirstOrThrow();
    assert.deepEqual(user, {
      roles: ['health_practitioner'],
      identity_provider: 'test-trust',
      password_hash: null,
      code: 'hospital',
    });
    assert.equal((await auditOf('user.provision')).length, 1);

    // Signing in again finds the same account.
    const again = new Browser(app);
    assert.equal((await again.get(await throughProvider(again, 'nurse-1'))).statusCode, 303);
    const count = await deps.db
      .selectFrom('app_user')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('email', '=', 'nia.nurse@hospital.example')
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 1);
    assert.equal((await auditOf('user.provision')).length, 1);
  });

  it('refuses an ID token issued for another audience', async () => {
    const refused = await refusedWhenTampered('audience', /"aud"/);
    assert.match(refused.body, /could not sign you in with Harbourshire Hospitals/);
  });

  it('refuses an expired ID token', async () => {
    await refusedWhenTampered('expired', /"exp"/);
    const noor = await deps.db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', 'noor.nurse@hospital.example')
      .executeTakeFirst();
    assert.equal(noor, undefined, 'no account is provisioned from a refused token');
  });

  it('refuses a replayed callback and a callback whose state belongs to another sign-in', async () => {
    const browser = new Browser(app);
    const callback = await throughProvider(browser, 'nurse-2');
    const preSignIn = browser.cookie('harbour_session')!;
    assert.equal((await browser.get(callback)).statusCode, 303);

    // The same callback again, from the browser as it was before it signed in.
    const replay = new Browser(app);
    replay.setCookie('harbour_session', preSignIn);
    const replayed = await replay.get(callback);
    assert.equal(replayed.statusCode, 401);
    assert.match(await lastSignInReason(), /no sign-in in progress/);

    // A browser that started its own sign-in is handed someone else's callback (login CSRF).
    const victim = new Browser(app);
    await victim.get('/sign-in/sso/test-trust');
    const attacker = new Browser(app);
    const attackersCallback = await throughProvider(attacker, 'nurse-2');
    const crossed = await victim.get(attackersCallback);
    assert.equal(crossed.statusCode, 401);
    assert.match(await lastSignInReason(), /"state"/);
    assert.equal((await victim.get('/')).statusCode, 303);
  });

  it('refuses an agency claim the partnership does not know, and creates no account', async () => {
    const browser = new Browser(app);
    const refused = await browser.get(await throughProvider(browser, 'stranger'));
    assert.equal(refused.statusCode, 401);
    assert.match(await lastSignInReason(), /unknown agency claim "NOT-A-TRUST"/);
    const user = await deps.db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', 'sol.stranger@hospital.example')
      .executeTakeFirst();
    assert.equal(user, undefined);
  });

  it('refuses an email outside the allowed domains, and a role needing MFA without it in amr', async () => {
    const outsider = new Browser(app);
    assert.equal((await outsider.get(await throughProvider(outsider, 'outsider'))).statusCode, 401);
    assert.match(await lastSignInReason(), /domain elsewhere\.example/);

    const oneFactor = new Browser(app);
    const refused = await oneFactor.get(await throughProvider(oneFactor, 'one-factor'));
    assert.equal(refused.statusCode, 401);
    assert.match(refused.body, /did not confirm a second factor/);
  });

  it('provisions someone whose groups map to no role, who then waits for an administrator', async () => {
    const browser = new Browser(app);
    const refused = await browser.get(await throughProvider(browser, 'no-role'));
    assert.equal(refused.statusCode, 401);
    assert.match(refused.body, /an administrator must give you a role/);
    const user = await deps.db
      .selectFrom('app_user')
      .select('roles')
      .where('email', '=', 'nel.norole@hospital.example')
      .executeTakeFirstOrThrow();
    assert.deepEqual(user.roles, []);
  });

  it('signs out of Harbour and sends the browser to the provider to sign out there too', async () => {
    const browser = new Browser(app);
    await browser.get(await throughProvider(browser, 'nurse-1'));
    const sid = decodeURIComponent(browser.cookie('harbour_session')!).split('.')[0]!;
    const before = await deps.db
      .selectFrom('http_session')
      .select('sid')
      .where('sid', '=', sid)
      .executeTakeFirst();
    assert.ok(before, 'the signed-in session is stored');
    await browser.get('/');
    const out = await browser.post('/sign-out', {});
    assert.equal(out.statusCode, 303);
    const endSession = new URL(String(out.headers.location));
    assert.equal(endSession.origin, idp.issuer);
    assert.ok(endSession.searchParams.get('id_token_hint'));
    assert.equal(endSession.searchParams.get('post_logout_redirect_uri'), `${deps.config.publicUrl}/sign-in`);
    const gone = await deps.db
      .selectFrom('http_session')
      .select('sid')
      .where('sid', '=', sid)
      .executeTakeFirst();
    assert.equal(gone, undefined, 'the local session is ended');
    assert.equal((await browser.get('/')).statusCode, 303);
  });
});
