import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runSchoolImportCommand } from '../../src/modules/encompass/import-command.ts';
import type { Deps } from '../../src/platform/deps.ts';
import { cliPrincipal } from '../../src/platform/principal.ts';
import { buildServices } from '../../src/services.ts';
import { contextOf, withPartnershipSection } from '../helpers/deps.ts';
import { signedIn } from '../helpers/http.ts';
import { app, appPerFile, deps, services } from '../helpers/per-file.ts';
import { rowById, rowsWhere, rowWhere } from '../helpers/rows.ts';
import { danBody } from './front-door-fixtures.ts';

/** The schools directory, the school calendar, officer review, and the pages (docs/encompass.md). */

const operator = { principal: cliPrincipal('test') };

const HEADER = 'URN,EstablishmentName,PhaseOfEducation (name),StatutoryLowAge,StatutoryHighAge,Postcode';

appPerFile({ now: '2027-02-10T12:00:00Z' });

describe('harbour import schools (the DfE extract)', () => {
  const csv = [
    HEADER,
    '9800001,Lantern Lane Nursery School,Nursery,2,5,NB3 2PL',
    '9800002,Northbridge Sixth Form College,16 plus,16,19,NB4 9QQ',
    '9800003,Elsewhere Primary,Primary,4,11,ZZ9 9ZZ',
    'ABC,No Phase School,Infant,4,7,NB1 1AA',
    '9800001,Lantern Lane Nursery School,Nursery,2,5,NB3 2PL',
  ].join('\n');

  it('upserts valid rows by URN, reports every row, and rejects what it cannot place', async () => {
    const report = await services.encompass.importSchools(operator, csv);
    assert.deepEqual(
      report.map((r) => [r.line, r.outcome]),
      [
        [2, 'created'],
        [3, 'created'],
        [4, 'rejected'],
        [5, 'rejected'],
        [6, 'rejected'],
      ],
    );
    assert.match(report[2]!.detail, /outside the partnership/);
    assert.match(report[3]!.detail, /URN must be/);
    assert.match(report[3]!.detail, /PhaseOfEducation/);
    assert.match(report[4]!.detail, /earlier in the file/);
    const [agency] = await services.directory.agenciesByCode(['school-urn-9800001']);
    assert.equal(agency?.kind, 'school');
    assert.equal(agency?.name, 'Lantern Lane Nursery School');
  });

  it('is idempotent: the same file changes nothing, a renamed school is updated, not duplicated', async () => {
    const again = await services.encompass.importSchools(operator, csv);
    assert.deepEqual(
      again.filter((r) => r.outcome !== 'rejected').map((r) => r.outcome),
      ['unchanged', 'unchanged'],
    );
    const renamed = await services.encompass.importSchools(
      operator,
      `${HEADER}\n9800001,Lantern Lane Nursery and Infant School,Nursery,2,7,NB3 2PL\n`,
    );
    assert.equal(renamed[0]!.outcome, 'updated');
    const [agency] = await services.directory.agenciesByCode(['school-urn-9800001']);
    assert.equal(agency?.name, 'Lantern Lane Nursery and Infant School');
    const rows = await rowsWhere(deps.db, 'encompass_school', { urn: '9800001' });
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.statutory_high_age, 7);
  });

  it('the command writes the report and says which rows were rejected; a file without the columns is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'harbour-schools-'));
    const file = join(dir, 'schools.csv');
    writeFileSync(file, csv);
    const lines: string[] = [];
    const code = await runSchoolImportCommand(
      services.encompass,
      operator,
      { file },
      { log: (l) => lines.push(l) },
    );
    assert.equal(code, 1, 'rejected rows make the command fail');
    assert.match(lines.join('\n'), /3 rejected/);
    const report = readFileSync(`${file}.report.csv`, 'utf8');
    assert.match(report, /^line,urn,outcome,detail/);
    assert.equal(report.trim().split('\n').length, 6);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'name,postcode\nA,NB1 1AA\n');
    const refused = await runSchoolImportCommand(
      services.encompass,
      operator,
      { file: bad },
      { log: (l) => lines.push(l) },
    );
    assert.equal(refused, 1);
    assert.match(lines.at(-1)!, /no column URN/);
  });
});

describe('the school calendar', () => {
  it('an INSET day added on the admin page moves the due time past it', async () => {
    const area = (await services.directory.findAreaByCode('northbridge'))!;
    const tuesdayEvening = new Date('2027-02-09T19:00:00Z');
    assert.equal(
      (await services.encompass.dueByFor(area.id, tuesdayEvening)).toISOString(),
      '2027-02-10T08:30:00.000Z',
    );
    const admin = await contextOf(services.directory, 'admin@harbour.example');
    await services.encompass.addCalendarDay(admin, {
      areaId: area.id,
      kind: 'inset',
      startsOn: '2027-02-10',
      endsOn: '',
      note: 'Training',
    });
    assert.equal(
      (await services.encompass.dueByFor(area.id, tuesdayEvening)).toISOString(),
      '2027-02-11T08:30:00.000Z',
    );
  });

  it('the calendar page refuses a bad entry with the error summary and adds nothing', async () => {
    const browser = await signedIn(app, 'admin@harbour.example');
    const page = await browser.get('/admin/encompass/calendar');
    assert.equal(page.statusCode, 200);
    const area = (await services.directory.findAreaByCode('northbridge'))!;
    const before = await deps.db.selectFrom('encompass_calendar_day').select('id').execute();
    const bad = await browser.post('/admin/encompass/calendar', {
      areaId: area.id,
      kind: 'inset',
      startsOn: '2027-02-30',
      endsOn: '',
      note: '',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /There is a problem/);
    assert.match(bad.body, /href="#startsOn"/);
    assert.equal(
      (await deps.db.selectFrom('encompass_calendar_day').select('id').execute()).length,
      before.length,
    );
    const dsl = await signedIn(app, 'school.dsl@harbour.example');
    assert.equal((await dsl.get('/admin/encompass/calendar')).statusCode, 403);
  });

  it('the school page names each invalid field and saves the key adult', async () => {
    const browser = await signedIn(app, 'admin@harbour.example');
    const [riverside] = await services.directory.agenciesByCode(['school-riverside-primary-school']);
    const form = await browser.get(`/admin/encompass/schools/${riverside!.id}`);
    assert.equal(form.statusCode, 200);
    const dsl = await services.directory.findUserByEmail('school.dsl@harbour.example');
    const bad = await browser.post(`/admin/encompass/schools/${riverside!.id}`, {
      urn: '12',
      phase: 'primary',
      statutoryLowAge: '4',
      statutoryHighAge: '11',
      postcode: 'NB1 4AA',
      keyAdultUserId: dsl!.id,
      contactEmail: 'not-an-email',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#urn"/);
    assert.match(bad.body, /href="#contactEmail"/);
    const good = await browser.post(`/admin/encompass/schools/${riverside!.id}`, {
      urn: '9900001',
      phase: 'primary',
      statutoryLowAge: '4',
      statutoryHighAge: '11',
      postcode: 'NB1 4AA',
      keyAdultUserId: dsl!.id,
      contactEmail: 'dsl@riverside.school.example',
    });
    assert.equal(good.statusCode, 303, good.body);
    const row = await rowWhere(deps.db, 'encompass_school', { agency_id: riverside!.id });
    assert.equal(row.key_adult_user_id, dsl!.id);
    assert.equal(row.contact_email, 'dsl@riverside.school.example');
  });
});

describe('officer review before release (force configuration)', () => {
  it('a held notice is not the school’s until reviewed, and is released in time if nobody reviews it', async () => {
    const reviewing: Deps = withPartnershipSection(deps, 'encompass', {
      officerReview: { required: true, releaseBeforeDueMinutes: 60 },
    });
    const held = buildServices(reviewing);
    const officer = await contextOf(held.directory, 'police.officer@harbour.example');
    const base = danBody({}, 'NB/27/REVIEW-1');
    const { body } = await held.frontDoor.submitDan(officer, {
      ...base,
      incident: { ...base.incident, occurredAt: '2027-02-10T10:00:00Z' },
      children: [base.children[0]!],
    });
    const [created] = body.encompassNotices!;
    assert.equal(
      created!.dueBy,
      '2027-02-11T08:30:00.000Z',
      'Wednesday’s INSET day added above: due Thursday',
    );
    const row = await rowById(deps.db, 'encompass_notice', created!.id);
    assert.equal(row.status, 'awaiting-review');
    assert.equal(new Date(row.release_by!).toISOString(), '2027-02-11T07:30:00.000Z');

    const school = await contextOf(held.directory, 'school.dsl@harbour.example');
    const listed = await held.encompass.list(school, { status: 'all' });
    assert.ok(!listed.rows.some((n) => n.id === created!.id), 'the school does not see it yet');
    await assert.rejects(held.encompass.view(school, created!.id), { name: 'ForbiddenError' });

    const supervisor = await contextOf(held.directory, 'police.supervisor@harbour.example');
    await assert.rejects(held.encompass.review(supervisor, created!.id, { summary: ' ' }), {
      name: 'ValidationError',
    });
    assert.equal(
      await held.encompass.releaseIfHeld(created!.id),
      true,
      'the release job sends it as written',
    );
    assert.equal(await held.encompass.releaseIfHeld(created!.id), false);
    const seen = await held.encompass.view(school, created!.id);
    assert.equal(seen.notice.status, 'released');
    assert.equal(seen.may.acknowledge, true);
    await assert.rejects(held.encompass.review(supervisor, created!.id, { summary: 'Later' }), {
      name: 'ConflictError',
    });
  });

  it('the DSL’s notice page refuses an empty acknowledgement with the error summary', async () => {
    const browser = await signedIn(app, 'school.dsl@harbour.example');
    const list = await browser.get('/encompass/notices');
    assert.equal(list.statusCode, 200);
    const id = /href="\/encompass\/notices\/([0-9a-f-]{36})"/.exec(list.body)?.[1];
    assert.ok(id, 'the DSL’s list links to her notice');
    const page = await browser.get(`/encompass/notices/${id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Do not approach the parents/);
    const bad = await browser.post(`/encompass/notices/${id}/acknowledgement`, { actionTaken: '' });
    assert.equal(bad.statusCode, 400);
    for (const field of ['actionTaken', 'supportOffered', 'loggedOnSchoolSystem'])
      assert.match(bad.body, new RegExp(`href="#${field}"`));
    const home = await browser.get('/');
    assert.match(home.body, /Operation Encompass notices/);
    assert.match(home.body, /1 notice to acknowledge/);
  });
});
