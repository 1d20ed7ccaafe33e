import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DateTime } from 'luxon';
import { openAs } from '../helpers/e2e-pages.ts';
import { axe, harbour, signedInPage, startHarbourAndBrowser } from '../helpers/e2e-session.ts';

startHarbourAndBrowser();

describe('MARAC in a browser', () => {
  it('the coordinator runs next week’s meeting from the agenda to the minutes; every page passes axe', async () => {
    const page = await openAs('marac@harbour.example', '/marac', 'Referrals awaiting a meeting');
    await axe(page);

    // The demo's meeting next week, with its agenda.
    const scheduled = page.locator('tbody tr', { hasText: 'scheduled' }).first();
    await scheduled.getByRole('link').click();
    await page.getByRole('heading', { name: 'Agenda' }).waitFor();
    assert.ok(await page.getByText('Repeat').first().isVisible(), 'a repeat heads the agenda');
    await axe(page);
    await page.getByRole('button', { name: 'Start the meeting' }).click();

    // Last week's open actions are reviewed first; a review without a status is refused.
    await page.getByRole('heading', { name: 'Actions from earlier meetings' }).waitFor();
    await page.getByLabel('Note (optional)').fill('Bail hearing next week');
    await page.getByRole('button', { name: 'Record the review' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await axe(page);
    await page.getByLabel('In progress').check();
    await page.getByRole('button', { name: 'Record the review' }).click();
    await page.getByRole('cell', { name: /In progress: Bail hearing next week/ }).waitFor();
    await axe(page);

    // The first case: everyone's research is shared now; the discussion and an action recorded.
    await page.locator('tbody a[href^="/marac/cases/"]').first().click();
    await page.getByRole('heading', { name: 'Research' }).waitFor();
    assert.ok(
      await page
        .getByText(/research for MC-/)
        .first()
        .isVisible(),
      'returned research is shown',
    );
    await axe(page);
    await page.getByRole('button', { name: 'Record the discussion' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await axe(page);
    await page.getByLabel('Discussion notes').fill('Safety plan refreshed; refuge space offered.');
    await page.getByRole('button', { name: 'Record the discussion' }).click();
    await page.getByText('Safety plan refreshed; refuge space offered.').waitFor();
    await page.getByLabel('Owner agency').selectOption({ label: 'Harbour Domestic Abuse Service' });
    await page.getByLabel('Action', { exact: true }).fill('Offer a refuge space this week.');
    await page.getByLabel('Due by').fill(DateTime.now().plus({ days: 7 }).toISODate()!);
    await page.getByRole('button', { name: 'Add the action' }).click();
    await page.getByRole('cell', { name: 'Offer a refuge space this week.' }).waitFor();
    await axe(page);
    await page.getByRole('link', { name: 'Back to the agenda' }).click();
    await page.getByRole('heading', { name: 'Agenda' }).waitFor();
    assert.ok(await page.locator('tbody tr', { hasText: 'discussed' }).first().isVisible());

    // The meeting ends; the minutes are refused empty, then published.
    await page.getByRole('button', { name: 'End the meeting' }).click();
    await page.getByRole('button', { name: 'Publish the minutes' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await axe(page);
    await page
      .getByLabel('Minutes')
      .fill('One case heard; two carried to the next meeting. Actions reviewed.');
    await page.getByRole('button', { name: 'Publish the minutes' }).click();
    await page.getByText('One case heard; two carried to the next meeting. Actions reviewed.').waitFor();
    assert.ok(await page.getByText('minutes: published').isVisible());
    await axe(page);
  });

  it('the police mark their MARAC action done in their inbox', async () => {
    const page = await signedInPage('police.officer@harbour.example');
    await page.goto(`${harbour.url}/actions`);
    const card = () =>
      page.locator('.govuk-summary-card', { hasText: 'Review the perpetrator’s bail conditions' });
    await card().waitFor();
    await axe(page);
    await card().getByLabel('What was done').fill('Bail conditions reviewed; the IDVA told.');
    await card().getByRole('button', { name: 'Mark done' }).click();
    await page.getByText('The action was marked done.').waitFor();
    await axe(page);
  });
});
