import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../src/app.ts';
import { buildServices, type Services } from '../../src/services.ts';
import { contextOf, type TestDeps, testDeps } from '../helpers/deps.ts';
import { Browser, testApp } from '../helpers/http.ts';
import { danBody, household } from './front-door-fixtures.ts';

// Issue 12: the front door as its workers use it — search, the case header and sub-navigation,
// the filter toggle, the early-help inbox and every role's home page.
let deps: TestDeps;
let app: App;
let services: Services;

before(async () => {
  deps = await testDeps();
  deps.setNow(new Date('2026-03-03T10:00:00Z'));
  app = await testApp(deps);
  services = buildServices(deps);
});
after(async () => {
  await app.close();
  await deps.close();
});

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
    const worker = new Browser(app);
    await worker.signIn('front.door@harbour.example');

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
    const worker = new Browser(app);
    await worker.signIn('front.door@harbour.example');
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

  it('says plainly when nothing matches, and what was searched', async () => {
    const worker = new Browser(app);
    await worker.signIn('front.door@harbour.example');
    const page = await worker.get('/front-door?q=Zzyzxwobble');
    assert.equal(page.statusCode, 200);
    assert.deepEqual(listed(page.body), []);
    assert.match(page.body, /No open contact matches “Zzyzxwobble”/);
    assert.match(page.body, /Closed contacts are not searched/);
    assert.match(page.body, /Clear the search/);
  });

  it('treats the search as text, not a pattern', async () => {
    await sendDan('NB/26/SEARCH-PCT', 43);
    const worker = new Browser(app);
    await worker.signIn('front.door@harbour.example');
    const page = await worker.get('/front-door?q=%25');
    assert.equal(page.statusCode, 200);
    assert.deepEqual(listed(page.body), []);
  });

  it('finds only contacts the worker may see: another area’s worker finds nothing', async () => {
    const sent = await sendDan('NB/26/SEARCH-AREA', 44);
    const southmere = new Browser(app);
    await southmere.signIn('southmere.front.door@harbour.example');
    const page = await southmere.get(`/front-door?q=${sent.reference}`);
    assert.equal(page.statusCode, 200);
    assert.ok(!listed(page.body).includes(sent.contactId));
    const school = new Browser(app);
    await school.signIn('school.dsl@harbour.example');
    assert.equal((await school.get(`/front-door?q=${sent.reference}`)).statusCode, 403);
  });
});
