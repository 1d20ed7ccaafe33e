import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildServices } from '../../src/services.ts';
import { onPostgres } from '../helpers/database.ts';
import { signedIn } from '../helpers/http.ts';
import { app, appPerFile, deps } from '../helpers/per-file.ts';
import { rowById } from '../helpers/rows.ts';

const backend = onPostgres ? 'PostgreSQL' : 'PGlite';

let personId: string;

appPerFile({}, async () => {
  // A child of the front door's own area, so its practitioner's search may find them.
  const northbridge = (await buildServices(deps).directory.findAreaByCode('northbridge'))!;
  const child = await deps.db
    .selectFrom('person')
    .select('id')
    .where('kind', '=', 'child')
    .where('area_id', '=', northbridge.id)
    .where('date_of_birth', 'is not', null)
    .orderBy('id')
    .executeTakeFirstOrThrow();
  personId = child.id;
});

describe(`people search reads a date of birth as it is typed (${backend})`, () => {
  it('finds the same person by 2018-06-14, 14/06/2018 and 14/6/2018, and refuses 31/02/2018 in words', async () => {
    const person = await rowById(deps.db, 'person', personId);
    const iso = String(person.date_of_birth);
    const [year, month, day] = iso.split('-') as [string, string, string];
    const browser = await signedIn(app, 'front.door@harbour.example');
    const typed = [iso, `${day}/${month}/${year}`, `${Number(day)}/${Number(month)}/${year}`];
    for (const dateOfBirth of typed) {
      const page = await browser.get(`/people?dateOfBirth=${encodeURIComponent(dateOfBirth)}`);
      assert.equal(page.statusCode, 200, dateOfBirth);
      assert.match(page.body, new RegExp(`/people/${person.id}`), `${dateOfBirth} finds the person`);
      // What was typed stays in the box.
      assert.match(page.body, new RegExp(`name="dateOfBirth" type="text" value="${dateOfBirth}"`));
    }
    const unreal = await browser.get(`/people?dateOfBirth=${encodeURIComponent('31/02/2018')}`);
    assert.equal(unreal.statusCode, 400);
    assert.match(unreal.body, /govuk-error-summary/);
    assert.match(unreal.body, /Enter the date of birth as a real date, like 14\/06\/2018/);
  });

  it('lists a date of birth error before a postcode error, as the form asks them', async () => {
    const browser = await signedIn(app, 'front.door@harbour.example');
    const page = await browser.get('/people?dateOfBirth=tomorrow&postcode=12345');
    assert.equal(page.statusCode, 400);
    const summary = page.body.slice(page.body.indexOf('govuk-error-summary'));
    assert.ok(summary.indexOf('date of birth') < summary.indexOf('postcode'), 'date of birth first');
  });
});

/** Every listing page that reads its web address, as the user who uses it, with values it does not offer. */
const LISTINGS: { user: string; path: string; bad: Record<string, string> }[] = [
  { user: 'front.door@harbour.example', path: '/people', bad: { sort: 'priority', order: 'up', page: '0' } },
  { user: 'front.door@harbour.example', path: '/front-door', bad: { sort: 'priority', page: 'two' } },
  { user: 'front.door@harbour.example', path: '/front-door', bad: { route: 'sideways', order: 'random' } },
  { user: 'front.door@harbour.example', path: '/front-door', bad: { rag: 'purple', status: 'lost' } },
  { user: 'school.dsl@harbour.example', path: '/front-door/enquiries', bad: { status: 'all', page: '-1' } },
  {
    user: 'front.door@harbour.example',
    path: '/front-door/early-help/inbox',
    bad: { show: 'everything', lead: 'x' },
  },
  { user: 'police.officer@harbour.example', path: '/front-door/my-contacts', bad: { page: 'last' } },
  { user: 'admin@harbour.example', path: '/admin/users', bad: { sort: 'age', page: '0' } },
  { user: 'admin@harbour.example', path: '/admin/sign-in-limits', bad: { page: '1.5' } },
  { user: 'front.door@harbour.example', path: '/match-review', bad: { status: 'x', sort: 'name' } },
  { user: 'front.door@harbour.example', path: '/match-review/merges', bad: { page: '0' } },
  { user: 'school.dsl@harbour.example', path: '/inbox', bad: { page: 'first' } },
  { user: 'admin@harbour.example', path: '/admin/notifications', bad: { page: '0' } },
];

describe(`a listing page's web address with a value it does not offer is a GOV.UK error page (${backend})`, () => {
  for (const listing of LISTINGS) {
    it(`${listing.path}?${new URLSearchParams(listing.bad)} as ${listing.user}`, async () => {
      const browser = await signedIn(app, listing.user);
      assert.equal(
        (await browser.get(listing.path)).statusCode,
        200,
        `${listing.path} opens for ${listing.user}`,
      );
      const page = await browser.get(`${listing.path}?${new URLSearchParams(listing.bad)}`);
      assert.equal(page.statusCode, 400, page.body.slice(0, 300));
      assert.match(page.body, /govuk-error-summary/);
      assert.match(page.body, /<title>Error: /);
      for (const field of Object.keys(listing.bad))
        assert.match(page.body, new RegExp(`The web address.{1,12}&quot;${field}&quot;`), `names ${field}`);
      assert.doesNotMatch(page.body, /must be equal to|must be integer|must be &gt;=|must match/);
      assert.match(page.body, new RegExp(`href="${listing.path}"`), 'links to the page without the values');
    });
  }

  it('a page number past the last is the last page or an error page, never a 500', async () => {
    const browser = await signedIn(app, 'front.door@harbour.example');
    for (const path of ['/people?name=a', '/front-door', '/front-door/early-help/inbox', '/match-review']) {
      const page = await browser.get(`${path}${path.includes('?') ? '&' : '?'}page=99999999999999999999`);
      assert.ok([200, 400].includes(page.statusCode), `${path}: ${page.statusCode}`);
    }
  });
});
