import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/modules/demo/partnership.ts';
import { accessibilityViolations, launchChromium, type RunningHarbour, startHarbour } from './browser.ts';

/** The file's running Harbour and Chromium, set before its first test (live bindings). */
export let harbour: RunningHarbour;
export let browser: Browser;

/** One Harbour and one Chromium for the calling test file: started before its tests, stopped after. */
export function startHarbourAndBrowser(env: Record<string, string> = {}): void {
  startHarbourAndBrowserAfter(async () => env);
}

/**
 * As startHarbourAndBrowser, for a file whose server settings exist only once something else is
 * running (a test identity provider that must know Harbour's address): `settings` runs first, in
 * the same `before`, and gives Harbour's environment.
 */
export function startHarbourAndBrowserAfter(settings: () => Promise<Record<string, string>>): void {
  before(async () => {
    harbour = await startHarbour(await settings());
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await harbour?.stop();
  });
}

/** Signs a demo account in through the sign-in page, as a person would, and waits for its home page. */
export async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(`${harbour.url}/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Your work' }).waitFor();
}

/** Every page a browser test visits must have no axe violations. */
export async function axe(page: Page): Promise<void> {
  assert.deepEqual(await accessibilityViolations(page), []);
}

/**
 * After signing out: the sign-in page says so (and passes axe), and the session is gone, so the
 * home page sends the browser back to sign in.
 */
export async function assertSignedOut(page: Page): Promise<void> {
  await page.getByText('You have signed out.').waitFor();
  assert.equal(new URL(page.url()).pathname, '/sign-in');
  await axe(page);
  await page.goto(new URL('/', page.url()).href);
  assert.match(page.url(), /\/sign-in/);
}

/** A page in a new browser context (its own session), signed in as the demo account. */
export async function signedInPage(
  email: string,
  options: { viewport?: { width: number; height: number }; timeoutMs?: number } = {},
): Promise<Page> {
  const context = await browser.newContext(options.viewport ? { viewport: options.viewport } : {});
  if (options.timeoutMs !== undefined) context.setDefaultTimeout(options.timeoutMs);
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

/** A partner system's API key, issued through the admin pages as an administrator would. */
export async function issueApiKey(agencyCode: string, label: string): Promise<string> {
  const page = await signedInPage('admin@harbour.example');
  await page.goto(`${harbour.url}/admin/api-keys/new`);
  await page.getByLabel('Agency the key acts for').selectOption(agencyCode);
  await page.getByLabel('Label').fill(label);
  await page.getByRole('button', { name: 'Create key' }).click();
  const key = (await page.locator('#api-key').textContent())!.trim();
  await page.context().close();
  return key;
}
