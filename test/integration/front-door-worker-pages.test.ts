import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { childIdsIn, contextOf } from '../helpers/deps.ts';
import { type Browser, signedIn } from '../helpers/http.ts';
import { app, appPerFile, deps, services } from '../helpers/per-file.ts';
import { rowById } from '../helpers/rows.ts';
import { answerPage, danBody, danPages, earlyHelpDecision, household } from './front-door-fixtures.ts';

// Issue 12: the front door as its workers use it — search, the case header and sub-navigation,
// the filter toggle, the early-help inbox and every role's home page.

appPerFile({ now: '2026-03-03T10:00:00Z' });

async function sendDan(reference: string, index: number) {
  const officer = await contextOf(services.directory, 'police.officer@harbour.example');
  const home = household(index);
  const { body } = await services.frontDoor.submitDan(officer, danBody({}, reference, home));
  return { ...body, home };
}

const listed = (html: string) =>
  [...html.matchAll(/href="\/front-door\/contacts\/([0-9a-f-]{36})"/g)].map((m) => m[1]);

describe('searching the queue', () => {
  it('finds a contact by a child’s name, an adult’s name, the police reference and the FD number', async () => {
    const first = await sendDan('NB/26/SEARCH-ONE', 40);
    const second = await sendDan('NB/26/SEARCH-TWO', 41);
    const worker = await signedIn(app, 'front.door@harbour.example');

    const byChild = await worker.get(
      `/front-door?q=${encodeURIComponent(`${first.home.girl.givenName} ${first.home.family}`)}`,
    );
    assert.equal(byChild.statusCode, 200);
    assert.deepEqual([...new Set(listed(byChild.body))], [first.contactId]);

    // The victim in the fixture is "Marnie <family>": an adult's name finds the contact too.
    const byAdult = await worker.get(`/front-door?q=${encodeURIComponent(`marnie ${second.home.family}`)}`);
    assert.deepEqual([...new Set(listed(byAdult.body))], [second.contactId]);

    const byPoliceRef = await worker.get('/front-door?q=nb%2F26%2Fsearch-two');
    assert.deepEqual([...new Set(listed(byPoliceRef.body))], [second.contactId]);

    const byReference = await worker.get(`/front-door?q=${first.reference}`);
    assert.deepEqual([...new Set(listed(byReference.body))], [first.contactId]);
  });

  it('keeps the filters and sort in the search, and the search in sorting, paging and assigning', async () => {
    const sent = await sendDan('NB/26/SEARCH-KEEP', 42);
    const worker = await signedIn(app, 'front.door@harbour.example');
    const page = await worker.get(
      `/front-door?rag=amber&rag=red&assigned=unassigned&sort=received&order=desc&q=${sent.home.family}`,
    );
    assert.equal(page.statusCode, 200);
    const html = page.body.replaceAll('&amp;', '&');
    const searchForm = html.slice(
      html.indexOf('role="search"'),
      html.indexOf('</form>', html.indexOf('role="search"')),
    );
    assert.match(searchForm, /name="rag" value="amber"/);
    assert.match(searchForm, /name="rag" value="red"/);
    assert.match(searchForm, /name="assigned" value="unassigned"/);
    assert.match(searchForm, /name="sort" value="received"/);
    assert.match(searchForm, new RegExp(`name="q" type="search" value="${sent.home.family}"`));
    // Sort headers and the assign button carry the search.
    assert.ok(html.includes(`rag=amber&rag=red&assigned=unassigned&q=${sent.home.family}&sort=reference`));
    assert.ok(
      html.includes(
        `name="query" value="rag=amber&rag=red&assigned=unassigned&q=${sent.home.family}&sort=received&order=desc&page=1"`,
      ),
    );
    // The search shows as a selected filter that can be removed on its own.
    assert.match(html, new RegExp(`“${sent.home.family}”`));
    assert.ok(html.includes('href="/front-door?rag=amber&rag=red&assigned=unassigned"'));
  });

  it('applies the filter form as a browser sends it, “Both” routes and all', async () => {
    const worker = await signedIn(app, 'front.door@harbour.example');
    const page = await worker.get('/front-door?sort=rag&order=asc&rag=red&agency=&assigned=&route=');
    assert.equal(page.statusCode, 200);
  });

  it('says plainly when nothing matches, and what was searched', async () => {
    const worker = await signedIn(app, 'front.door@harbour.example');
    const page = await worker.get('/front-door?q=Zzyzxwobble');
    assert.equal(page.statusCode, 200);
    assert.deepEqual(listed(page.body), []);
    assert.match(page.body, /No open contact matches “Zzyzxwobble”/);
    assert.match(page.body, /Closed contacts are not searched/);
    assert.match(page.body, /Clear the search/);
  });

  it('treats the search as text, not a pattern', async () => {
    await sendDan('NB/26/SEARCH-PCT', 43);
    const worker = await signedIn(app, 'front.door@harbour.example');
    const page = await worker.get('/front-door?q=%25');
    assert.equal(page.statusCode, 200);
    assert.deepEqual(listed(page.body), []);
  });

  it('finds only contacts the worker may see: another area’s worker finds nothing', async () => {
    const sent = await sendDan('NB/26/SEARCH-AREA', 44);
    const southmere = await signedIn(app, 'southmere.front.door@harbour.example');
    const page = await southmere.get(`/front-door?q=${sent.reference}`);
    assert.equal(page.statusCode, 200);
    assert.ok(!listed(page.body).includes(sent.contactId));
    const school = await signedIn(app, 'school.dsl@harbour.example');
    assert.equal((await school.get(`/front-door?q=${sent.reference}`)).statusCode, 403);
  });
});

describe('the contact record: a case header and a page per section', () => {
  it('heads every section with the children, RAG, deadline, status and worker, and links the sections', async () => {
    const sent = await sendDan('NB/26/HEADER-1', 45);
    const worker = await signedIn(app, 'front.door@harbour.example');
    const summary = await worker.get(`/front-door/contacts/${sent.contactId}`);
    assert.equal(summary.statusCode, 200);
    const header = summary.body.slice(
      summary.body.indexOf('harbour-case-header'),
      summary.body.indexOf('moj-sub-navigation'),
    );
    assert.match(header, new RegExp(`${sent.home.girl.givenName} ${sent.home.family}, \\d+; `));
    assert.match(header, new RegExp(`${sent.home.boy.givenName} ${sent.home.family}, \\d+<`));
    assert.match(header, /<dt>RAG<\/dt><dd>\s*<strong class="govuk-tag govuk-tag--orange">Amber/);
    assert.match(
      header,
      /<dt>Decision due<\/dt><dd>4 March 2026 at 10:00am\s*<span class="harbour-numeric">1 day left/,
    );
    assert.match(header, /<dt>Status<\/dt><dd>Awaiting screening<\/dd>/);
    assert.match(header, /<dt>Assigned to<\/dt><dd>Not assigned<\/dd>/);
    const nav = summary.body.slice(summary.body.indexOf('moj-sub-navigation'));
    for (const s of ['people', 'screening', 'enquiries', 'decision', 'history'])
      assert.ok(nav.includes(`href="/front-door/contacts/${sent.contactId}/${s}"`), s);
    assert.match(nav, /aria-current="page" href="\/front-door\/contacts\/[0-9a-f-]{36}"\s*>Summary/);
    // The summary no longer carries every form: each is on its own page.
    assert.doesNotMatch(summary.body, /action="\/front-door\/contacts\/[^"]+\/screening"/);
    assert.doesNotMatch(summary.body, /action="\/front-door\/contacts\/[^"]+\/decision"/);

    const screening = await worker.get(`/front-door/contacts/${sent.contactId}/screening`);
    assert.equal(screening.statusCode, 200);
    assert.match(screening.body, /<title>Screening: Domestic abuse notification FD-/);
    assert.match(screening.body, /action="\/front-door\/contacts\/[^"]+\/screening"/);
    assert.match(screening.body, /aria-current="page" href="[^"]+\/screening"/);
    assert.match(screening.body, /harbour-case-header/);
    const people = await worker.get(`/front-door/contacts/${sent.contactId}/people`);
    assert.match(people.body, new RegExp(`Victim: Marnie ${sent.home.family}`));
    assert.doesNotMatch(people.body, /action="\/front-door\/contacts\/[^"]+\/screening"/);
    const unknown = await worker.get(`/front-door/contacts/${sent.contactId}/everything`);
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /govuk-error-summary/);
  });

  it('brings a form’s error and its success back to that form’s page', async () => {
    const sent = await sendDan('NB/26/HEADER-2', 46);
    const worker = await signedIn(app, 'front.door@harbour.example');
    const bad = await worker.post(`/front-door/contacts/${sent.contactId}/screening`, { rag: '' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#screen-rag"/);
    assert.match(bad.body, /aria-current="page" href="[^"]+\/screening"/);
    const good = await worker.post(`/front-door/contacts/${sent.contactId}/screening`, {
      rag: 'red',
      rationale: 'Injured child.',
    });
    assert.equal(good.statusCode, 303);
    assert.equal(good.headers.location, `/front-door/contacts/${sent.contactId}/screening`);
  });

  it('warns a worker when the contact is assigned to someone else', async () => {
    const sent = await sendDan('NB/26/HEADER-3', 47);
    const social = await signedIn(app, 'social.worker@harbour.example');
    await social.post(`/front-door/contacts/${sent.contactId}/assign`, {});
    const worker = await signedIn(app, 'front.door@harbour.example');
    const page = await worker.get(`/front-door/contacts/${sent.contactId}`);
    assert.match(page.body, /This contact is assigned to [^.<]+\. Check with them before you work on it\./);
    const own = await social.get(`/front-door/contacts/${sent.contactId}`);
    assert.doesNotMatch(own.body, /Check with them before you work on it/);
  });

  it('shows a partner only the sections it has something on', async () => {
    const sent = await sendDan('NB/26/HEADER-4', 48);
    const police = await signedIn(app, 'police.officer@harbour.example');
    const page = await police.get(`/front-door/contacts/${sent.contactId}`);
    assert.equal(page.statusCode, 200);
    const nav = page.body.slice(page.body.indexOf('moj-sub-navigation'));
    assert.ok(nav.includes(`/front-door/contacts/${sent.contactId}/enquiries`));
    assert.ok(!nav.includes(`/front-door/contacts/${sent.contactId}/screening`));
    assert.ok(!nav.includes(`/front-door/contacts/${sent.contactId}/history`));
    // No worker, no clock beyond what the referrer is told.
    assert.doesNotMatch(page.body, /<dt>Assigned to<\/dt>/);
    const history = await police.get(`/front-door/contacts/${sent.contactId}/history`);
    assert.equal(history.statusCode, 200);
    assert.doesNotMatch(history.body, /moj-timeline__item/);
  });
});

describe('case pages use the width of the window and the filter can be hidden', () => {
  it('lays the queue out as the MoJ filter-a-list pattern, shown until JavaScript offers to hide it', async () => {
    const worker = await signedIn(app, 'front.door@harbour.example');
    const queue = await worker.get('/front-door');
    assert.match(queue.body, /class="govuk-width-container harbour-full-width"/);
    assert.match(
      queue.body,
      /<div class="moj-filter-layout__filter">\s*(<[^>]+>\s*)*?<div class="moj-filter" data-module="moj-filter"/,
    );
    assert.match(
      queue.body,
      /<div class="moj-action-bar"><div class="moj-action-bar__filter"><\/div><\/div>/,
    );
    assert.doesNotMatch(queue.body, /moj-js-hidden/);
    const script = await app.inject({ method: 'GET', url: '/assets/harbour/init.js' });
    assert.match(script.body, /FilterToggleButton/);
    assert.match(script.body, /startHidden: false/);
    const sent = await sendDan('NB/26/WIDE-1', 49);
    const contact = await worker.get(`/front-door/contacts/${sent.contactId}`);
    assert.match(contact.body, /class="govuk-width-container harbour-full-width"/);
  });
});

/** A DAN through the web form up to its check page, with only the answers each page requires. */
async function danToCheck(police: Browser, pages: Record<string, Record<string, string>> = {}) {
  const post = (url: string, body: Record<string, string>) =>
    answerPage(police, url, { ...body, ...(pages[url] ?? {}) });
  await police.post('/front-door/dan/start', {});
  await post('/front-door/dan/incident', danPages.incident(`NB/26/FORM-${Math.floor(Math.random() * 1e6)}`));
  await post('/front-door/dan/victim', danPages.victim('Cotterell-9'));
  await post('/front-door/dan/suspects/1', { givenName: 'Gethin', familyName: 'Moss-9', action: 'continue' });
  await post(
    '/front-door/dan/children/1',
    danPages.child({ givenName: 'Nell', dateOfBirth: '2018-05-04' }, 'Cotterell-9', {
      witnessed: 'yes',
      action: 'continue',
    }),
  );
  await post('/front-door/dan/risk', danPages.risk);
  await post('/front-door/dan/consent', danPages.consent);
  const check = await police.get('/front-door/dan/check');
  assert.equal(check.statusCode, 200);
  return check.body;
}

/** A summary-list row of a page, from its key to its change link. */
function summaryRow(html: string, key: string) {
  const at = html.search(new RegExp(`<dt class="govuk-summary-list__key">\\s*${key}\\s*</dt>`));
  assert.ok(at > 0, `row ${key}`);
  return html.slice(at, html.indexOf('</dd>', html.indexOf('govuk-summary-list__actions', at)));
}

describe('the forms ask a follow-up only where it applies, and the check page shows every answer', () => {
  it('reveals the DASH score under “completed”, the injuries under “injured”, consent given under “asked” and the response under “offered”', async () => {
    const police = await signedIn(app, 'police.officer@harbour.example');
    await danToCheck(police);
    const risk = await police.get('/front-door/dan/risk?return=check');
    assert.equal(risk.statusCode, 200);
    assert.match(risk.body, /value="completed" checked data-aria-controls="conditional-dashStatus"/);
    assert.match(
      risk.body,
      /class="govuk-radios__conditional" id="conditional-dashStatus">\s*<div class="govuk-form-group">\s*<label class="govuk-label" for="dashScore">/,
    );
    const child = await police.get('/front-door/dan/children/1?return=check');
    assert.match(child.body, /value="yes" data-aria-controls="conditional-injured"/);
    assert.match(child.body, /id="conditional-injured">[\s\S]*?id="injuryDetails"/);
    const consent = await police.get('/front-door/dan/consent?return=check');
    assert.match(consent.body, /id="conditional-consent.asked">[\s\S]*?name="consent.given"/);
    assert.match(consent.body, /id="conditional-earlyHelp.offered">[\s\S]*?name="earlyHelp.response"/);
  });

  it('does not keep an answer left in a hidden follow-up', async () => {
    const police = await signedIn(app, 'police.officer@harbour.example');
    const html = await danToCheck(police, {
      '/front-door/dan/risk': { dashStatus: 'awaited', dashScore: '25' },
      '/front-door/dan/children/1': { injured: 'no', injuryDetails: 'Typed, then the officer chose no.' },
    });
    assert.match(summaryRow(html, 'DASH'), /DASH awaited \(to follow\)/);
    assert.doesNotMatch(html, /DASH score<\/dt>/);
    assert.doesNotMatch(html, /Typed, then the officer chose no/);
    assert.match(summaryRow(html, 'Injured'), /No/);
  });

  it('shows every answer on the DAN check page, the missing ones too, each with a change link', async () => {
    const police = await signedIn(app, 'police.officer@harbour.example');
    const html = await danToCheck(police, {
      '/front-door/dan/suspects/1': { sex: 'male', arrested: 'yes' },
      '/front-door/dan/consent': { 'officer.name': 'PC Nia Rowe', 'officer.collarNumber': 'HB4471' },
    });
    assert.match(
      summaryRow(html, 'Arrested'),
      /Yes[\s\S]*href="\/front-door\/dan\/suspects\/1\?return=check"/,
    );
    assert.match(html, /<dd class="govuk-summary-list__value">\s*Male\s*<\/dd>/);
    assert.match(
      summaryRow(html, 'Officer’s name'),
      /PC Nia Rowe[\s\S]*href="\/front-door\/dan\/consent\?return=check"/,
    );
    assert.match(summaryRow(html, 'Collar number'), /HB4471/);
    // What was not given says so, and links to where it is asked.
    assert.match(summaryRow(html, 'Phone'), /Not given/);
    assert.match(
      summaryRow(html, 'GP or health visiting service'),
      /Not known[\s\S]*children\/1\?return=check/,
    );
    assert.match(summaryRow(html, 'Lived experience'), /Not recorded/);
    assert.match(summaryRow(html, 'DASH reference'), /Not given/);
    // The victim left the address blank, which the form says means the incident address; the
    // suspect left it blank, which means not known.
    assert.equal(html.match(/The incident address/g)?.length, 1);
    // Every row has its change link: none is shown without one.
    assert.equal(html.match(/govuk-summary-list__row--no-actions/g), null);
    assert.ok((html.match(/class="govuk-summary-list__row"/g)?.length ?? 0) > 30);
  });
});

describe('the early-help inbox', () => {
  it('lists the children stepped down with the handover, lets the team pick one up, and keeps the view', async () => {
    const worker = await contextOf(services.directory, 'front.door@harbour.example');
    const sent = await sendDan('NB/26/EH-INBOX-1', 50);
    await services.frontDoor.decide(worker, sent.contactId, earlyHelpDecision());
    const area = await services.directory.findAreaByCode('northbridge');
    const team = (await services.directory.earlyHelpLeadChoices(area!.id)).find((l) => l.kind === 'team');
    await services.frontDoor.earlyHelp.stepDown(worker, sent.contactId, {
      lead: team!.value,
      plan: 'Weekly visits for six weeks; parenting course.',
      reason: 'Level 2: needs met by early help.',
      handover: 'Mother engaged well; school attendance is the worry.',
    });

    const browser = await signedIn(app, 'front.door@harbour.example');
    const inbox = await browser.get('/front-door/early-help/inbox');
    assert.equal(inbox.statusCode, 200);
    const girl = `${sent.home.girl.givenName} ${sent.home.family}`;
    assert.match(inbox.body, new RegExp(girl));
    assert.match(inbox.body, new RegExp(`${sent.home.boy.givenName} ${sent.home.family}`));
    assert.match(inbox.body, /Northbridge Family Support Team \(team\)/);
    assert.match(inbox.body, /Mother engaged well; school attendance is the worry\./);
    assert.ok(inbox.body.includes(`href="/front-door/contacts/${sent.contactId}"`));
    const episodeId = new RegExp(
      `action="/front-door/early-help/([0-9a-f-]{36})/assign"(?:(?!</form>)[\\s\\S])*?Pick up<span class="govuk-visually-hidden"> ${girl}`,
    ).exec(inbox.body)?.[1];
    assert.ok(episodeId);

    const r = await browser.post(`/front-door/early-help/${episodeId}/assign`, {
      query: 'show=to-pick-up&page=1',
    });
    assert.equal(r.statusCode, 303);
    assert.equal(r.headers.location, '/front-door/early-help/inbox?show=to-pick-up&page=1');
    const after = await browser.get('/front-door/early-help/inbox');
    assert.match(after.body, new RegExp(`You have picked up early help for ${girl}`));
    assert.doesNotMatch(after.body, new RegExp(`Pick up<span class="govuk-visually-hidden"> ${girl}`));
    const mine = await browser.get('/front-door/early-help/inbox?show=mine');
    assert.match(mine.body, new RegExp(girl));
    assert.doesNotMatch(mine.body, new RegExp(`${sent.home.boy.givenName} ${sent.home.family}`));

    const audit = await deps.db
      .selectFrom('audit_event')
      .select(['action'])
      .where('action', 'in', ['early-help.assign', 'early-help.inbox-view'])
      .execute();
    assert.ok(audit.some((a) => a.action === 'early-help.assign'));
    assert.ok(audit.some((a) => a.action === 'early-help.inbox-view'));

    // Someone else cannot pick up what is already picked up; nothing changes.
    const other = await signedIn(app, 'social.worker@harbour.example');
    const again = await other.post(`/front-door/early-help/${episodeId}/assign`, {});
    assert.equal(again.statusCode, 409);
    const row = await rowById(deps.db, 'early_help_episode', episodeId!);
    assert.equal(row.assigned_name, worker.principal.name, 'still the first worker’s');
  });

  it('says so when nothing is waiting, pages a long inbox, and is the MASH’s only', async () => {
    const browser = await signedIn(app, 'southmere.front.door@harbour.example');
    const empty = await browser.get('/front-door/early-help/inbox');
    assert.equal(empty.statusCode, 200);
    assert.match(empty.body, /Nothing waiting to be picked up/);

    const worker = await contextOf(services.directory, 'front.door@harbour.example');
    const lead = await services.directory.findAgencyByCode('northbridge-early-help');
    const children = await childIdsIn(deps, 'northbridge');
    assert.ok(children.length > 0);
    // A page holds 25: 27 episodes (the same children may have more than one) make two pages.
    for (let i = 0; i < 27; i++)
      await services.frontDoor.earlyHelp.openEpisode(worker, {
        personId: children[i % children.length]!,
        leadPractitioner: 'Early help duty team',
        leadAgencyId: lead!.id,
        plan: 'Family support.',
      });
    const first = await signedIn(app, 'front.door@harbour.example');
    const page1 = await first.get('/front-door/early-help/inbox?show=all');
    assert.equal(page1.body.match(/class="govuk-table__row"/g)?.length, 26, 'a header and 25 rows');
    assert.match(page1.body, /href="\?show=all&amp;page=2"/);
    const page2 = await first.get('/front-door/early-help/inbox?show=all&page=2');
    assert.ok((page2.body.match(/class="govuk-table__row"/g)?.length ?? 0) > 1);

    const police = await signedIn(app, 'police.officer@harbour.example');
    assert.equal((await police.get('/front-door/early-help/inbox')).statusCode, 403);
  });
});

describe('a home page and navigation for every role', () => {
  const panelsOf = (html: string) =>
    [...html.matchAll(/<h2 class="govuk-heading-m" id="panel-\d+">([^<]+)<\/h2>/g)].map((m) => m[1]);
  const navOf = (html: string) =>
    [...html.matchAll(/class="govuk-service-navigation__link" href="([^"]+)"/g)].map((m) => m[1]);

  it('lands each of the sixteen demo users on what that role needs first', async () => {
    const first: Record<string, string> = {
      'front.door': 'Front-door queue',
      'social.worker': 'Front-door queue',
      'mash.manager': 'Front-door oversight',
      'police.officer': 'Your notifications and what came back',
      'police.supervisor': 'Your notifications and what came back',
      'mash.health': 'Patient lookup',
      'ed.nurse': 'Patient lookup',
      // A notice is due before the school day starts: the school's first panel (issue 14).
      'school.dsl': 'Operation Encompass notices',
      probation: 'Enquiries from the front door',
      'youth.justice': 'Enquiries from the front door',
      'adult.services': 'Enquiries from the front door',
      idva: 'Enquiries from the front door',
      marac: 'Enquiries from the front door',
      analyst: 'Front-door figures',
      admin: 'Administration',
      'southmere.front.door': 'Front-door queue',
    };
    for (const [user, panel] of Object.entries(first)) {
      const browser = await signedIn(app, `${user}@harbour.example`);
      const home = await browser.get('/');
      assert.equal(home.statusCode, 200, user);
      assert.equal(panelsOf(home.body)[0], panel, user);
    }
  });

  it('shows the police what they sent and what came back, on the home page', async () => {
    // The newest of the file's notifications, so it is among the latest five the panel lists.
    deps.setNow(new Date('2026-03-03T11:00:00Z'));
    const sent = await sendDan('NB/26/HOME-POLICE', 51);
    const worker = await contextOf(services.directory, 'front.door@harbour.example');
    await services.frontDoor.decide(worker, sent.contactId, {
      levelOfNeed: '1',
      outcome: 'universal-services',
      rationale: 'Universal services meet the need.',
      feedback: 'The school will keep an eye on the children.',
    });
    const police = await signedIn(app, 'police.officer@harbour.example');
    const home = await police.get('/');
    assert.ok(
      home.body.includes(
        `<a class="govuk-link" href="/front-door/contacts/${sent.contactId}">${sent.reference} (NB/26/HOME-POLICE): Signpost to universal services</a>`,
      ),
    );
  });

  it('reaches the manager’s oversight and the referrer’s “sent by us” from every page, with one item current', async () => {
    const manager = await signedIn(app, 'mash.manager@harbour.example');
    const queue = await manager.get('/front-door');
    assert.ok(navOf(queue.body).includes('/front-door/manager'));
    const oversight = await manager.get('/front-door/manager');
    assert.equal(oversight.body.match(/govuk-service-navigation__item--active/g)?.length, 1);
    assert.match(oversight.body, /href="\/front-door\/manager" aria-current="(page|true)"/);
    const police = await signedIn(app, 'police.officer@harbour.example');
    const dan = await police.get('/front-door/dan');
    assert.ok(navOf(dan.body).includes('/front-door/my-contacts'));
    const mine = await police.get('/front-door/my-contacts');
    assert.equal(mine.body.match(/govuk-service-navigation__item--active/g)?.length, 1);
    const inbox = await manager.get('/front-door/early-help/inbox');
    assert.match(inbox.body, /href="\/front-door\/early-help" aria-current="(page|true)"/);
  });

  it('counts the early-help inbox for the MASH and gives the analyst figures only', async () => {
    const worker = await signedIn(app, 'front.door@harbour.example');
    const home = await worker.get('/');
    assert.match(home.body, /(waiting to be picked up|Nobody is waiting to be picked up by early help)/);
    assert.ok(home.body.includes('href="/front-door/early-help/inbox"'));
    const analyst = await signedIn(app, 'analyst@harbour.example');
    const figures = await analyst.get('/');
    assert.match(figures.body, /open in your areas: \d+ past the decision deadline/);
    assert.doesNotMatch(figures.body, /href="\/front-door\/contacts\//);
  });
});
