import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openAs } from '../helpers/e2e-pages.ts';
import { axe, harbour, startHarbourAndBrowser } from '../helpers/e2e-session.ts';

startHarbourAndBrowser();

describe('/admin/matching in a browser', () => {
  it('a manager trains a model, reads its weights and trade-off, and sets thresholds; every page passes axe', async () => {
    const page = await openAs('mash.manager@harbour.example', '/admin/matching', 'Matching model');
    assert.match(await page.content(), /uses the weights Harbour ships with/);
    await axe(page);

    await page.getByRole('button', { name: 'Train a new model now' }).click();
    await page.getByText('Training has been queued').waitFor();
    // The job runs in the background; the page shows the model once it is stored.
    const deadline = Date.now() + 120_000;
    while (!(await page.getByText('Model version').isVisible())) {
      assert.ok(Date.now() < deadline, 'the model was trained within two minutes');
      await new Promise((resolve) => setTimeout(resolve, 2000));
      await page.goto(`${harbour.url}/admin/matching`);
    }
    assert.ok((await page.locator('#tradeoff tbody tr').count()) > 5);
    assert.ok((await page.locator('#weights tbody tr').count()) > 20);
    assert.ok(await page.getByRole('img', { name: /Match weight of each comparison level/ }).isVisible());
    await axe(page);

    await page.getByLabel('Auto-link threshold (bits)').fill('18');
    await page.getByLabel('Review threshold (bits)').fill('19');
    await page.getByRole('button', { name: 'Set thresholds' }).click();
    await page.getByText('There is a problem').waitFor();
    assert.match(await page.content(), /The review threshold must not be above the auto-link threshold/);
    await axe(page);

    await page.getByLabel('Review threshold (bits)').fill('7');
    await page.getByRole('button', { name: 'Set thresholds' }).click();
    await page.getByText('Thresholds set: auto-link at 18 bits, review at 7 bits').waitFor();
    assert.match(await page.content(), /In force: auto-link at 18 bits, review at 7 bits/);
    await axe(page);
    await page.context().close();
  });
});
