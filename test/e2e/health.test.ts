import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_NHS_NUMBERS } from '../../src/modules/demo/health.ts';
import { openAs } from '../helpers/e2e-pages.ts';
import { axe, harbour, startHarbourAndBrowser } from '../helpers/e2e-session.ts';

startHarbourAndBrowser();

describe('unscheduled care in a browser', () => {
  it('the ED nurse looks up a flagged child and sees whom to call; every page passes axe', async () => {
    const page = await openAs('ed.nurse@harbour.example', '/health/lookup', 'Patient lookup');
    await axe(page);
    await page.getByLabel('NHS number').fill(DEMO_NHS_NUMBERS.cpPlanChild);
    await page.getByRole('button', { name: 'Look up by NHS number' }).click();
    await page.getByRole('heading', { name: 'Known to the partnership: flags to act on' }).waitFor();
    assert.ok(await page.getByRole('heading', { name: 'Child protection plan' }).isVisible());
    assert.ok(await page.getByText('Northbridge MASH duty line 01632 960000 (synthetic)').isVisible());
    await axe(page);

    await page.goto(`${harbour.url}/health/lookup`);
    await page.getByLabel('NHS number').fill(DEMO_NHS_NUMBERS.notKnown);
    await page.getByRole('button', { name: 'Look up by NHS number' }).click();
    await page.getByRole('heading', { name: 'Not known to the partnership' }).waitFor();
    await axe(page);

    await page.goto(`${harbour.url}/health/lookup`);
    await page.getByLabel('NHS number').fill('123');
    await page.getByRole('button', { name: 'Look up by NHS number' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    await axe(page);

    // No NHS number: by name and date of birth, honestly not a clearance; a blank form is an error.
    await page.goto(`${harbour.url}/health/lookup`);
    await page.getByLabel('First name').fill('Zephyrine');
    await page.getByLabel('Last name').fill('Quockerwodger');
    await page.getByLabel('Day').fill('1');
    await page.getByLabel('Month').fill('2');
    await page.getByLabel('Year').fill('2016');
    await page.getByRole('button', { name: 'Look up by name and date of birth' }).click();
    await page.getByRole('heading', { name: 'Not known to the partnership' }).waitFor();
    assert.ok(await page.getByText(/A different spelling/).isVisible());
    await axe(page);
    await page.goto(`${harbour.url}/health/lookup`);
    await page.getByRole('button', { name: 'Look up by name and date of birth' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    assert.ok(await page.locator('.govuk-error-summary a[href="#dateOfBirth-day"]').isVisible());
    await axe(page);
    await page.context().close();
  });
});
