import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { axe, browser, harbour, signIn, startHarbourAndBrowser } from '../helpers/e2e-session.ts';

startHarbourAndBrowser();

describe('Operation Encompass in a browser', () => {
  it('the school DSL sees a notice on her home page and acknowledges it; every page passes axe', async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, 'school.dsl@harbour.example');
    await page.goto(`${harbour.url}/`);
    const panel = page.locator('section', {
      has: page.getByRole('heading', { name: 'Operation Encompass notices' }),
    });
    await panel.waitFor();
    const waiting = Number(/(\d+) notices? to acknowledge/.exec((await panel.textContent()) ?? '')?.[1]);
    assert.ok(waiting >= 2, 'the demo leaves Riverside Primary at least two notices to acknowledge');
    await axe(page);

    await panel
      .getByRole('link', { name: /^Open notice OE-/ })
      .first()
      .click();
    await page.getByRole('heading', { name: /^Notice OE-/ }).waitFor();
    assert.ok(await page.getByText('Do not approach the parents or carers about this notice.').isVisible());
    await axe(page);

    // Sent without an answer: the error summary names each question, and nothing changes.
    await page.getByRole('button', { name: 'Acknowledge notice' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await axe(page);

    await page
      .getByLabel('What did the school do?')
      .fill('Told the class teacher; a trusted adult checked in with the child at registration.');
    await page
      .getByRole('group', { name: 'Has the school offered the child support?' })
      .getByLabel('Yes')
      .check();
    await page
      .getByRole('group', { name: 'Is it logged on the school’s own safeguarding system?' })
      .getByLabel('Yes')
      .check();
    await page.getByRole('button', { name: 'Acknowledge notice' }).click();
    await page.getByText('The notice is acknowledged.').waitFor();
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

  it('the administrator sees the schools and the school calendar; both pass axe', async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, 'admin@harbour.example');
    await page.goto(`${harbour.url}/admin/encompass/schools`);
    await page.getByRole('heading', { name: 'Schools (Operation Encompass)' }).waitFor();
    await axe(page);
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
