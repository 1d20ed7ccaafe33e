import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { axe, browser, harbour, signIn, startHarbourAndBrowser } from '../helpers/e2e-session.ts';

startHarbourAndBrowser();

describe('the outbox in a browser', () => {
  it('a MASH worker opens the inbox, reads a message and chooses to be told by email too; every page passes axe', async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, 'social.worker@harbour.example');
    await axe(page);
    await page.goto(`${harbour.url}/inbox?show=unread`);
    await page.getByRole('heading', { name: 'Your inbox' }).waitFor();
    await axe(page);
    const row = page.locator('tbody tr', { hasText: 'An action is assigned to you: a home visit' });
    assert.ok(await row.getByText('Unread').isVisible(), 'the demo’s message to the worker is unread');
    await row.getByRole('link', { name: 'An action is assigned to you: a home visit' }).click();
    await page.getByRole('heading', { name: 'An action is assigned to you: a home visit' }).waitFor();
    const detail = await page.locator('.govuk-summary-list').textContent();
    assert.match(detail ?? '', /Home visit for \S+ \S+\./, 'the personal detail is shown in Harbour');
    assert.ok(await page.getByRole('link', { name: 'Go to the record' }).isVisible());
    await axe(page);

    // Back in the inbox the message is read, and no longer among the unread.
    await page.goto(`${harbour.url}/inbox?show=all`);
    const read = page.locator('tbody tr', { hasText: 'An action is assigned to you: a home visit' });
    assert.ok(await read.getByText('Read', { exact: true }).isVisible());
    await axe(page);
    await page.goto(`${harbour.url}/inbox?show=unread`);
    assert.equal(await page.locator('tbody tr', { hasText: 'a home visit' }).count(), 0);

    // A preference: also by email for actions assigned to the agency.
    await page.getByRole('link', { name: 'Choose how you are told' }).click();
    await page.getByRole('heading', { name: 'How you are told' }).waitFor();
    await axe(page);
    const assigned = page.getByRole('group', { name: 'An action is assigned to your agency' });
    await assigned.getByLabel('Email', { exact: true }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Your choices were saved.').waitFor();
    await axe(page);
    await page.reload();
    assert.ok(
      await page
        .getByRole('group', { name: 'An action is assigned to your agency' })
        .getByLabel('Email', { exact: true })
        .isChecked(),
      'the choice was kept',
    );
    assert.ok(
      !(await page
        .getByRole('group', { name: 'An action of your agency is overdue' })
        .first()
        .getByLabel('Email', { exact: true })
        .isChecked()),
      'other types are unchanged',
    );
  });

  it('an administrator views the delivery report and filters it; every page passes axe', async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, 'admin@harbour.example');
    await page.goto(`${harbour.url}/admin/notifications`);
    await page.getByRole('heading', { name: 'Notification deliveries' }).waitFor();
    await axe(page);
    const sent = await page.getByText(/^Sent: \d+$/).textContent();
    assert.ok(Number(sent?.split(': ')[1]) >= 4, `the demo's messages are counted as sent (${sent})`);
    // Every demo message is delivered to its inbox, so the first page holds sent deliveries.
    const sentTags = () => page.locator('tbody .govuk-tag', { hasText: /^\s*Sent\s*$/ }).count();
    assert.ok((await sentTags()) > 0, 'sent deliveries are listed');
    await page.getByLabel('Status').selectOption('dead-letter');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/status=dead-letter/);
    await page.getByRole('heading', { name: 'Notification deliveries' }).waitFor();
    assert.equal(await sentTags(), 0, 'the filter shows only dead-lettered deliveries');
    await axe(page);
    await page.getByRole('link', { name: 'Set an agency’s channels' }).click();
    await page.getByRole('link', { name: 'Harbourshire Police' }).first().click();
    assert.equal(await page.getByLabel('Secure mail domains').inputValue(), 'police.harbour.example');
    await axe(page);
  });
});
