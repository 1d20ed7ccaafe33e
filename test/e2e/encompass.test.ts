import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { axe, browser, harbour, signIn, startHarbourAndBrowser } from '../helpers/e2e-session.ts';

startHarbourAndBrowser();

/**
 * Signs in, reads the home page's Encompass panel (axe on the page), and opens the first notice it
 * links to: the page, the panel, how many wait and which panel comes first.
 */
async function openFirstNotice(email: string) {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email);
  await page.goto(`${harbour.url}/`);
  const panel = page.locator('section', {
    has: page.getByRole('heading', { name: 'Operation Encompass notices' }),
  });
  await panel.waitFor();
  const waiting = Number(/(\d+) notices? to acknowledge/.exec((await panel.textContent()) ?? '')?.[1]);
  const firstPanel = await page.locator('section.harbour-work-card h2').first().textContent();
  await axe(page);
  await panel
    .getByRole('link', { name: /^Open notice OE-/ })
    .first()
    .click();
  await page.getByRole('heading', { name: /^Notice OE-/ }).waitFor();
  return { page, panel, waiting, firstPanel };
}

/** A new browser signed in as a demo user, on a page whose heading has shown (axe on it). */
async function signedInAt(email: string, path: string, heading: string) {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email);
  await page.goto(`${harbour.url}${path}`);
  await page.getByRole('heading', { name: heading }).waitFor();
  await axe(page);
  return page;
}

/** Acknowledges the open notice as its addressee (the school, or the local authority) would. */
async function acknowledge(page: Page, who: string, actionTaken: string) {
  await page.getByLabel(`What did ${who} do?`).fill(actionTaken);
  await page
    .getByRole('group', { name: `Has ${who} offered the child support?` })
    .getByLabel('Yes')
    .check();
  await page
    .getByRole('group', { name: `Is it logged on ${who}’s own safeguarding system?` })
    .getByLabel('Yes')
    .check();
  await page.getByRole('button', { name: 'Acknowledge notice' }).click();
  await page.getByText('The notice is acknowledged.').waitFor();
}

describe('Operation Encompass in a browser', () => {
  it('the school DSL sees a notice on her home page and acknowledges it; every page passes axe', async () => {
    const { page, panel, waiting } = await openFirstNotice('school.dsl@harbour.example');
    assert.ok(waiting >= 2, 'the demo leaves Riverside Primary at least two notices to acknowledge');
    assert.ok(await page.getByText('Do not approach the parents or carers about this notice.').isVisible());
    await axe(page);

    // Sent without an answer: the error summary names each question, and nothing changes.
    await page.getByRole('button', { name: 'Acknowledge notice' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await axe(page);

    await acknowledge(
      page,
      'the school',
      'Told the class teacher; a trusted adult checked in with the child at registration.',
    );
    assert.ok(await page.getByText('a trusted adult checked in with the child at registration').isVisible());
    await axe(page);

    await page.goto(`${harbour.url}/`);
    const left = waiting - 1;
    assert.match((await panel.textContent()) ?? '', new RegExp(`${left} notices? to acknowledge`));
    await page.goto(`${harbour.url}/encompass/notices?status=acknowledged`);
    await page.getByRole('heading', { name: 'Operation Encompass notices' }).waitFor();
    assert.equal(await page.locator('tbody tr').count(), 1);
    await axe(page);
    await page.goto(`${harbour.url}/encompass/notices`);
    await axe(page);
  });

  it('the LA’s education safeguarding officer sees the home-educated child’s notice first and acknowledges it; axe on each page', async () => {
    const { page, waiting, firstPanel } = await openFirstNotice('education.safeguarding@harbour.example');
    assert.equal(firstPanel, 'Operation Encompass notices', 'her notices come first');
    assert.ok(waiting >= 1, 'the demo leaves Northbridge’s officer a home-educated child’s notice');
    assert.ok(await page.getByText('The child is educated at home').isVisible());
    await axe(page);
    await acknowledge(
      page,
      'the local authority',
      'Arranged a visit by the elective home education adviser with the family’s agreement.',
    );
    await axe(page);
    await page.goto(`${harbour.url}/encompass/notices?status=all`);
    await page.getByRole('heading', { name: 'Operation Encompass notices' }).waitFor();
    await axe(page);
  });

  it('a police officer picks the child for a custody episode by name, without typing an id; axe on each page', async () => {
    const officer = 'police.officer@harbour.example';
    const page = await signedInAt(officer, '/encompass/episodes/new', 'Find the child');
    // Continue with nothing chosen, then a date that does not exist: the error summary each time.
    await page.getByLabel('Day').fill('31');
    await page.getByLabel('Month').fill('2');
    await page.getByLabel('Year').fill('2015');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    assert.ok(await page.getByRole('link', { name: /Date of birth must be a real date/ }).isVisible());
    await axe(page);
    await page.getByLabel('Day').fill('');
    await page.getByLabel('Month').fill('');
    await page.getByLabel('Year').fill('');
    await page.getByLabel('Child’s name').fill('a');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('#results').waitFor();
    await axe(page);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await axe(page);
    const choice = page.getByRole('radio').first();
    const name = (await page.locator('.govuk-radios__label').first().textContent())?.trim() ?? '';
    await choice.check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Share a custody or missing episode with the school' }).waitFor();
    assert.ok(
      await page.locator('.govuk-summary-list').getByText(name).isVisible(),
      'the chosen child is named',
    );
    await axe(page);
  });

  it('the administrator sees the schools and the school calendar; both pass axe', async () => {
    const page = await signedInAt(
      'admin@harbour.example',
      '/admin/encompass/schools',
      'Schools (Operation Encompass)',
    );
    await page.getByRole('link', { name: 'Riverside Primary School' }).click();
    await page.getByRole('heading', { name: 'Riverside Primary School' }).waitFor();
    await axe(page);
    await page.goto(`${harbour.url}/admin/encompass/calendar`);
    await page.getByRole('heading', { name: 'School calendar (Operation Encompass)' }).waitFor();
    await axe(page);
    await page.getByRole('button', { name: 'Add to the calendar' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await axe(page);
  });
});
