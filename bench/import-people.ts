/**
 * Bulk transfer benchmark (issue 15, F20): how long `harbour import people` takes for a file of
 * N rows (default 100,000) against a synthetic partnership. Half the rows are people the
 * partnership already holds (they should match), half are new. Run on PostgreSQL:
 *   DATABASE_URL=postgres://… node bench/import-people.ts --rows 100000 [--people 50000]
 * It prints the rows per second, the total and the reconciliation counts.
 */
import { parseArgs } from 'node:util';
import { Random } from '../src/modules/synthetic/random.ts';
import { cliPrincipal } from '../src/platform/principal.ts';
import type { AgencyKind } from '../src/platform/roles.ts';
import { buildServices } from '../src/services.ts';
import { openDataset } from './lib/dataset.ts';

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
const services = buildServices(dataset.deps);
const agency = (await services.directory.findAgencyByCode('community-health'))!;
const held = await dataset.deps.db
  .selectFrom('person')
  .innerJoin('person_address', 'person_address.person_id', 'person.id')
  .select(['given_name', 'family_name', 'date_of_birth', 'kind', 'nhs_number', 'postcode', 'line1'])
  .where('merged_into_id', 'is', null)
  .limit(Math.floor(rows / 2))
  .execute();
const random = new Random(7);
const districts = ['NB1', 'NB2', 'SQ1', 'SQ2'];
const input: Record<string, string>[] = Array.from({ length: rows }, (_, i) => {
  const known = held[i];
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
  return {
    reference: `BENCH-${i}`,
    kind: 'child',
    givenName: `Given${Math.floor(random.next() * 1e6)}`,
    familyName: `Family${Math.floor(random.next() * 1e6)}`,
    dateOfBirth: `20${10 + Math.floor(random.next() * 14)}-0${1 + Math.floor(random.next() * 9)}-1${Math.floor(random.next() * 9)}`,
    nhsNumber: '',
    line1: `${i} Bench Street`,
    postcode: `${districts[i % districts.length]} 1AA`,
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
console.log(
  JSON.stringify({
    backend: dataset.deps.database.kind,
    rows,
    seconds: Math.round(seconds),
    rowsPerSecond: Math.round(rows / seconds),
    counts: result.counts,
  }),
);
await dataset.deps.close();
