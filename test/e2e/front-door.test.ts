import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/modules/demo/partnership.ts';
import { accessibilityViolations } from '../helpers/browser.ts';
import { browser, harbour, startHarbourAndBrowser } from '../helpers/e2e-session.ts';

startHarbourAndBrowser();

async function signIn(email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${harbour.url}/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Your work' }).waitFor();
  return page;
}

async function axe(page: Page) {
  assert.deepEqual(await accessibilityViolations(page), [], `axe on ${page.url()}`);
}

const group = (page: Page, name: string) => page.getByRole('group', { name });

async function fillChild(
  page: Page,
  child: { given: string; day: string; month: string; year: string; witnessed: boolean },
) {
  await page.getByLabel('First name').fill(child.given);
  await page.getByLabel('Last name').fill('Brightwater');
  await group(page, 'Date of birth').getByLabel('Day').fill(child.day);
  await group(page, 'Date of birth').getByLabel('Month').fill(child.month);
  await group(page, 'Date of birth').getByLabel('Year').fill(child.year);
  await group(page, 'Does the child live at the address?').getByLabel('Yes').check();
  await group(page, 'Was the child present?').getByLabel('Yes').check();
  await group(page, 'Did the child see or hear the incident?')
    .getByLabel(child.witnessed ? 'Yes' : 'No')
    .check();
  await group(page, 'Was the child injured?').getByLabel('No').check();
}

describe('the front door in a browser (issue acceptance)', () => {
  it('police DAN for two children → MASH queue → enquiries → health responds → decision → sign-off → police see the outcome', async () => {
    // 1. A police officer submits a DAN for a household with two children, one page per section.
    const police = await signIn('police.officer@harbour.example');
    await axe(police);
    await police.getByRole('link', { name: 'Send a notification' }).click();
    await axe(police);
    await police.getByRole('button', { name: 'Start a new notification' }).click();
    await police.getByRole('heading', { name: 'The incident' }).waitFor();
    await police.getByRole('button', { name: 'Save and continue' }).click();
    await police.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await axe(police);
    await police.getByLabel('Police incident reference').fill('NB/26/E2E-0001');
    const yesterday = new Date(Date.now() - 24 * 60 * 60 * 1000);
    await group(police, 'Date of the incident').getByLabel('Day').fill(String(yesterday.getDate()));
    await group(police, 'Date of the incident')
      .getByLabel('Month')
      .fill(String(yesterday.getMonth() + 1));
    await group(police, 'Date of the incident').getByLabel('Year').fill(String(yesterday.getFullYear()));
    await police.getByLabel('Time of the incident').fill('21:40');
    await police.getByLabel('Address line 1').fill('27 Heronsgate');
    await police.getByLabel('Postcode').fill('NB2 5JT');
    await police
      .getByLabel('Circumstances')
      .fill('Call from the victim; suspect had left. Kitchen door broken.');
    await police.getByRole('button', { name: 'Save and continue' }).click();

    await police.getByRole('heading', { name: 'The victim' }).waitFor();
    await axe(police);
    await police.getByLabel('First name').fill('Saoirse');
    await police.getByLabel('Last name').fill('Brightwater');
    await police.getByRole('button', { name: 'Save and continue' }).click();

    await police.getByRole('heading', { name: 'First suspect' }).waitFor();
    await axe(police);
    await police.getByLabel('First name').fill('Lorcan');
    await police.getByLabel('Last name').fill('Daventry-Holt');
    await police.getByRole('button', { name: 'Save and continue' }).click();

    await police.getByRole('heading', { name: 'First child' }).waitFor();
    await axe(police);
    await fillChild(police, { given: 'Wren', day: '14', month: '6', year: '2016', witnessed: true });
    await police.getByLabel('School', { exact: true }).selectOption({ label: 'Riverside Primary School' });
    await police.getByLabel('What the child said (optional)').fill('I put my headphones on.');
    await police.getByRole('button', { name: 'Save and add another child' }).click();
    await police.getByRole('heading', { name: 'Second child' }).waitFor();
    await fillChild(police, { given: 'Caspian', day: '2', month: '11', year: '2020', witnessed: false });
    await police.getByRole('button', { name: 'Save and continue' }).click();

    await police.getByRole('heading', { name: 'Risk assessment' }).waitFor();
    await axe(police);
    await police.getByRole('radio', { name: 'Completed' }).check();
    await police.getByLabel('DASH score (if completed)').fill('15');
    await police.getByRole('radio', { name: 'High' }).check();
    await police.getByRole('button', { name: 'Save and continue' }).click();

    await police.getByRole('heading', { name: 'Consent and early help' }).waitFor();
    await axe(police);
    await group(police, 'Did you ask the victim for consent to share?').getByLabel('Yes').check();
    await group(police, 'If asked, was consent given?').getByLabel('Yes').check();
    await group(police, 'Was early help offered to the family?').getByLabel('No').check();
    await police.getByRole('button', { name: 'Save and continue' }).click();

    await police.getByRole('heading', { name: 'Check the notification before sending it' }).waitFor();
    await axe(police);
    await police.getByRole('button', { name: 'Send notification' }).click();
    await police.getByRole('heading', { name: 'Notification sent' }).waitFor();
    await axe(police);
    const reference = (await police.locator('.govuk-panel__body strong').textContent())!.trim();
    assert.match(reference, /^FD-\d{6}$/);

    // 2. A MASH practitioner sees it in the queue with its RAG and deadline.
    const worker = await signIn('front.door@harbour.example');
    await worker.getByRole('link', { name: 'Open the queue' }).click();
    await worker.getByRole('heading', { name: 'Front-door queue' }).waitFor();
    await axe(worker);
    const row = worker.getByRole('row').filter({ hasText: reference });
    assert.match((await row.textContent())!, /Red/);
    assert.match((await row.textContent())!, /left|Overdue/);
    await row.getByRole('link', { name: reference }).click();
    await worker.getByRole('heading', { name: new RegExp(reference) }).waitFor();
    await axe(worker);

    // Screen, then send enquiries to health and education.
    await worker.getByLabel('Red: potential child protection').check();
    await worker.getByLabel('Reason for the rating').fill('High-risk DASH with children present.');
    await worker.getByRole('button', { name: 'Record screening' }).click();
    await worker.getByText('Screening recorded').waitFor();
    await worker.getByLabel('Harbourshire Community Health').check();
    await worker.getByLabel('Riverside Primary School').check();
    await worker
      .getByLabel('What you need to know')
      .fill('Any involvement or concerns for Wren and Caspian?');
    await worker.getByRole('button', { name: 'Send enquiries' }).click();
    await worker.getByText('Enquiries sent').waitFor();
    await axe(worker);

    // 3. A health user responds from the health inbox.
    const health = await signIn('mash.health@harbour.example');
    await health.getByRole('link', { name: 'Answer enquiries' }).click();
    await health.getByRole('heading', { name: 'Enquiries to your agency' }).waitFor();
    await axe(health);
    await health.getByRole('link', { name: reference }).click();
    await axe(health);
    await health.getByLabel('What your agency knows').fill('Caspian missed his 2-year health review twice.');
    await health.getByRole('button', { name: 'Send response' }).click();
    await health.getByText('Response sent to the front door').waitFor();
    await axe(health);

    // 4. The practitioner records a decision.
    await worker.reload();
    await worker.getByText('Caspian missed his 2-year health review twice.').waitFor();
    await worker.getByLabel('Level 4: specialist (child in need or child protection)').check();
    await worker.getByLabel('Strategy discussion (section 47 enquiry)').check();
    await worker.getByLabel('Rationale').fill('High risk, children present, missed health reviews.');
    await worker
      .getByLabel('What the referrer will be told')
      .fill('A strategy discussion is being held today.');
    await worker.getByRole('button', { name: 'Record decision' }).click();
    await worker.getByText('Decision recorded').waitFor();
    await axe(worker);

    // 5. A manager signs it off.
    const manager = await signIn('mash.manager@harbour.example');
    await manager.getByRole('link', { name: 'Open the oversight view' }).click();
    await manager.getByRole('heading', { name: 'Front-door oversight' }).waitFor();
    await axe(manager);
    await manager
      .getByRole('table', { name: /awaiting/ })
      .getByRole('link', { name: reference })
      .click();
    await manager.getByLabel('Yes, I agree').check();
    await manager.getByLabel('Your reason').fill('Agreed: threshold for strategy discussion met.');
    await manager.getByRole('button', { name: 'Record sign-off' }).click();
    await manager.getByText('Sign-off recorded and the referrer told').waitFor();
    await axe(manager);

    // 6. The police user sees the outcome, but not health's response.
    await police.goto(`${harbour.url}/front-door/my-contacts`);
    await axe(police);
    const mine = police.getByRole('row').filter({ hasText: reference });
    assert.match((await mine.textContent())!, /Strategy discussion/);
    await mine.getByRole('link', { name: reference }).click();
    await police.getByRole('heading', { name: 'Outcome' }).waitFor();
    await axe(police);
    assert.ok(!(await police.content()).includes('missed his 2-year health review'));

    for (const p of [police, worker, health, manager]) await p.context().close();
  });

  it('the routing rules page and the queue’s empty filter state pass axe', async () => {
    const worker = await signIn('front.door@harbour.example');
    await worker.goto(`${harbour.url}/front-door/routing`);
    await axe(worker);
    await worker.goto(`${harbour.url}/front-door?rag=blue&assigned=me`);
    await worker.getByRole('heading', { name: 'Nothing in the queue' }).waitFor();
    await axe(worker);
    await worker.goto(`${harbour.url}/front-door/early-help`);
    await axe(worker);
    await worker.context().close();
  });

  it('every page of the contact journey passes axe, with and without errors', async () => {
    const school = await signIn('school.dsl@harbour.example');
    await school.getByRole('link', { name: 'Make a contact' }).click();
    await axe(school);
    await school.getByRole('button', { name: 'Start' }).click();
    for (const path of ['source', 'children/1', 'adults/1', 'concerns', 'actions', 'consent']) {
      await school.goto(`${harbour.url}/front-door/contact/${path}`);
      await axe(school);
      await school.getByRole('button', { name: 'Save and continue' }).click();
      if (path !== 'adults/1') {
        await school.getByRole('heading', { name: 'There is a problem' }).waitFor();
        await axe(school);
      }
    }
    await school.goto(`${harbour.url}/front-door/contact/check`);
    await axe(school);
    await school.getByRole('button', { name: 'Send contact' }).click();
    await school.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await axe(school);
    await school.context().close();
  });
});
