import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { generate } from 'otplib';
import { DEMO_PASSWORD } from '../../src/modules/demo/partnership.ts';
import { accessibilityViolations, freePort } from '../helpers/browser.ts';
import { assertSignedOut, browser, harbour, startHarbourAndBrowserAfter } from '../helpers/e2e-session.ts';
import { startTestProvider, type TestProvider } from '../helpers/oidc-provider.ts';

let idp: TestProvider;

// The provider must know Harbour's address before Harbour starts, and Harbour its client secret.
startHarbourAndBrowserAfter(async () => {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  idp = await startTestProvider({
    redirectUris: [`${publicUrl}/sign-in/sso/test-trust/callback`],
    postLogoutRedirectUris: [`${publicUrl}/sign-in`],
  });
  idp.accounts.set('nurse-1', {
    email: 'nia.nurse@hospital.example',
    name: 'Nia Nurse',
    agency: 'hospital',
    roles: ['ed-safeguarding'],
    amr: ['pwd', 'mfa'],
  });
  const settingsFile = path.join(mkdtempSync(path.join(tmpdir(), 'harbour-sso-')), 'partnership.json');
  writeFileSync(
    settingsFile,
    JSON.stringify({
      signIn: {
        mfa: { requiredForRoles: ['mash_manager', 'health_practitioner'] },
        providers: [
          {
            id: 'test-trust',
            label: 'Harbourshire Hospitals',
            issuer: idp.issuer,
            clientId: idp.clientId,
            clientSecretEnv: 'HARBOUR_TEST_TRUST_SECRET',
            allowedEmailDomains: ['hospital.example'],
            roleClaim: 'harbour_roles',
            roles: { 'ed-safeguarding': 'health_practitioner' },
          },
        ],
      },
    }),
  );
  return {
    PORT: String(port),
    HARBOUR_PUBLIC_URL: publicUrl,
    HARBOUR_PARTNERSHIP_FILE: settingsFile,
    HARBOUR_TEST_TRUST_SECRET: idp.clientSecret,
  };
});
// Registered after the helper's own `after`, so the provider stops once Harbour has.
after(() => idp?.stop());

describe('signing in with a browser: single sign-on and MFA', () => {
  it('signs in through the partnership’s OpenID provider and signs out of both; every page passes axe', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${harbour.url}/sign-in`);
    assert.deepEqual(await accessibilityViolations(page), []);
    await page.getByRole('button', { name: 'Sign in with Harbourshire Hospitals' }).click();

    await page.getByRole('heading', { name: 'Sign in to the test provider' }).waitFor();
    assert.deepEqual(await accessibilityViolations(page), []);
    await page.getByLabel('Username').fill('nurse-1');
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.getByRole('heading', { name: 'Your work' }).waitFor();
    assert.equal(new URL(page.url()).origin, harbour.url);
    assert.match(await page.content(), /Nia Nurse/);
    assert.deepEqual(await accessibilityViolations(page), []);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign out of the test provider' }).waitFor();
    assert.deepEqual(await accessibilityViolations(page), []);
    await page.getByRole('button', { name: 'Yes, sign out' }).click();
    await assertSignedOut(page);
    await context.close();
  });

  it('sets up an authenticator app from the QR code page, then shows the recovery codes; every page passes axe', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${harbour.url}/sign-in`);
    await page.getByLabel('Email address').fill('mash.manager@harbour.example');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();

    await page.getByRole('heading', { name: 'Set up your authenticator app' }).waitFor();
    assert.ok(await page.getByRole('img', { name: /QR code/ }).isVisible());
    assert.deepEqual(await accessibilityViolations(page), []);

    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    assert.deepEqual(await accessibilityViolations(page), []);

    const secret = ((await page.locator('#totp-secret').textContent()) ?? '').replace(/\s/g, '');
    await page.getByLabel('Code from the app').fill(await generate({ secret }));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
    assert.equal(await page.locator('#recovery-codes li').count(), 10);
    assert.deepEqual(await accessibilityViolations(page), []);

    await page.getByRole('button', { name: 'I have saved my recovery codes' }).click();
    await page.getByRole('heading', { name: 'Your work' }).waitFor();
    assert.match(await page.content(), /Morgan Manager/);
    assert.deepEqual(await accessibilityViolations(page), []);
    await context.close();
  });
});
