import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SEARCH_COUNT_CAP } from '../../src/modules/people/repository.ts';
import type { PeopleService } from '../../src/modules/people/service.ts';
import type { AuditContext } from '../../src/platform/audit.ts';
import { auditEvents } from '../helpers/audit-events.ts';
import { contextOf } from '../helpers/deps.ts';
import { signedIn } from '../helpers/http.ts';
import { app, appPerFile, deps, services } from '../helpers/per-file.ts';

let mash: AuditContext;
const MANY = SEARCH_COUNT_CAP + 5;
const ids: Record<string, string> = {};

appPerFile({}, async () => {
  mash = await contextOf(services.directory, 'front.door@harbour.example');
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

const search = (query: Parameters<PeopleService['search']>[1]) => services.people.search(mash, query);
/** The ids on the first page of 20 that a search finds. */
const found = async (query: Omit<Parameters<PeopleService['search']>[1], 'page' | 'pageSize'>) =>
  (await search({ ...query, page: 1, pageSize: 20 })).rows.map((r) => r.id);

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
    assert.deepEqual(await found({ name: 'Oakenshow' }), [ids.alias]);
    assert.deepEqual(await found({ name: 'Wilhel' }), [ids.alias]);
    assert.deepEqual(await found({ name: 'thistlew' }), [ids.alias], 'a prefix of another recorded name');
    assert.deepEqual(await found({ identifier: 'LA-ZZ-99117' }), [ids.identifier]);
    const both = await search({ identifier: 'LA-ZZ-99117', name: 'wilhelmina', page: 1, pageSize: 20 });
    assert.deepEqual(both.rows, [], 'every criterion must hold, whichever one found the candidates');
  });

  it('leaves out people outside the principal’s scope and records the search', async () => {
    const result = await search({ name: 'hidden zzquharson', page: 1, pageSize: 20 });
    assert.deepEqual(result.rows, []);
    assert.equal(result.total, 0);
    const audit = (await auditEvents(deps.db, { action: 'person.search' })).at(-1)!;
    assert.equal((audit.details as { results: number }).results, 0);
  });

  it('says “more than 1,000” on the page, and gives the exact number when it is known', async () => {
    const browser = await signedIn(app, 'front.door@harbour.example');
    const many = await browser.get('/people?name=Zzquharson');
    assert.equal(many.statusCode, 200);
    assert.match(many.body, /More than 1,000 people found/);
    const few = await browser.get('/people?name=Oakenshaw');
    assert.match(few.body, />1 person found</);
  });
});
