import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { axe, harbour, issueApiKey, signedInPage, startHarbourAndBrowser } from '../helpers/e2e-session.ts';

startHarbourAndBrowser();

/** A child recorded by a partner system, as the people test does: the export's subject. */
async function recordChild(): Promise<string> {
  const key = await issueApiKey('community-health', 'Community health records (data protection e2e)');
  const response = await fetch(`${harbour.url}/api/v1/people`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      kind: 'child',
      givenName: 'Perpetua',
      familyName: 'Ravenscroft-Tull',
      dateOfBirth: '2016-08-19',
      sex: 'female',
      addresses: [{ line1: '9 Heron Walk', postcode: 'NB1 4AA' }],
    }),
  });
  assert.equal(response.status, 201);
  return ((await response.json()) as { id: string }).id;
}

describe('data protection pages in a browser', () => {
  it('a DPO exports a person for a subject access request, and a manager reviews retention; every page passes axe', async () => {
    const personId = await recordChild();
    const page = await signedInPage('dpo@harbour.example');
    await axe(page);

    await page.getByRole('link', { name: 'Subject access' }).first().click();
    await page.getByRole('heading', { name: 'Subject access request' }).waitFor();
    await axe(page);
    // Without a reason: the error summary names the field.
    await page.getByLabel('Harbour record ID of the person').fill(personId);
    await page.getByRole('button', { name: 'Export the record' }).click();
    await page.getByText('There is a problem').waitFor();
    await axe(page);
    await page.getByLabel('Reason for the export').fill('SAR-2026-031, request from the child’s father');
    await page.getByRole('button', { name: 'Export the record' }).click();
    await page.getByRole('heading', { name: 'Subject access export: Perpetua Ravenscroft-Tull' }).waitFor();
    const content = await page.content();
    assert.match(content, /9 Heron Walk/);
    assert.match(content, /Harbourshire Community Health/);
    await axe(page);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download as JSON' }).click();
    assert.match((await download).suggestedFilename(), new RegExp(`subject-access-${personId}\\.json`));

    await page.goto(`${harbour.url}/retention`);
    await page.getByRole('heading', { name: 'Records due for removal' }).waitFor();
    await axe(page);
    await page.context().close();

    const manager = await signedInPage('mash.manager@harbour.example');
    await manager.goto(`${harbour.url}/retention`);
    await manager.getByRole('button', { name: 'List what is due now' }).click();
    await manager.getByText(/Nothing has been removed/).waitFor();
    await axe(manager);
  });
});
