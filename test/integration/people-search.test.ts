import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../src/app.ts';
import { SEARCH_COUNT_CAP } from '../../src/modules/people/repository.ts';
import type { PeopleService } from '../../src/modules/people/service.ts';
import type { AuditContext } from '../../src/platform/audit.ts';
import { buildServices } from '../../src/services.ts';
import { type TestDeps, testDeps } from '../helpers/deps.ts';
import { Browser, testApp } from '../helpers/http.ts';

let deps: TestDeps;
let app: App;
let mash: AuditContext;
const MANY = SEARCH_COUNT_CAP + 5;
const ids: Record<string, string> = {};

before(async () => {
  deps = await testDeps();
  app = await testApp(deps);
  const directory = buildServices(deps).directory;
  const user = await directory.findUserByEmail('front.door@harbour.example');
  mash = { principal: (await directory.principalForUser(user!.id))! };
  const areas = await deps.db.selectFrom('area').select(['id', 'code']).orderBy('code').execute();
  const home = areas.find((a) => a.code === 'northbridge')!.id;
  const elsewhere = areas.find((a) => a.code !== 'northbridge')!.id;
  // More namesakes than the count goes to, in one insert.
  await deps.db
    .insertInto('person')
    .values(
      Array.from({ length: MANY }, (_, i) => ({
        area_id: home,
        kind: 'adult' as const,
        given_name: `Given${String(i).padStart(4, '0')}`,
        family_name: 'Zzquharson',
      })),
    )
    .execute();
  const one = async (key: string, values: { area_id: string; given_name: string; family_name: string }) => {
    const row = await deps.db
      .insertInto('person')
      .values({ kind: 'child', date_of_birth: '2016-02-29', ...values })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids[key] = row.id;
    return row.id;
  };
  const wilhelmina = await one('alias', {
    area_id: home,
    given_name: 'Wilhelmina',
    family_name: 'Oakenshaw',
  });
  await deps.db
    .insertInto('person_name')
    .values({
      person_id: wilhelmina,
      area_id: home,
      kind: 'alias',
      given_name: 'Billie',
      family_name: 'Thistlewood',
    })
    .execute();
  const coded = await one('identifier', { area_id: home, given_name: 'Peregrine', family_name: 'Ashdown' });
  await deps.db
    .insertInto('person_identifier')
    .values({ person_id: coded, area_id: home, scheme: 'la', value: 'LA-ZZ-99117' })
    .execute();
  await one('away', { area_id: elsewhere, given_name: 'Hidden', family_name: 'Zzquharson' });
});
after(async () => {
  await app.close();
  await deps.close();
});

const search = (query: Parameters<PeopleService['search']>[1]) =>
  buildServices(deps).people.search(mash, query);

describe('person search: indexed candidates, then filtered, sorted and counted to a cap', () => {
  it('counts to 1,000 and says there are more, with the first page sorted by name', async () => {
    const result = await search({ name: 'zzquharson', page: 1, pageSize: 20 });
    assert.equal(result.total, SEARCH_COUNT_CAP);
    assert.equal(result.capped, true);
    assert.deepEqual(
      result.rows.map((r) => r.given_name),
      Array.from({ length: 20 }, (_, i) => `Given${String(i).padStart(4, '0')}`),
    );
    const last = await search({ name: 'zzquharson', page: 51, pageSize: 20 });
    assert.equal(last.rows.length, MANY - 50 * 20, 'pages run on past the cap: only the count stops');
    assert.equal(last.capped, true);
  });

  it('gives the exact count under the cap, and every word must hold', async () => {
    const result = await search({ name: 'wilhelmina oakenshaw', page: 1, pageSize: 20 });
    assert.equal(result.capped, false);
    assert.equal(result.total, 1);
    assert.deepEqual(
      result.rows.map((r) => r.id),
      [ids.alias],
    );
    const mixed = await search({ name: 'wilhelmina zzquharson', page: 1, pageSize: 20 });
    assert.deepEqual(mixed.rows, []);
    assert.equal(mixed.total, 0);
  });

  it('finds by a misspelling (trigram), a prefix, an alias and an exact identifier', async () => {
    const typo = await search({ name: 'Oakenshow', page: 1, pageSize: 20 });
    assert.deepEqual(
      typo.rows.map((r) => r.id),
      [ids.alias],
    );
    const prefix = await search({ name: 'Wilhel', page: 1, pageSize: 20 });
    assert.deepEqual(
      prefix.rows.map((r) => r.id),
      [ids.alias],
    );
    const alias = await search({ name: 'thistlew', page: 1, pageSize: 20 });
    assert.deepEqual(
      alias.rows.map((r) => r.id),
      [ids.alias],
      'a prefix of another recorded name',
    );
    const identifier = await search({ identifier: 'LA-ZZ-99117', page: 1, pageSize: 20 });
    assert.deepEqual(
      identifier.rows.map((r) => r.id),
      [ids.identifier],
    );
    const both = await search({ identifier: 'LA-ZZ-99117', name: 'wilhelmina', page: 1, pageSize: 20 });
    assert.deepEqual(both.rows, [], 'every criterion must hold, whichever one found the candidates');
  });

  it('leaves out people outside the principal’s scope and records the search', async () => {
    const result = await search({ name: 'hidden zzquharson', page: 1, pageSize: 20 });
    assert.deepEqual(result.rows, []);
    assert.equal(result.total, 0);
    const audit = await deps.db
      .selectFrom('audit_event')
      .select(['action', 'details'])
      .where('action', '=', 'person.search')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    assert.equal((audit.details as { results: number }).results, 0);
  });

  it('says “more than 1,000” on the page, and gives the exact number when it is known', async () => {
    const browser = new Browser(app);
    await browser.signIn('front.door@harbour.example');
    const many = await browser.get('/people?name=Zzquharson');
    assert.equal(many.statusCode, 200);
    assert.match(many.body, /More than 1,000 people found/);
    const few = await browser.get('/people?name=Oakenshaw');
    assert.match(few.body, />1 person found</);
  });
});
