import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededAgencyId } from '../helpers/deps.ts';
import { signedIn } from '../helpers/http.ts';
import { app, appPerFile, deps } from '../helpers/per-file.ts';
import { rowCount } from '../helpers/row-count.ts';
import { rowById, rowsWhere } from '../helpers/rows.ts';
import { api, apiKeyFor, household, putOnSchoolRoll } from './risk-helpers.ts';

let csc: ReturnType<typeof api>;
let southmereCsc: ReturnType<typeof api>;
let police: ReturnType<typeof api>;
let family: Awaited<ReturnType<typeof household>>;

const agencyId = (code: string) => seededAgencyId(deps, code);
const flagCount = () => rowCount(deps.db, 'person_flag');
/** A flag on the household's child, as one agency's system would ask for it. */
const flagOnChild = (by: ReturnType<typeof api>, flag: Record<string, string>) =>
  by.post(`/api/v1/people/${family.childId}/flags`, flag);
/** A child-protection plan flag from 5 January (most tests here raise one), with the test's own fields. */
const childProtectionPlan = (own: Record<string, string>) => ({
  type: 'child-protection-plan',
  start: '2026-01-05',
  ...own,
});

appPerFile({}, async () => {
  csc = api(app, await apiKeyFor(deps, 'northbridge-csc'));
  southmereCsc = api(app, await apiKeyFor(deps, 'southmere-csc'));
  police = api(app, await apiKeyFor(deps, 'police'));
  family = await household(deps, 'northbridge', 3);
  // The child's school holds a relationship; it should see the banner, not raise flags.
  await putOnSchoolRoll(deps, family);
});

describe('flags as data', () => {
  let flagId: string;

  it('the local authority raises a child-protection plan flag: 201, stored, and on the chronology', async () => {
    const response = await flagOnChild(
      csc,
      childProtectionPlan({ review: '2026-04-05', contact: 'Northbridge MASH duty line 01632 960000' }),
    );
    assert.equal(response.statusCode, 201, response.body);
    flagId = response.json().id;
    const row = await rowById(deps.db, 'person_flag', flagId);
    assert.equal(row.person_id, family.childId);
    assert.equal(row.owning_agency_id, await agencyId('northbridge-csc'));
    assert.equal(row.start_date, '2026-01-05');
    const events = await rowsWhere(deps.db, 'chronology_event', { subject_type: 'flag', subject_id: flagId });
    assert.equal(events.length, 1);
    assert.equal(events[0]!.type, 'flag-raised');
    assert.match(events[0]!.summary, /Child protection plan/);
  });

  it('raising the same open flag again returns it without a second row', async () => {
    const before = await flagCount();
    const response = await flagOnChild(
      csc,
      childProtectionPlan({ start: '2026-01-06', contact: 'Northbridge MASH' }),
    );
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().id, flagId);
    assert.equal(await flagCount(), before);
  });

  it('bad input is 400 naming each field, and nothing is written', async () => {
    const before = await flagCount();
    const response = await flagOnChild(csc, { type: 'no-such-type', start: '2026-02-30', contact: '' });
    assert.equal(response.statusCode, 400, response.body);
    const fields = JSON.stringify(response.json());
    for (const field of ['start', 'contact']) assert.match(fields, new RegExp(`"field":"${field}"`));
    const unknownType = await flagOnChild(csc, {
      type: 'no-such-type',
      start: '2026-02-03',
      contact: 'MASH',
    });
    assert.equal(unknownType.statusCode, 400, unknownType.body);
    assert.match(unknownType.body, /"field":"type"/);
    assert.equal(await flagCount(), before);
  });

  it('a child-protection plan cannot be raised on an adult, nor a review before the start', async () => {
    const response = await csc.post(
      `/api/v1/people/${family.parentIds[0]}/flags`,
      childProtectionPlan({ review: '2026-01-01', contact: 'MASH' }),
    );
    assert.equal(response.statusCode, 400, response.body);
    const fields = JSON.stringify(response.json());
    assert.match(fields, /type/);
    assert.match(fields, /review/);
  });

  it('police may not raise a child-protection plan, nor another area’s local authority: 403, nothing written', async () => {
    const before = await flagCount();
    const byPolice = await flagOnChild(police, childProtectionPlan({ contact: 'CRU' }));
    assert.equal(byPolice.statusCode, 403, byPolice.body);
    const bySouthmere = await flagOnChild(southmereCsc, childProtectionPlan({ contact: 'Southmere MASH' }));
    assert.equal(bySouthmere.statusCode, 403, bySouthmere.body);
    assert.equal(await flagCount(), before);
  });

  it('the banner shows on the person record to an agency with a relationship (the school), with whom to call', async () => {
    const browser = await signedIn(app, 'school.dsl@harbour.example');
    const page = await browser.get(`/people/${family.childId}`);
    assert.equal(page.statusCode, 200, page.body);
    assert.match(page.body, /id="flags"/);
    assert.match(page.body, /Child protection plan/);
    assert.match(page.body, /Northbridge MASH duty line 01632 960000/);
    assert.doesNotMatch(page.body, /End this flag/);
    assert.doesNotMatch(page.body, /Raise a flag/);
  });

  it('only the owning agency ends the flag; the end is on the chronology and the banner goes', async () => {
    // In turn: another area's local authority, an end before the start, the end, and the end again.
    for (const [owner, end, reason, status] of [
      [southmereCsc, '2026-02-01', 'Plan ended at review conference', 403],
      [csc, '2025-12-01', 'Before it began', 400],
      [csc, '2026-02-01', 'Plan ended at review conference', 200],
      [csc, '2026-02-01', 'Twice', 409],
    ] as const) {
      const response = await owner.post(`/api/v1/people/${family.childId}/flags/${flagId}/end`, {
        end,
        reason,
      });
      assert.equal(response.statusCode, status, response.body);
    }
    const types = (
      await deps.db.selectFrom('chronology_event').select('type').where('subject_id', '=', flagId).execute()
    ).map((e) => e.type);
    assert.deepEqual(types.sort(), ['flag-ended', 'flag-raised']);
    const browser = await signedIn(app, 'school.dsl@harbour.example');
    const page = await browser.get(`/people/${family.childId}`);
    assert.doesNotMatch(page.body, /id="flags"/);
  });

  it('the MASH raises a flag on the page; errors are shown in the GOV.UK summary with values kept', async () => {
    const browser = await signedIn(app, 'social.worker@harbour.example');
    const form = await browser.get(`/people/${family.childId}/flags/new`);
    assert.equal(form.statusCode, 200, form.body);
    // The form posts to its own address, so after an error the address bar still names the page.
    assert.match(form.body, new RegExp(`action="/people/${family.childId}/flags/new"`));
    const bad = await browser.post(`/people/${family.childId}/flags/new`, {
      type: 'looked-after',
      'start-day': '31',
      'start-month': '2',
      'start-year': '2026',
      contact: 'Looked-after children team',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /govuk-error-summary/);
    assert.match(bad.body, /Looked-after children team/);
    const good = await browser.post(`/people/${family.childId}/flags/new`, {
      type: 'looked-after',
      'start-day': '3',
      'start-month': '1',
      'start-year': '2026',
      contact: 'Looked-after children team',
    });
    assert.equal(good.statusCode, 303, good.body);
    const page = await browser.get(`/people/${family.childId}`);
    assert.match(page.body, /Looked-after child/);
    assert.match(page.body, /End this flag/);
  });
});
