import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { accessibilityViolations } from '../helpers/browser.ts';
import { harbour, signedInPage, startHarbourAndBrowser } from '../helpers/e2e-session.ts';

startHarbourAndBrowser();

const signIn = (email: string) => signedInPage(email);

async function axeClean(page: Page, where: string) {
  assert.deepEqual(await accessibilityViolations(page), [], where);
}

/** Waits for the page headed `heading` and checks it with axe; `where` names it in a failure. */
async function shows(page: Page, heading: string, where: string) {
  await page.getByRole('heading', { name: heading }).waitFor();
  await axeClean(page, where);
}

describe('chronology and risk in a browser', () => {
  it('records events, reads the chronology and the cumulative risk; every page passes axe', async () => {
    const page = await signIn('front.door@harbour.example');
    await page.goto(`${harbour.url}/people?name=a&kind=child`);
    await page.locator('tbody a').first().click();
    await shows(page, 'Chronology and risk', 'person page with the chronology and risk panel');
    const personUrl = page.url();

    await page.getByRole('link', { name: 'Record an event' }).click();
    await shows(page, 'Record an event', 'record event form');
    await page.getByRole('button', { name: 'Add to chronology' }).click();
    await shows(page, 'There is a problem', 'record event form with errors');

    // Three incidents in the last few months: potential escalation.
    for (const [i, monthsAgo] of [4, 2, 1].entries()) {
      if (i > 0) await page.goto(`${personUrl}/events/new`);
      const when = new Date();
      when.setDate(1);
      when.setMonth(when.getMonth() - monthsAgo);
      await page.getByLabel('Type of event').selectOption({ label: 'Police domestic abuse notification' });
      await page.getByLabel('Day').fill('1');
      await page.getByLabel('Month').fill(String(when.getMonth() + 1));
      await page.getByLabel('Year').fill(String(when.getFullYear()));
      await page.getByLabel('High').check();
      await page.getByLabel('Summary').fill(`Police attended an argument at home (${i + 1}).`);
      await page.getByRole('button', { name: 'Add to chronology' }).click();
      await page.getByText('The event was added to the chronology.').waitFor();
    }
    await page.getByRole('heading', { name: 'Chronology' }).waitFor();
    assert.match(await page.content(), /Police attended an argument at home \(3\)/);
    await axeClean(page, 'chronology timeline');

    await page.getByLabel('Significant events only').check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText(/match the filters/).waitFor();
    await axeClean(page, 'chronology filtered');
    await page.getByRole('link', { name: 'Print view' }).click();
    await page.getByRole('table').waitFor();
    await axeClean(page, 'chronology print view');

    await page.goto(personUrl);
    await page.getByRole('link', { name: 'Cumulative risk: reasons and evidence' }).click();
    await page.getByRole('heading', { name: 'Cumulative risk', exact: true }).waitFor();
    const content = await page.content();
    assert.match(content, /MARAC criteria/);
    assert.match(content, /Refer to MARAC/);
    await page.locator('details summary').first().click();
    await axeClean(page, 'cumulative risk page with a finding open');
  });

  it('a police supervisor sees awaited assessments; a social worker fills in a DASH section', async () => {
    const supervisor = await signIn('police.supervisor@harbour.example');
    await supervisor.getByRole('link', { name: 'Awaited assessments' }).first().click();
    await shows(supervisor, 'Awaited risk assessments', 'awaited assessments report');

    const worker = await signIn('social.worker@harbour.example');
    await worker.goto(`${harbour.url}/people?name=a&kind=adult`);
    await worker.locator('tbody a').first().click();
    await worker.getByRole('link', { name: 'Record a DASH risk assessment' }).click();
    await shows(worker, 'Record a risk assessment', 'assessment start');
    await worker.getByLabel(/SafeLives/).check();
    await worker.getByRole('button', { name: 'Start' }).click();
    await shows(worker, 'Current situation', 'assessment section');
    await worker.getByRole('button', { name: 'Continue' }).click();
    await shows(worker, 'There is a problem', 'assessment section with errors');
  });
});
