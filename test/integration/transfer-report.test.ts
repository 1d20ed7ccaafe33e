import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { syntheticNhsNumber } from '../../src/domain/identifiers.ts';
import { auditEvents } from '../helpers/audit-events.ts';
import { signedIn } from '../helpers/http.ts';
import { app, appPerFile, deps } from '../helpers/per-file.ts';
import { rowCount } from '../helpers/row-count.ts';
import { seededRandom } from '../helpers/seeded-random.ts';
import { api, apiKeyFor } from './risk-helpers.ts';

/**
 * The reconciliation report of a bulk transfer (F20), kept for every run: every row of the file
 * with its outcome, rejected rows with their reason; a page (paged, sortable, filtered by outcome)
 * and a CSV download, for the agency whose records were loaded only, each read audited.
 */
let healthKey: string;
let firstRun: string;
let secondRun: string;
const NEW_PEOPLE = 55;

const count = (table: 'person' | 'import_row' | 'import_report_row') => rowCount(deps.db, table);

function fileRows(): Record<string, string>[] {
  const random = seededRandom(4242);
  const rows: Record<string, string>[] = [];
  for (let i = 0; i < NEW_PEOPLE; i++)
    rows.push({
      reference: `RPT-${String(i).padStart(3, '0')}`,
      kind: 'child',
      givenName: `Reportina${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`,
      familyName: `Ledgerworth${String.fromCharCode(97 + ((i * 7) % 26))}`,
      dateOfBirth: `2018-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`,
      sex: 'female',
      nhsNumber: syntheticNhsNumber(random),
      line1: `${i + 1} Tally Lane`,
      postcode: 'NB2 4AB',
    });
  rows.push({
    reference: 'RPT-BAD-NHS',
    kind: 'child',
    givenName: 'Ada',
    familyName: 'Checkdigit',
    nhsNumber: '1234567890',
    postcode: 'NB1 1AA',
  });
  rows.push({
    reference: 'RPT-BAD-KIND',
    kind: 'cat',
    givenName: 'Tom',
    familyName: 'Feline',
    postcode: 'NB1 1AA',
  });
  rows.push({
    reference: 'RPT-000',
    kind: 'child',
    givenName: 'Dup',
    familyName: 'Licate',
    postcode: 'NB1 1AA',
  });
  return rows;
}

appPerFile({}, async () => {
  healthKey = await apiKeyFor(deps, 'community-health');
});

describe('the reconciliation report of a bulk transfer (F20)', () => {
  it('keeps every row of every run, rejected ones with their reason, and a re-run changes nothing', async () => {
    const client = api(app, healthKey);
    const rows = fileRows();
    const reportBefore = await count('import_report_row');
    const first = await client.post('/api/v1/imports/people', { fileName: 'caseload.csv', rows });
    assert.equal(first.statusCode, 201, first.body);
    firstRun = first.json().runId;
    const counts = first.json().counts as Record<string, number>;
    const { rows: total, ...outcomes } = counts;
    assert.equal(total, rows.length);
    assert.equal(
      Object.values(outcomes).reduce((a, b) => a + b, 0),
      rows.length,
      'the counts add up to the file',
    );
    assert.equal(counts.rejected, 3, JSON.stringify(first.json().report.slice(0, 2)));
    const stored = await deps.db
      .selectFrom('import_report_row')
      .selectAll()
      .where('run_id', '=', firstRun)
      .orderBy('line')
      .execute();
    assert.equal(stored.length, rows.length, 'one stored line per row of the file');
    assert.deepEqual(
      stored.map((r) => r.line),
      rows.map((_r, i) => i + 2),
    );
    const byReference = (ref: string) => stored.filter((r) => r.source_reference === ref);
    assert.match(byReference('RPT-BAD-NHS')[0]!.reason!, /NHS number/);
    assert.match(byReference('RPT-BAD-KIND')[0]!.reason!, /kind/);
    assert.equal(byReference('RPT-000')[1]!.reason, 'The reference appears twice in the file');
    assert.equal(byReference('RPT-000')[0]!.outcome === 'rejected', false);

    const people = await count('person');
    const imported = await count('import_row');
    const again = await client.post('/api/v1/imports/people', { fileName: 'caseload.csv', rows });
    assert.equal(again.statusCode, 201, again.body);
    secondRun = again.json().runId;
    assert.equal(await count('person'), people, 'a second run creates no one');
    assert.equal(await count('import_row'), imported);
    assert.deepEqual(again.json().counts, {
      rows: rows.length,
      matched: 0,
      created: 0,
      review: 0,
      rejected: 3,
      unchanged: rows.length - 3,
    });
    assert.equal(await count('import_report_row'), reportBefore + 2 * rows.length);

    const csv = await client.get(`/api/v1/imports/${secondRun}/report`);
    assert.equal(csv.statusCode, 200, csv.body);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    const lines = csv.body.trim().split('\n');
    assert.equal(lines[0], 'line,reference,outcome,personId,score,reason');
    assert.equal(lines.length - 1, rows.length);
    assert.equal(lines.filter((l) => l.split(',')[2] === 'unchanged').length, rows.length - 3);
  });

  it('lets only the agency whose records were loaded read the report, and audits each read', async () => {
    const hospital = api(app, await apiKeyFor(deps, 'hospital'));
    assert.equal((await hospital.get(`/api/v1/imports/${firstRun}/report`)).statusCode, 403);
    const unknown = await api(app, healthKey).get(
      '/api/v1/imports/7a0c1d52-0000-4000-8000-000000000000/report',
    );
    assert.equal(unknown.statusCode, 404);
    assert.match(String(unknown.headers['content-type']), /problem\+json/);
    assert.equal((await app.inject({ url: `/api/v1/imports/${firstRun}/report` })).statusCode, 401);

    const nurse = await signedIn(app, 'ed.nurse@harbour.example');
    assert.equal((await nurse.get(`/imports/${firstRun}`)).statusCode, 403);
    assert.equal((await nurse.get(`/imports/${firstRun}/report.csv`)).statusCode, 403);
    const denied = await auditEvents(deps.db, { subjectId: firstRun, outcome: 'denied' });
    assert.ok(denied.length >= 2, 'refusals are audited');

    const mashHealth = await signedIn(app, 'mash.health@harbour.example');
    const runs = await mashHealth.get('/imports');
    assert.equal(runs.statusCode, 200);
    assert.match(runs.body, new RegExp(`/imports/${firstRun}`));
    const page = await mashHealth.get(`/imports/${firstRun}`);
    assert.equal(page.statusCode, 200, page.body);
    assert.match(page.body, /58 rows, page 1 of 2/);
    const download = await mashHealth.get(`/imports/${firstRun}/report.csv`);
    assert.equal(download.body.trim().split('\n').length - 1, NEW_PEOPLE + 3);
    const views = await auditEvents(deps.db, {
      subjectId: firstRun,
      action: ['transfer.report.view', 'transfer.report.download'],
      outcome: 'allowed',
    });
    assert.deepEqual(views.map((v) => v.action).sort(), ['transfer.report.download', 'transfer.report.view']);
    const viewed = views.find((v) => v.action === 'transfer.report.view')!;
    assert.equal((viewed.person_ids as string[]).length, 50, 'the people on the page are in the audit');
  });

  it('pages, filters by outcome and sorts the report; bad query input is refused, never a 500', async () => {
    const browser = await signedIn(app, 'mash.health@harbour.example');
    const second = await browser.get(`/imports/${firstRun}?page=2`);
    assert.equal(second.statusCode, 200);
    const linesOn = (body: string) =>
      [...body.matchAll(/<td class="govuk-table__cell govuk-table__cell--numeric">(\d+)<\/td>/g)].map((m) =>
        Number(m[1]),
      );
    assert.deepEqual(linesOn(second.body), [52, 53, 54, 55, 56, 57, 58, 59]);

    const rejected = await browser.get(`/imports/${firstRun}?outcome=rejected`);
    assert.equal(rejected.statusCode, 200);
    assert.match(rejected.body, /3 rows rejected, page 1 of 1/);
    assert.match(rejected.body, /The reference appears twice in the file/);
    assert.match(rejected.body, /NHS number fails its check digit/);
    assert.doesNotMatch(rejected.body, /RPT-001/);

    const unchanged = await browser.get(`/imports/${secondRun}`);
    assert.match(unchanged.body, /This run changed nothing/);
    const first = await browser.get(`/imports/${firstRun}`);
    assert.doesNotMatch(first.body, /This run changed nothing/);

    const descending = await browser.get(`/imports/${firstRun}?sort=line&order=desc`);
    assert.deepEqual(linesOn(descending.body).slice(0, 3), [59, 58, 57]);
    assert.match(descending.body, /aria-sort="descending"/);
    const byReference = await browser.get(`/imports/${firstRun}?sort=reference&order=asc&outcome=rejected`);
    const refs = [...byReference.body.matchAll(/<td class="govuk-table__cell">(RPT-[^<]+)<\/td>/g)].map(
      (m) => m[1],
    );
    assert.deepEqual(refs, ['RPT-000', 'RPT-BAD-KIND', 'RPT-BAD-NHS']);

    for (const bad of ['?outcome=deleted', '?page=0', '?sort=name', "?order=sideways'"]) {
      const response = await browser.get(`/imports/${firstRun}${bad}`);
      assert.equal(response.statusCode, 400, bad);
      assert.match(response.body, /govuk-error-summary/, bad);
    }
    assert.equal((await browser.get('/imports/not-a-run')).statusCode, 404);
  });
});
