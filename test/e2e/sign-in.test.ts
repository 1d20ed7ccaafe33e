import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_PASSWORD } from '../../src/modules/demo/partnership.ts';
import { accessibilityViolations } from '../helpers/browser.ts';
import { assertSignedOut, browser, harbour, startHarbourAndBrowser } from '../helpers/e2e-session.ts';

startHarbourAndBrowser();

describe('signing in with a browser', () => {
  it('signs in as a demo user, shows the home page, and signs out; every page passes axe', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${harbour.url}/`);
    assert.match(page.url(), /\/sign-in/);
    assert.deepEqual(await accessibilityViolations(page), []);

    await page.getByLabel('Email address').fill('mash.manager@harbour.example');
    await page.getByLabel('Password').fill('wrong-password-here');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    assert.deepEqual(await accessibilityViolations(page), []);

    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your work' }).waitFor();
    assert.match(await page.content(), /Morgan Manager/);
    assert.deepEqual(await accessibilityViolations(page), []);

    await page.getByRole('link', { name: 'Search people' }).click();
    await page.getByLabel('Name').fill('a');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('table').waitFor();
    assert.deepEqual(await accessibilityViolations(page), []);
    await page.locator('table tbody a').first().click();
    await page.getByRole('heading', { name: 'Personal details' }).waitFor();
    assert.deepEqual(await accessibilityViolations(page), []);
    await page.getByRole('link', { name: 'Who has looked at this record' }).click();
    await page.getByRole('table').waitFor();
    assert.match(await page.content(), /person\.view/);
    assert.deepEqual(await accessibilityViolations(page), []);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await assertSignedOut(page);
    await context.close();
  });

  it('shows an administrator the users page, keyboard first', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${harbour.url}/sign-in`);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByLabel('Email address').fill('admin@harbour.example');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Your work' }).waitFor();
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    assert.deepEqual(await accessibilityViolations(page), []);
    await page.getByRole('button', { name: 'Add a user' }).click();
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    assert.deepEqual(await accessibilityViolations(page), []);
    await context.close();
  });
});
