import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { transaction } from '../../src/db/database.ts';
import type { AuditContext } from '../../src/platform/audit.ts';
import { buildServices } from '../../src/services.ts';
import { Browser, problemFields, signedIn } from '../helpers/http.ts';
import { app, appPerFile, deps } from '../helpers/per-file.ts';
import { rowsWhere, rowWhere } from '../helpers/rows.ts';
import { apiKeyFor, danBody, household } from './front-door-fixtures.ts';
import { changedTables, rowCounts } from './hostile-input.ts';

/**
 * Replays findings 6 and 8 of the attack review on the running app (both backends):
 * 6. a child named `<meta http-equiv=refresh …>` redirected whoever opened the enquiry or merge page;
 * 8. a NUL byte or a lone UTF-16 surrogate anywhere reached PostgreSQL and came back as a 500.
 */

const META = '<meta http-equiv="refresh" content="0;url=https://attacker.invalid/">';

let policeKey: string;

type Node = DefaultTreeAdapterMap['childNode'] | DefaultTreeAdapterMap['parentNode'];
type Element = DefaultTreeAdapterMap['element'];

function elements(html: string): Element[] {
  const found: Element[] = [];
  const visit = (node: Node) => {
    if ('tagName' in node) found.push(node as Element);
    for (const child of (node as DefaultTreeAdapterMap['parentNode']).childNodes ?? []) visit(child);
  };
  visit(parse(html));
  return found;
}

const attr = (element: Element, name: string) => element.attrs.find((a) => a.name === name)?.value;

function textOf(html: string): string {
  const parts: string[] = [];
  const visit = (node: Node) => {
    if (node.nodeName === '#text') parts.push((node as DefaultTreeAdapterMap['textNode']).value);
    for (const child of (node as DefaultTreeAdapterMap['parentNode']).childNodes ?? []) visit(child);
  };
  visit(parse(html));
  return parts.join('');
}

function assertNoRefresh(html: string) {
  const refresh = elements(html).filter((e) => attr(e, 'http-equiv') !== undefined);
  assert.deepEqual(
    refresh.map((e) => `<${e.tagName} http-equiv="${attr(e, 'http-equiv')}">`),
    [],
    'a stored name became a <meta http-equiv> element',
  );
}

async function context(email: string): Promise<AuditContext> {
  const directory = buildServices(deps).directory;
  const user = await deps.db
    .selectFrom('app_user')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirst();
  return { principal: (await directory.principalForUser(user!.id))! };
}

function api(method: 'GET' | 'POST', url: string, payload?: string) {
  return app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${policeKey}`, 'content-type': 'application/json' },
    ...(payload !== undefined ? { payload } : {}),
  });
}

/** A request that must be refused with a 400 and change no row. */
async function refusedWithoutWriting(send: () => Promise<LightMyRequestResponse>) {
  const before = await rowCounts(deps.db);
  const response = await send();
  assert.equal(response.statusCode, 400, response.body.slice(0, 400));
  assert.deepEqual(changedTables(before, await rowCounts(deps.db), 400), [], 'a refused request wrote rows');
  return response;
}

appPerFile({}, async () => {
  policeKey = await apiKeyFor(deps, 'police');
});

describe('finding 6: stored names render escaped', () => {
  it('a child named with a meta refresh shows as text on the enquiry page the health practitioner opens', async () => {
    const home = household();
    const body = danBody({}, 'NB/24/606060', home);
    body.children[0]!.givenName = META;
    const dan = await api('POST', '/api/v1/domestic-abuse-notifications', JSON.stringify(body));
    assert.equal(dan.statusCode, 201, dan.body);
    const contactId = dan.json().contactId as string;

    const worker = await signedIn(app, 'front.door@harbour.example');
    await worker.get(`/front-door/contacts/${contactId}`);
    let r = await worker.post(`/front-door/contacts/${contactId}/screening`, {
      rag: 'amber',
      rationale: 'Children present.',
    });
    assert.equal(r.statusCode, 303, r.body.slice(0, 300));
    await worker.post(`/front-door/contacts/${contactId}/assign`, {});
    const health = await rowsWhere(deps.db, 'agency', { code: 'community-health' });
    await worker.get(`/front-door/contacts/${contactId}`);
    r = await worker.post(`/front-door/contacts/${contactId}/enquiries`, {
      agencyIds: health.map((a) => a.id),
      question: 'Please share any involvement.',
    });
    assert.equal(r.statusCode, 303, r.body.slice(0, 300));
    const contactPage = await worker.get(`/front-door/contacts/${contactId}`);
    assertNoRefresh(contactPage.body);

    const nurse = await signedIn(app, 'mash.health@harbour.example');
    const enquiry = await rowWhere(deps.db, 'enquiry', { contact_id: contactId });
    const page = await nurse.get(`/front-door/enquiries/${enquiry.id}`);
    assert.equal(page.statusCode, 200);
    assertNoRefresh(page.body);
    assert.ok(textOf(page.body).includes(META), 'the name is shown, as text');
  });

  it('names with markup show as text on the merge page', async () => {
    const manager = await context('mash.manager@harbour.example');
    const people = buildServices(deps).people;
    const person = (givenName: string) =>
      transaction(deps.db, (trx) =>
        people.insertPerson(trx, manager, {
          kind: 'child',
          givenName,
          familyName: '"><img src=x data-hostile=1>',
          dateOfBirth: '2016-04-04',
          addresses: [{ line1: '1 Mill Lane', postcode: 'NB1 4AA' }],
        }),
      );
    const survivor = await person(META);
    const merged = await person(`${META}2`);
    const { mergeId } = await people.mergePeople(manager, {
      survivorId: survivor.id,
      mergedId: merged.id,
      reason: 'Same child recorded twice.',
    });
    const browser = await signedIn(app, 'mash.manager@harbour.example');
    const page = await browser.get(`/match-review/merges/${mergeId}`);
    assert.equal(page.statusCode, 200);
    assertNoRefresh(page.body);
    assert.deepEqual(
      elements(page.body).filter((e) => attr(e, 'data-hostile') !== undefined),
      [],
      'a stored name became an <img> element',
    );
    const links = elements(page.body).filter(
      (e) => e.tagName === 'a' && attr(e, 'href') === `/people/${survivor.id}`,
    );
    assert.equal(links.length, 1, 'the kept record is still a link');
    assert.ok(textOf(page.body).includes(`${META} "><img src=x data-hostile=1>`));
  });
});

describe('finding 8: NUL and lone surrogates are refused with a 400 naming the field, never a 500', () => {
  it('?name=a%00b on the API and on the people search page', async () => {
    const response = await refusedWithoutWriting(() => api('GET', '/api/v1/people?name=a%00b'));
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    assert.deepEqual(problemFields(response), ['name']);
    const browser = await signedIn(app, 'front.door@harbour.example');
    const page = await refusedWithoutWriting(() => browser.get('/people?name=a%00b'));
    assert.match(page.body, /govuk-error-summary/);
    assert.match(textOf(page.body), /“name” contains a NUL character/);
  });

  for (const [label, value] of [
    ['a NUL byte', 'Shouting\u0000 heard'],
    ['a lone surrogate', 'Shouting \uD800heard'],
  ] as const) {
    it(`${label} in a DAN's circumstances`, async () => {
      const body = danBody({}, 'NB/24/808080');
      body.incident.circumstances = value;
      const response = await refusedWithoutWriting(() =>
        api('POST', '/api/v1/domestic-abuse-notifications', JSON.stringify(body)),
      );
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
      assert.deepEqual(problemFields(response), ['incident.circumstances']);
    });
  }

  it('a lone surrogate or a NUL in the sign-in email: the error summary, no session or audit row', async () => {
    const browser = new Browser(app);
    await browser.get('/sign-in');
    const surrogate = await refusedWithoutWriting(() =>
      app.inject({
        method: 'POST',
        url: '/sign-in',
        headers: {
          cookie: browser.cookieHeader(),
          'content-type': 'application/json',
        },
        payload: JSON.stringify({
          email: 'front.door\uD800@harbour.example',
          password: 'x',
          _csrf: browser.lastCsrf,
        }),
      }),
    );
    assert.match(surrogate.body, /govuk-error-summary/);
    assert.match(textOf(surrogate.body), /“email” contains an unpaired UTF-16 surrogate/);
    const nul = await refusedWithoutWriting(() =>
      browser.post('/sign-in', { email: 'front.door@harbour.example\u0000', password: 'x' }),
    );
    assert.match(nul.body, /govuk-error-summary/);
  });

  it('an address that is not valid UTF-8 gets a 400, as problem+json on the API and a page elsewhere', async () => {
    const response = await refusedWithoutWriting(() => api('GET', '/api/v1/people/%ED%B0%80'));
    assert.equal(response.json().errors[0].field, 'path');
    const page = await refusedWithoutWriting(() => app.inject({ url: '/people/%ED%B0%80' }));
    assert.match(page.body, /govuk-error-summary/);
  });

  it('a DAN naming a child born after the incident names children[0].dateOfBirth, not an internal event', async () => {
    const body = danBody({}, 'NB/24/909090');
    body.children[0]!.dateOfBirth = '2026-04-01';
    const response = await refusedWithoutWriting(() =>
      api('POST', '/api/v1/domestic-abuse-notifications', JSON.stringify(body)),
    );
    assert.deepEqual(problemFields(response), ['children[0].dateOfBirth']);
  });
});

/** The POST forms on a page: where each goes and the names of its fields. */
function formsOn(html: string): { action: string; fields: string[] }[] {
  return elements(html)
    .filter((e) => e.tagName === 'form' && attr(e, 'method')?.toLowerCase() === 'post')
    .map((form) => {
      const fields = new Set<string>();
      const visit = (node: Node) => {
        if ('tagName' in node && ['input', 'textarea', 'select'].includes((node as Element).tagName)) {
          const name = attr(node as Element, 'name');
          if (name && name !== '_csrf') fields.add(name);
        }
        for (const child of (node as DefaultTreeAdapterMap['parentNode']).childNodes ?? []) visit(child);
      };
      visit(form);
      return { action: attr(form, 'action') ?? '', fields: [...fields] };
    })
    .filter((f) => f.action !== '/sign-out' && f.fields.length > 0);
}

describe('page forms with a NUL or a lone surrogate in a field (a sample of each form)', () => {
  const PAGES: [string, string[]][] = [
    ['front.door@harbour.example', ['/people', '/front-door/contact/start', '/front-door/routing']],
    [
      'police.officer@harbour.example',
      ['/front-door/dan/start', '/front-door/dan/incident', '/front-door/dan/victim'],
    ],
    ['admin@harbour.example', ['/admin/users/new', '/admin/api-keys/new']],
  ];

  for (const [email, urls] of PAGES) {
    it(`forms seen by ${email}: the error summary, nothing written`, async () => {
      const browser = await signedIn(app, email);
      const person = await deps.db.selectFrom('person').select('id').limit(1).executeTakeFirstOrThrow();
      const pages = [...urls, `/people/${person.id}/events/new`];
      let posted = 0;
      for (const url of pages) {
        const page = await browser.get(url);
        if (page.statusCode !== 200) continue;
        for (const form of formsOn(page.body)) {
          await fc.assert(
            fc.asyncProperty(
              fc.constantFrom(...form.fields),
              fc.constantFrom('a\u0000b', 'x\uD800y', '\uDC00'),
              async (field, value) => {
                await browser.get(url);
                const payload = Object.fromEntries(
                  form.fields.map((f) => [f, f === field ? value : 'Poppy']),
                );
                // Forms cannot carry a lone surrogate (it is sent as U+FFFD), so the same fields go as JSON too.
                const response = await refusedWithoutWriting(() =>
                  value.isWellFormed()
                    ? browser.post(form.action, payload)
                    : app.inject({
                        method: 'POST',
                        url: form.action,
                        headers: {
                          cookie: browser.cookieHeader(),
                          'content-type': 'application/json',
                        },
                        payload: JSON.stringify({ ...payload, _csrf: browser.lastCsrf }),
                      }),
                );
                assert.match(response.body, /govuk-error-summary/, `${form.action} ${field}`);
                assert.ok(textOf(response.body).includes(`“${field}”`), `${form.action} names ${field}`);
                posted++;
              },
            ),
            { numRuns: 3, endOnFailure: true },
          );
        }
      }
      assert.ok(posted >= 3, `only ${posted} form posts were made`);
    });
  }
});
