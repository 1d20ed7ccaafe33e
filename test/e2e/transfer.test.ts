import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { axe, harbour, issueApiKey, signedInPage, startHarbourAndBrowser } from '../helpers/e2e-session.ts';

startHarbourAndBrowser();

describe('a bulk transfer’s reconciliation report in a browser', () => {
  it('community health reads its run’s report, filters and sorts it; every page passes axe', async () => {
    const key = await issueApiKey('community-health', 'Community health caseload transfer (e2e)');
    const rows = [
      ...Array.from({ length: 3 }, (_, i) => ({
        reference: `E2E-${i}`,
        kind: 'child',
        givenName: `Browsella${'abc'[i]}`,
        familyName: 'Ledgerfield',
        dateOfBirth: `2019-0${i + 1}-11`,
        postcode: 'NB1 2AA',
      })),
      { reference: 'E2E-BAD', kind: 'child', givenName: '', familyName: 'Nameless', postcode: 'NB1 2AA' },
    ];
    const response = await fetch(`${harbour.url}/api/v1/imports/people`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ fileName: 'caseload-e2e.csv', rows }),
    });
    assert.equal(response.status, 201);

    const page = await signedInPage('mash.health@harbour.example');
    await page.getByRole('link', { name: 'Record transfers' }).first().click();
    await page.getByRole('heading', { name: 'Record transfers' }).waitFor();
    await axe(page);
    await page.getByRole('link', { name: 'caseload-e2e.csv' }).click();
    await page.getByRole('heading', { name: 'caseload-e2e.csv' }).waitFor();
    assert.ok(await page.getByText('4 rows, page 1 of 1').isVisible());
    await axe(page);
    await page.getByLabel('Outcome').selectOption('rejected');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByText('1 row rejected, page 1 of 1').waitFor();
    assert.ok(await page.getByText('Given and family names are required').isVisible());
    await axe(page);
    await page.getByRole('link', { name: 'Reference' }).click();
    await page.locator('th[aria-sort="ascending"]', { hasText: 'Reference' }).waitFor();
    await axe(page);
    await page.context().close();
  });
});
