import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openAs } from '../helpers/e2e-pages.ts';
import { axe, harbour, startHarbourAndBrowser } from '../helpers/e2e-session.ts';

startHarbourAndBrowser();

describe('multi-agency actions in a browser', () => {
  it('a school sees the strategy discussion’s action for it and marks it done with a note; every page passes axe', async () => {
    const page = await openAs('school.dsl@harbour.example', '/actions', 'Your agency’s actions');
    await axe(page);
    const card = page.locator('.govuk-summary-card', { hasText: 'Daily check-in with the child' });
    await card.getByRole('button', { name: 'Mark done' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await axe(page);
    await page
      .locator('.govuk-summary-card', { hasText: 'Daily check-in with the child' })
      .getByLabel('What was done')
      .fill('Check-ins started; she is settled in class.');
    await page
      .locator('.govuk-summary-card', { hasText: 'Daily check-in with the child' })
      .getByRole('button', { name: 'Mark done' })
      .click();
    await page.getByText('The action was marked done.').waitFor();
    await axe(page);
    await page.goto(`${harbour.url}/actions?status=done`);
    assert.ok(await page.getByText('Check-ins started; she is settled in class.').isVisible());
    await axe(page);

    // The discussion shows the action done to its participants.
    await page.getByRole('link', { name: 'Strategy discussions' }).first().click();
    await page.locator('tbody a').first().click();
    await page.getByRole('heading', { name: 'Participants' }).waitFor();
    assert.ok(await page.getByText('Check-ins started; she is settled in class.').isVisible());
    await axe(page);
  });
});
