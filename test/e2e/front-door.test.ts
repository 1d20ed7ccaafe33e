import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/modules/demo/partnership.ts';
import { accessibilityViolations } from '../helpers/browser.ts';
import { browser, harbour, signedInPage, startHarbourAndBrowser } from '../helpers/e2e-session.ts';

startHarbourAndBrowser();

/** Where the main pages are captured at 1280 px when asked (`HARBOUR_SCREENSHOTS=docs/screenshots`). */
const SHOTS = process.env.HARBOUR_SCREENSHOTS;
async function shot(page: Page, name: string) {
  if (!SHOTS) return;
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

const signIn = (email: string) =>
  signedInPage(email, { viewport: { width: 1280, height: 900 }, timeoutMs: 20_000 });

async function axe(page: Page) {
  assert.deepEqual(await accessibilityViolations(page), [], `axe on ${page.url()}`);
}

/** Signs the account in and follows `link` from its home page to the page headed `heading`, checked with axe. */
async function fromHome(email: string, link: string, heading: string): Promise<Page> {
  const page = await signIn(email);
  await page.getByRole('link', { name: link }).click();
  await page.getByRole('heading', { name: heading }).waitFor();
  await axe(page);
  return page;
}

/** Presses the form's button named `button` and checks, with axe, the page that says `confirmation`. */
async function submitted(page: Page, button: string, confirmation: string) {
  await page.getByRole('button', { name: button }).click();
  await page.getByText(confirmation).waitFor();
  await axe(page);
}

/** Sends the agency's answer to the enquiry open on the page, and checks the page that confirms it. */
async function sendResponse(page: Page, whatTheAgencyKnows: string) {
  await page.getByLabel('What your agency knows').fill(whatTheAgencyKnows);
  await submitted(page, 'Send response', 'Response sent to the front door');
}

/**
 * axe runs in the page, which a context without JavaScript cannot do: the page as served to it
 * (its scripts removed) is checked in a second context, with the same stylesheets.
 */
async function axeWithoutJs(page: Page) {
  const html = (await page.content()).replace(/<script[\s\S]*?<\/script>/g, '');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const copy = await context.newPage();
  await copy.route(page.url(), (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await copy.goto(page.url());
  const violations = await accessibilityViolations(copy);
  await context.close();
  assert.deepEqual(violations, [], `axe without JavaScript on ${page.url()}`);
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
    await police.getByLabel('DASH score', { exact: true }).fill('15');
    await police.getByRole('radio', { name: 'High' }).check();
    await police.getByRole('button', { name: 'Save and continue' }).click();

    await police.getByRole('heading', { name: 'Consent and early help' }).waitFor();
    await axe(police);
    await group(police, 'Did you ask the victim for consent to share?').getByLabel('Yes').first().check();
    await group(police, 'Was consent given?').getByLabel('Yes').check();
    await group(police, 'Was early help offered to the family?').getByLabel('No').first().check();
    await police.getByRole('button', { name: 'Save and continue' }).click();

    await police.getByRole('heading', { name: 'Check the notification before sending it' }).waitFor();
    await axe(police);
    await shot(police, 'dan-check-your-answers');
    await police.getByRole('button', { name: 'Send notification' }).click();
    await police.getByRole('heading', { name: 'Notification sent' }).waitFor();
    await axe(police);
    const reference = (await police.locator('.govuk-panel__body strong').textContent())!.trim();
    assert.match(reference, /^FD-\d{6}$/);

    // 2. A MASH practitioner sees it in the queue with its RAG and deadline.
    const worker = await fromHome('front.door@harbour.example', 'Open the queue', 'Front-door queue');
    await shot(worker, 'queue');
    // Search by the child's name finds it.
    await worker
      .getByLabel('Search by child’s or adult’s name, police reference or FD number')
      .fill('Wren Brightwater');
    await worker.getByRole('button', { name: 'Search' }).click();
    await worker.getByText('“Wren Brightwater”').first().waitFor();
    await axe(worker);
    // The MoJ filter toggle hides the filter panel and shows it again.
    await worker.getByRole('button', { name: 'Hide filter' }).click();
    assert.equal(await worker.locator('.moj-filter').isVisible(), false);
    await worker.getByRole('button', { name: 'Show filter' }).click();
    assert.equal(await worker.locator('.moj-filter').isVisible(), true);
    const row = worker.getByRole('row').filter({ hasText: reference });
    assert.match((await row.textContent())!, /Red/);
    assert.match((await row.textContent())!, /left|Overdue/);
    await row.getByRole('link', { name: reference }).click();
    await worker.getByRole('heading', { name: new RegExp(reference) }).waitFor();
    await axe(worker);
    await shot(worker, 'contact-summary');
    const section = (name: string) =>
      worker
        .getByRole('navigation', { name: 'Sections of this contact' })
        .getByRole('link', { name, exact: true })
        .click();

    // People search reads a date of birth as typed: 14/06/2016 is Wren's.
    await worker.goto(`${harbour.url}/people?dateOfBirth=${encodeURIComponent('14/06/2016')}`);
    await worker.getByRole('link', { name: 'Wren Brightwater' }).first().waitFor();
    await axe(worker);
    await worker.goBack();

    // Screen, then send enquiries to health and education.
    await section('Screening');
    await axe(worker);
    await worker.getByLabel('Red: potential child protection').check();
    await worker.getByLabel('Reason for the rating').fill('High-risk DASH with children present.');
    await worker.getByRole('button', { name: 'Record screening' }).click();
    await worker.getByText('Screening recorded').waitFor();
    await section('People');
    await worker.getByText('I put my headphones on.').waitFor();
    await axe(worker);
    await section('Enquiries');
    await worker.getByLabel('Harbourshire Community Health').check();
    await worker.getByLabel('Riverside Primary School').check();
    await worker
      .getByLabel('What you need to know')
      .fill('Any involvement or concerns for Wren and Caspian?');
    await submitted(worker, 'Send enquiries', 'Enquiries sent');
    await shot(worker, 'contact-enquiries');

    // The school answers from its own inbox, which names its pupil; the enquiry lists the adults
    // and only the child the school serves, not her younger brother.
    const school = await signIn('school.dsl@harbour.example');
    await school.getByRole('link', { name: 'Answer enquiries' }).click();
    await axe(school);
    await school
      .getByRole('row')
      .filter({ hasText: reference })
      .getByRole('link', { name: 'Wren Brightwater' })
      .click();
    await school.getByText('Wren Brightwater').first().waitFor();
    await school.getByText(/Saoirse Brightwater, .*\(Victim\)/).waitFor();
    await school.getByText(/Lorcan Daventry-Holt, .*\(Suspect\)/).waitFor();
    // (The MASH's own question names both children; the people listed are the school's.)
    const listed = await school
      .locator('.govuk-summary-list__row')
      .filter({ hasText: 'Children' })
      .textContent();
    assert.match(listed!, /Wren Brightwater/);
    assert.doesNotMatch(listed!, /Caspian/, 'the school does not see the younger child');
    await axe(school);
    // A response left empty: the error summary, at the enquiry's own address.
    const enquiryUrl = school.url();
    await school.getByRole('button', { name: 'Send response' }).click();
    await school.getByRole('heading', { name: 'There is a problem' }).waitFor();
    assert.equal(school.url(), enquiryUrl);
    await axe(school);
    await sendResponse(school, 'Wren has been quiet and tired this term.');

    // 3. A health user responds from the health inbox.
    const health = await fromHome(
      'mash.health@harbour.example',
      'Answer enquiries',
      'Enquiries to your agency',
    );
    await health.getByRole('row').filter({ hasText: reference }).getByRole('link').first().click();
    // Health serves both children, and sees the mother it is asked to check.
    await health.getByText(/Caspian Brightwater, born/).waitFor();
    await health.getByText(/Saoirse Brightwater, .*\(Victim\)/).waitFor();
    await axe(health);
    await sendResponse(health, 'Caspian missed his 2-year health review twice.');

    // 4. The practitioner records a decision.
    await worker.reload();
    await worker.getByText('Caspian missed his 2-year health review twice.').waitFor();
    await worker.getByText('Wren has been quiet and tired this term.').waitFor();
    await section('Decision');
    await axe(worker);
    await shot(worker, 'contact-decision');
    await worker.getByLabel('Level 4: specialist (child in need or child protection)').check();
    await worker.getByLabel('Strategy discussion (section 47 enquiry)').check();
    await worker.getByLabel('Rationale').fill('High risk, children present, missed health reviews.');
    await worker
      .getByLabel('What the referrer will be told')
      .fill('A strategy discussion is being held today.');
    await submitted(worker, 'Record decision', 'Decision recorded');

    // 5. A manager signs it off.
    const manager = await fromHome(
      'mash.manager@harbour.example',
      'Open the oversight view',
      'Front-door oversight',
    );
    await manager
      .getByRole('table', { name: /awaiting/ })
      .getByRole('link', { name: reference })
      .click();
    await manager.getByLabel('Yes, I agree').check();
    await manager.getByLabel('Your reason').fill('Agreed: threshold for strategy discussion met.');
    await submitted(manager, 'Record sign-off', 'Sign-off recorded and the referrer told');
    // The sign-off and its reason are in the contact's history.
    await manager
      .getByRole('navigation', { name: 'Sections of this contact' })
      .getByRole('link', { name: 'History', exact: true })
      .click();
    await manager.getByText('Agreed: threshold for strategy discussion met.').first().waitFor();
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
    // Which agencies were asked, without what they said.
    await police
      .getByRole('navigation', { name: 'Sections of this contact' })
      .getByRole('link', { name: 'Enquiries', exact: true })
      .click();
    await police
      .getByText(/Harbourshire Community Health/)
      .first()
      .waitFor();
    await police
      .getByText(/Riverside Primary School/)
      .first()
      .waitFor();
    await axe(police);
    const policeView = await police.content();
    assert.ok(!policeView.includes('missed his 2-year health review'));
    assert.ok(!policeView.includes('quiet and tired'));
    await police.goto(`${harbour.url}/`);
    await police
      .getByRole('link', { name: new RegExp(`${reference} \\(NB/26/E2E-0001\\): Strategy discussion`) })
      .waitFor();
    await axe(police);
    await shot(police, 'police-home');
    await manager.goto(`${harbour.url}/`);
    await axe(manager);
    await shot(manager, 'manager-home');

    for (const p of [police, worker, health, school, manager]) await p.context().close();
  });

  it('works with JavaScript disabled: the filter panel, search, the sections and screening', async () => {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1280, height: 900 },
    });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    await page.goto(`${harbour.url}/sign-in`);
    await page.getByLabel('Email address').fill('front.door@harbour.example');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your work' }).waitFor();
    await axeWithoutJs(page);
    await page.getByRole('link', { name: 'Front door', exact: true }).click();
    await page.getByRole('heading', { name: 'Front-door queue' }).waitFor();
    await axeWithoutJs(page);
    // Without JavaScript the filter panel is simply shown, and there is no toggle button.
    assert.equal(await page.locator('.moj-filter').isVisible(), true);
    assert.equal(await page.getByRole('button', { name: /filter$/ }).count(), 0);
    // Filter by the first row's RAG, then search for its reference: the search keeps the filter.
    const first = page.locator('table.harbour-queue tbody tr').first();
    const reference = (await first.getByRole('link').first().textContent())!.trim();
    const rag = (await first.locator('td').nth(1).locator('.govuk-tag').textContent())!.trim();
    await page.getByRole('group', { name: 'RAG' }).getByLabel(rag, { exact: true }).check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/rag=/);
    await axeWithoutJs(page);
    await page.getByLabel('Search by child’s or adult’s name, police reference or FD number').fill(reference);
    await page.getByRole('button', { name: 'Search' }).click();
    assert.match(page.url(), /rag=/);
    assert.equal(await page.locator('table.harbour-queue tbody tr').count(), 1);
    await axeWithoutJs(page);
    await page.getByRole('link', { name: reference, exact: true }).click();
    await page.getByRole('navigation', { name: 'Sections of this contact' }).waitFor();
    await axeWithoutJs(page);
    await page
      .getByRole('navigation', { name: 'Sections of this contact' })
      .getByRole('link', { name: 'Screening', exact: true })
      .click();
    await page.getByRole('button', { name: /screening/ }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    // The error is shown at the screening page's own address.
    assert.match(new URL(page.url()).pathname, /\/front-door\/contacts\/[0-9a-f-]{36}\/screening$/);
    await axeWithoutJs(page);
    await page.getByLabel('Amber: significant concern').check();
    await page.getByLabel('Reason for the rating').fill('Recorded without JavaScript.');
    await page.getByRole('button', { name: /screening/ }).click();
    await page.getByText('Screening recorded').waitFor();
    await axeWithoutJs(page);
    await context.close();
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
    await worker.goto(`${harbour.url}/front-door/early-help/inbox?show=all`);
    await axe(worker);
    await shot(worker, 'early-help-inbox');
    await worker.goto(`${harbour.url}/front-door?q=nobody-by-this-name`);
    await worker.getByRole('heading', { name: /No open contact matches/ }).waitFor();
    await axe(worker);
    // A hand-edited web address is a GOV.UK error page that says what is wrong.
    await worker.goto(`${harbour.url}/front-door?sort=priority`);
    await worker.getByRole('heading', { name: 'This page’s web address is not right' }).waitFor();
    await worker.getByText(/The web address's "sort" must be one of/).waitFor();
    await axe(worker);
    await worker.context().close();
  });

  it('the early help practitioner finds the stepped-down demo child in the inbox, with its lead, and picks it up', async () => {
    const practitioner = await signIn('early.help@harbour.example');
    await axe(practitioner);
    await practitioner.getByRole('link', { name: 'Open the early help inbox' }).click();
    await practitioner.getByRole('heading', { name: 'Early help inbox' }).waitFor();
    await practitioner.getByText('Northbridge Family Support Team (team)').first().waitFor();
    await axe(practitioner);
    await practitioner
      .getByRole('button', { name: /^Pick up/ })
      .first()
      .click();
    await practitioner.getByText(/You have picked up early help for/).waitFor();
    await axe(practitioner);
    await practitioner.context().close();
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
