import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { CHRONOLOGY_EVENT_TYPES } from '../../src/domain/chronology-event.ts';
import { blockingKeys } from '../../src/domain/matching.ts';
import { matchRecordOf, type NewPerson, validateNewPerson } from '../../src/modules/people/service.ts';
import { parseSyntheticArgs } from '../../src/modules/synthetic/command.ts';
import { type SyntheticSeedOptions, seedSynthetic } from '../../src/modules/synthetic/seed.ts';
import { TABLE_ORDER } from '../../src/modules/synthetic/tables.ts';
import { ValidationError } from '../../src/platform/errors.ts';
import { cliPrincipal } from '../../src/platform/principal.ts';
import { buildServices } from '../../src/services.ts';
import { auditEvents } from '../helpers/audit-events.ts';
import { rowCount, type TestDeps, testDeps } from '../helpers/deps.ts';
import { rowsAboutPerson } from '../helpers/people-fixtures.ts';

const context = { principal: cliPrincipal('test') };
const TODAY = new Date('2026-03-02T12:00:00Z');
const SMALL: SyntheticSeedOptions = { people: 300, years: 3, seed: 11, today: TODAY };

/** Every table the seed writes, parents first (person, then the facts and events that name a person). */
const TABLES = TABLE_ORDER;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/**
 * Every generated row of every table as sorted JSON lines. The demo seed gives areas and agencies
 * random ids, so those are replaced by their codes; every other id is the generator's own.
 */
async function snapshot(deps: TestDeps): Promise<Record<string, string[]>> {
  const codes = new Map<string, string>();
  for (const a of await deps.db.selectFrom('area').select(['id', 'code']).execute())
    codes.set(a.id, `area:${a.code}`);
  for (const a of await deps.db.selectFrom('agency').select(['id', 'code']).execute())
    codes.set(a.id, `agency:${a.code}`);
  const out: Record<string, string[]> = {};
  for (const table of [...TABLES, 'area'] as const) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(deps.db);
    out[table] = rows
      .map((row) => {
        if (table === 'area') delete row.created_at;
        return JSON.stringify(row, Object.keys(row).sort()).replace(UUID, (id) => codes.get(id) ?? id);
      })
      .sort();
  }
  return out;
}

describe('synthetic partnership generator', () => {
  let first: TestDeps;
  let second: TestDeps;
  let otherSeed: TestDeps;

  before(async () => {
    [first, second, otherSeed] = await Promise.all([
      testDeps({ seed: false, asOwner: true }),
      testDeps({ seed: false, asOwner: true }),
      testDeps({ seed: false, asOwner: true }),
    ]);
    await seedSynthetic(buildServices(first), context, SMALL);
    await seedSynthetic(buildServices(second), context, SMALL);
    await seedSynthetic(buildServices(otherSeed), context, { ...SMALL, seed: 12 });
  });

  after(async () => {
    await Promise.all([first.close(), second.close(), otherSeed.close()]);
  });

  test('the same seed gives the same rows, ids included; another seed gives other rows', async () => {
    const [a, b, c] = await Promise.all([snapshot(first), snapshot(second), snapshot(otherSeed)]);
    for (const table of Object.keys(a)) {
      assert.ok(a[table]!.length > 0, `${table} has rows`);
      assert.equal(a[table]!.length, b[table]!.length, `${table} row count`);
      const differs = a[table]!.findIndex((row, i) => row !== b[table]![i]);
      assert.equal(differs, -1, `${table}: ${a[table]![differs]} <> ${b[table]![differs]}`);
    }
    assert.notDeepEqual(a.person, c.person);
    assert.ok(
      (await rowCount(first, 'person')) >= SMALL.people,
      'at least the requested people (plus duplicate records)',
    );
  });

  test('stored blocking keys are exactly what the people service computes from the stored facts', async () => {
    const people = await first.db.selectFrom('person').selectAll().execute();
    assert.ok(people.length > 0);
    for (const p of people) {
      const [names, identifiers, addresses] = await Promise.all([
        rowsAboutPerson(first.db, 'person_name', p.id),
        rowsAboutPerson(first.db, 'person_identifier', p.id),
        first.db
          .selectFrom('person_address')
          .selectAll()
          .where('person_id', '=', p.id)
          .orderBy('from_date')
          .execute(),
      ]);
      const input: NewPerson = {
        kind: p.kind,
        givenName: p.given_name,
        familyName: p.family_name,
        ...(p.sex ? { sex: p.sex } : {}),
        ...(p.date_of_birth ? { dateOfBirth: p.date_of_birth } : {}),
        ...(p.expected_date ? { expectedDate: p.expected_date } : {}),
        otherNames: names
          .filter((n) => n.kind !== 'current')
          .map((n) => ({ givenName: n.given_name, familyName: n.family_name, kind: n.kind as 'previous' })),
        identifiers: identifiers.map((i) => ({ scheme: i.scheme, value: i.value })),
        addresses: addresses.map((a) => ({
          line1: a.line1,
          postcode: a.postcode,
          ...(a.from_date ? { fromDate: a.from_date } : {}),
          ...(a.to_date ? { toDate: a.to_date } : {}),
        })),
      };
      if (input.otherNames?.length === 0) delete input.otherNames;
      assert.deepEqual(validateNewPerson(input, '2026-03-02'), [], `person ${p.id} is valid input`);
      assert.deepEqual(
        [...p.blocking_keys].sort(),
        blockingKeys(matchRecordOf(input)).sort(),
        `keys of ${p.id}`,
      );
      for (const row of [...names, ...identifiers, ...addresses]) assert.equal(row.area_id, p.area_id);
    }
  });

  test('every fact and event carries its person’s area, and no event is before birth or after today', async () => {
    for (const table of TABLES.slice(1)) {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from ${sql.table(table)} t join person p on p.id = t.person_id
        where t.area_id <> p.area_id`.execute(first.db);
      assert.equal(rows[0]!.n, 0, `${table} area_id`);
    }
    const { rows } = await sql<{ early: number; late: number }>`
      select count(*) filter (where p.date_of_birth is not null and e.occurred_at < p.date_of_birth::timestamptz - interval '1 day')::int as early,
             count(*) filter (where e.occurred_at > ${TODAY})::int as late
      from chronology_event e join person p on p.id = e.person_id`.execute(first.db);
    assert.deepEqual(rows[0], { early: 0, late: 0 });
  });

  test('the history has every chronology event type, duplicates, moves and a 2,000-event child', async () => {
    const deps = await testDeps({ seed: false, asOwner: true });
    try {
      const result = await seedSynthetic(buildServices(deps), context, {
        people: 3000,
        years: 10,
        seed: 5,
        today: TODAY,
      });
      const types = await deps.db.selectFrom('chronology_event').select('type').distinct().execute();
      const missing = CHRONOLOGY_EVENT_TYPES.filter((t) => !types.some((row) => row.type === t));
      assert.deepEqual(missing, []);
      assert.ok(result.stats!.duplicates > 0);
      assert.ok(result.stats!.incidents > result.stats!.domesticAbuseHouseholds, 'incidents repeat');
      const heavy = result.stats!.heavyChildIds[0]!;
      assert.equal((await rowsAboutPerson(deps.db, 'chronology_event', heavy)).length, 2000);
      const moved = await deps.db
        .selectFrom('person_address')
        .select('id')
        .where('to_date', 'is not', null)
        .limit(1)
        .execute();
      assert.equal(moved.length, 1);
      const audit = await auditEvents(deps.db, { action: 'synthetic.seed' });
      assert.equal(audit.length, 1);
    } finally {
      await deps.close();
    }
  });

  test('refuses a database that already holds a partnership', async () => {
    const deps = await testDeps();
    try {
      const result = await seedSynthetic(buildServices(deps), context, SMALL);
      assert.equal(result.seeded, false);
      const people = await deps.db.selectFrom('person').select('id').execute();
      assert.ok(people.length < SMALL.people);
    } finally {
      await deps.close();
    }
  });

  test('the command line options are checked, every problem at once', () => {
    assert.deepEqual(parseSyntheticArgs({ preset: 'large-county', seed: '3' }), {
      people: 1_500_000,
      years: 10,
      seed: 3,
      progress: true,
    });
    assert.equal(parseSyntheticArgs({ people: '300_000' }).people, 300_000);
    assert.throws(
      () => parseSyntheticArgs({ preset: 'tiny', people: '-1', years: 'x', today: '2026-13-01' }),
      (error: unknown) =>
        error instanceof ValidationError &&
        ['--preset', '--people', '--years', '--today'].every((f) => error.errors.some((e) => e.field === f)),
    );
  });
});
