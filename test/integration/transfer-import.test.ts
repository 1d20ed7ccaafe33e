import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { syntheticNhsNumber } from '../../src/domain/identifiers.ts';
import { runImportCommand } from '../../src/modules/transfer/import-command.ts';
import { cliPrincipal } from '../../src/platform/principal.ts';
import { heldChildrenWithNhs } from '../helpers/people-fixtures.ts';
import { app, appPerFile, deps, services } from '../helpers/per-file.ts';
import { rowCount } from '../helpers/row-count.ts';
import { seededRandom } from '../helpers/seeded-random.ts';
import { api, apiKeyFor } from './risk-helpers.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'harbour-import-'));

appPerFile();

const count = (table: 'person' | 'import_row' | 'import_report_row') => rowCount(deps.db, table);

describe('harbour import people (F20)', () => {
  it('resolves every row, reports each once, and a second run changes nothing', async () => {
    // Records the community health provider already shares with the partnership: they should match.
    const known = await heldChildrenWithNhs(deps.db, 5);
    const random = seededRandom(99);
    const header = 'reference,kind,givenName,familyName,dateOfBirth,sex,nhsNumber,line1,postcode';
    const lines = [header];
    for (const [i, p] of known.entries())
      lines.push(
        [
          `CH-${i}`,
          p.kind,
          p.given_name,
          p.family_name,
          p.date_of_birth,
          p.sex ?? '',
          p.nhs_number,
          p.line1,
          p.postcode,
        ].join(','),
      );
    for (let i = 0; i < 6; i++)
      lines.push(
        [
          `CH-NEW-${i}`,
          'child',
          `Imogen${i}`,
          `Transferwell${i}`,
          `2019-0${(i % 8) + 1}-1${i}`,
          'female',
          syntheticNhsNumber(random),
          `${i} Quay Street`,
          'NB2 3AB',
        ].join(','),
      );
    lines.push('CH-BAD-1,child,Ada,Lovelace,2019-01-01,female,1234567890,1 Road,NB1 1AA');
    lines.push('CH-BAD-2,child,,Nameless,2019-01-01,female,,1 Road,NB1 1AA');
    lines.push('CH-NEW-0,child,Dup,Licate,2019-01-01,female,,1 Road,NB1 1AA');
    const file = path.join(dir, 'caseload.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const logged: string[] = [];
    const out = { log: (l: string) => logged.push(l), progress: () => {} };
    const context = { principal: cliPrincipal('test') };
    // `harbour import people --file <file> --agency community-health`, run by the operator.
    const importFile = () =>
      runImportCommand(
        services.transfer,
        services.directory,
        context,
        'people',
        { file, agency: 'community-health' },
        out,
      );
    const peopleBefore = await count('person');
    const code = await importFile();
    assert.equal(code, 0, logged.join('\n'));
    const report = readFileSync(`${file}.reconciliation.csv`, 'utf8').trim().split('\n').slice(1);
    assert.equal(report.length, lines.length - 1, 'one report line per row of the file');
    const outcome = (ref: string) => report.find((r) => r.split(',')[1] === ref)!.split(',')[2];
    for (let i = 0; i < known.length; i++) assert.equal(outcome(`CH-${i}`), 'matched', report.join('\n'));
    for (let i = 0; i < 6; i++) assert.ok(['created', 'review'].includes(outcome(`CH-NEW-${i}`)!));
    assert.equal(outcome('CH-BAD-1'), 'rejected');
    assert.equal(outcome('CH-BAD-2'), 'rejected');
    assert.match(report.find((r) => r.split(',')[1] === 'CH-BAD-1')!, /^13,.*NHS number/);
    const created = report.filter((r) => ['created', 'review'].includes(r.split(',')[2]!)).length;
    assert.equal(await count('person'), peopleBefore + created);
    const summary = logged.find((l) => l.startsWith('Imported'))!;
    const numbers = [...summary.matchAll(/(\d+) (?:matched|created|sent to review|rejected|unchanged)/g)].map(
      (m) => Number(m[1]),
    );
    assert.equal(
      numbers.reduce((a, b) => a + b, 0),
      lines.length - 1,
      'the counts add up to the file',
    );

    const rowsBefore = await count('import_row');
    const peopleAfterFirst = await count('person');
    const again = await importFile();
    assert.equal(again, 0);
    assert.equal(await count('person'), peopleAfterFirst, 'a second run creates no one');
    assert.equal(await count('import_row'), rowsBefore);
    const second = readFileSync(`${file}.reconciliation.csv`, 'utf8').trim().split('\n').slice(1);
    assert.equal(second.length, lines.length - 1);
    assert.equal(second.filter((r) => r.split(',')[2] === 'unchanged').length, known.length + 6);
    assert.equal(second.filter((r) => r.split(',')[2] === 'rejected').length, 3);
  });
});

describe('POST /api/v1/imports/people', () => {
  it('imports by API with the same report, and a re-send reports every row unchanged', async () => {
    const client = api(app, await apiKeyFor(deps, 'community-health'));
    const body = {
      fileName: 'api-batch.csv',
      rows: [
        {
          reference: 'API-1',
          kind: 'child',
          givenName: 'Wren',
          familyName: 'Apiford',
          dateOfBirth: '2020-02-02',
          postcode: 'NB1 2AA',
        },
        { reference: 'API-2', kind: 'child', givenName: '', familyName: 'Noname', postcode: 'NB1 2AA' },
      ],
    };
    const first = await client.post('/api/v1/imports/people', body);
    assert.equal(first.statusCode, 201, first.body);
    assert.deepEqual(
      first.json().report.map((r: { outcome: string }) => r.outcome),
      ['created', 'rejected'],
    );
    const again = await client.post('/api/v1/imports/people', body);
    assert.equal(again.statusCode, 201, again.body);
    assert.deepEqual(
      again.json().report.map((r: { outcome: string }) => r.outcome),
      ['unchanged', 'rejected'],
    );
    const anonymous = await app.inject({ method: 'POST', url: '/api/v1/imports/people', payload: body });
    assert.equal(anonymous.statusCode, 401);
  });
});
