import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { axe, harbour, issueApiKey, signedInPage, startHarbourAndBrowser } from '../helpers/e2e-session.ts';

startHarbourAndBrowser();

async function createPerson(key: string, body: Record<string, unknown>) {
  const response = await fetch(`${harbour.url}/api/v1/people`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('people: search, person, review queue and merge in a browser', () => {
  it('finds a child, reviews a possible duplicate side by side, links them and undoes it; every page passes axe', async () => {
    const key = await issueApiKey('community-health', 'Community health records (e2e)');
    const child = {
      kind: 'child',
      givenName: 'Rosalind',
      familyName: 'Featherstonehaugh',
      dateOfBirth: '2018-03-09',
      sex: 'female',
      addresses: [{ line1: '22 Wren Street', postcode: 'NB1 4AA' }],
    };
    assert.equal((await createPerson(key, child)).status, 201);
    const duplicate = { ...child, givenName: 'Ros', dateOfBirth: undefined };
    const conflict = await createPerson(key, duplicate);
    assert.equal(conflict.status, 409);
    const anyway = await createPerson(key, { ...duplicate, createAnyway: true });
    assert.equal(anyway.status, 201);
    assert.equal(anyway.body.reviewsQueued, 1);

    const page = await signedInPage('mash.manager@harbour.example');
    await axe(page);

    await page.getByRole('link', { name: 'Search people' }).click();
    await page.getByLabel('Name').fill('Featherstonehaugh');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('table').waitFor();
    assert.match(await page.content(), /2 people found/);
    await axe(page);
    await page.getByRole('link', { name: /^Date of birth/ }).click();
    await page.getByRole('table').waitFor();
    await axe(page);

    await page.getByRole('link', { name: 'Rosalind Featherstonehaugh' }).click();
    await page.getByRole('heading', { name: 'Personal details' }).waitFor();
    assert.match(await page.content(), /From Harbourshire Community Health/);
    await axe(page);

    await page.getByRole('link', { name: 'Match review' }).first().click();
    await page.getByRole('heading', { name: 'Possible duplicate records' }).waitFor();
    await axe(page);
    await page
      .getByRole('link', { name: /Compare/ })
      .first()
      .click();
    await page.getByRole('heading', { name: 'Are these the same person?' }).waitFor();
    await axe(page);

    await page.getByRole('button', { name: 'Save decision' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await axe(page);

    await page.getByLabel(/Same person: link them/).check();
    await page.getByLabel('Why').fill('Same child: health visitor confirmed Ros is Rosalind');
    await page.getByRole('button', { name: 'Save decision' }).click();
    await page.getByText('The records were merged.').waitFor();
    // The decided pair has left the queue (the demo may hold other pairs waiting).
    assert.doesNotMatch((await page.locator('main').textContent()) ?? '', /Featherstonehaugh/);
    await axe(page);

    await page.getByRole('link', { name: 'Merge history' }).click();
    await page.getByRole('heading', { name: 'Merge history' }).waitFor();
    await axe(page);
    await page.locator('table tbody a').first().click();
    await page.getByRole('heading', { name: 'What moved' }).waitFor();
    await axe(page);
    await page.getByLabel('Why are you undoing it?').fill('Checking the undo works');
    await page.getByRole('button', { name: 'Undo merge' }).click();
    await page.getByText('The merge was undone.').waitFor();
    assert.match(await page.content(), /Undone/);
    await axe(page);

    // The merge and its undoing are on each record's change history, field by field.
    // Whichever record survived, Ros's changed both times: it was merged away, or took a date of birth.
    await page.goto(`${harbour.url}/people?name=Featherstonehaugh`);
    await page.getByRole('link', { name: 'Ros Featherstonehaugh', exact: true }).click();
    await page.getByRole('link', { name: 'Changes to this record' }).click();
    await page.getByRole('heading', { name: 'Changes to Ros Featherstonehaugh’s record' }).waitFor();
    assert.match(await page.content(), /Records merged/);
    assert.match(await page.content(), /Merge undone/);
    await axe(page);
    await page.context().close();
  });
});
