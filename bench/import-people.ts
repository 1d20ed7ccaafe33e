/**
 * Bulk transfer benchmark (issue 15, F20): how long `harbour import people` takes for a file of
 * N rows (default 100,000) against a synthetic partnership. Half the rows are people the
 * partnership already holds (they should match), half are new people with realistic synthetic
 * names (seeded faker en_GB). Run on PostgreSQL:
 *   DATABASE_URL=postgres://… node bench/import-people.ts --rows 100000 [--people 50000] [--batch 1000]
 * Each run imports into a fresh copy of the dataset (PostgreSQL: a database made from it as a
 * template; PGlite: a copy of its directory), so runs start from the same state and the dataset
 * itself is never changed. It then imports the same file again, which must change nothing.
 * It prints the rows per second of both runs and the reconciliation counts.
 */
import { cpSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { base, en, en_GB, Faker } from '@faker-js/faker';
import pg from 'pg';
import { syntheticNhsNumber } from '../src/domain/identifiers.ts';
import { cliPrincipal } from '../src/platform/principal.ts';
import type { AgencyKind } from '../src/platform/roles.ts';
import { buildServices } from '../src/services.ts';
import { open, openDataset } from './lib/dataset.ts';

const { values } = parseArgs({
  options: { rows: { type: 'string' }, people: { type: 'string' }, batch: { type: 'string' } },
});
const rows = Number(values.rows ?? 100_000);
const dataset = await openDataset({
  backend: process.env.DATABASE_URL ? 'postgres' : 'pglite',
  people: Number(values.people ?? 50_000),
  years: 3,
  seed: 20261202,
  fresh: false,
  progress: true,
});
await dataset.deps.close();
let env: Record<string, string>;
let dropCopy: () => Promise<void>;
if (dataset.env.DATABASE_URL) {
  const url = new URL(dataset.env.DATABASE_URL);
  const template = url.pathname.slice(1);
  const copy = `${template}_import`;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${admin.escapeIdentifier(copy)} with (force)`);
  await admin.query(
    `create database ${admin.escapeIdentifier(copy)} template ${admin.escapeIdentifier(template)}`,
  );
  url.pathname = `/${copy}`;
  env = { DATABASE_URL: url.toString() };
  dropCopy = async () => {
    // Not forced: a connection the app left idle is not killed under a live pool.
    await admin
      .query(`drop database if exists ${admin.escapeIdentifier(copy)}`)
      .catch((error: Error) => console.error(`The copy ${copy} was left: ${error.message}`));
    await admin.end();
  };
} else {
  const copy = `${dataset.env.HARBOUR_DATA_DIR}-import`;
  rmSync(copy, { recursive: true, force: true });
  cpSync(dataset.env.HARBOUR_DATA_DIR!, copy, { recursive: true });
  env = { HARBOUR_DATA_DIR: copy };
  dropCopy = async () => rmSync(copy, { recursive: true, force: true });
}
const { deps } = await open(env);
const services = buildServices(deps);
const agency = (await services.directory.findAgencyByCode('community-health'))!;
const held = await deps.db
  .selectFrom('person')
  .innerJoin('person_address', 'person_address.person_id', 'person.id')
  .select(['given_name', 'family_name', 'date_of_birth', 'kind', 'nhs_number', 'postcode', 'line1'])
  .where('merged_into_id', 'is', null)
  .where('person_address.to_date', 'is', null)
  .orderBy('person.id')
  .limit(Math.ceil(rows / 2))
  .execute();
const faker = new Faker({ locale: [en_GB, en, base], seed: 7 });
const districts = ['NB1', 'NB2', 'SQ1', 'SQ2'];
const input: Record<string, string>[] = Array.from({ length: rows }, (_, i): Record<string, string> => {
  const known = held[i >> 1];
  if (known && i % 2 === 0)
    return {
      reference: `BENCH-${i}`,
      kind: known.kind,
      givenName: known.given_name,
      familyName: known.family_name,
      dateOfBirth: known.date_of_birth ?? '',
      nhsNumber: known.nhs_number ?? '',
      line1: known.line1,
      postcode: known.postcode,
    };
  const sex = faker.helpers.arrayElement(['female', 'male'] as const);
  return {
    reference: `BENCH-${i}`,
    kind: 'child',
    givenName: faker.person.firstName(sex),
    familyName: faker.person.lastName(),
    dateOfBirth: faker.date.between({ from: '2008-01-01', to: '2025-12-31' }).toISOString().slice(0, 10),
    sex,
    nhsNumber: syntheticNhsNumber(() => faker.number.float({ min: 0, max: 1 })),
    line1: faker.location.streetAddress(),
    postcode: `${districts[i % districts.length]} ${faker.number.int({ min: 1, max: 9 })}${faker.helpers.arrayElements([...'ABDEFGHJLNPQRSTUWXYZ'], 2).join('')}`,
  };
});
const context = {
  principal: {
    ...cliPrincipal('bench'),
    agencyId: agency.id,
    agencyCode: agency.code,
    agencyName: agency.name,
    agencyKind: agency.kind as AgencyKind,
  },
};
async function run() {
  const started = performance.now();
  const result = await services.transfer.importPeople(
    context,
    {
      fileName: `bench-${rows}.csv`,
      rows: input,
      ...(values.batch ? { batchSize: Number(values.batch) } : {}),
    },
    (done, total) => process.stderr.write(`\r${done}/${total}`),
  );
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write('\n');
  const reasons: Record<string, number> = {};
  for (const r of result.report) if (r.reason) reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
  return {
    seconds: Math.round(seconds),
    rowsPerSecond: Math.round(rows / seconds),
    counts: result.counts,
    rejected: reasons,
  };
}
const first = await run();
const again = await run();
console.log(
  JSON.stringify({
    backend: deps.database.kind,
    people: Number(values.people ?? 50_000),
    rows,
    first,
    again,
  }),
);
await deps.close();
await dropCopy();
