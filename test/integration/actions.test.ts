import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { transaction } from '../../src/db/database.ts';
import { SYSTEM_PRINCIPAL } from '../../src/platform/principal.ts';
import { contextOf, seededAgencyId } from '../helpers/deps.ts';
import { signedIn } from '../helpers/http.ts';
import { app, appPerFile, deps, services } from '../helpers/per-file.ts';
import { rowById } from '../helpers/rows.ts';
import { api, apiKeyFor, household } from './risk-helpers.ts';

let school: ReturnType<typeof api>;
let police: ReturnType<typeof api>;
let schoolAgencyId: string;
let childId: string;
let areaId: string;
const source = { kind: 'strategy-discussion' as const, id: randomUUID() };

async function createAction(description: string, dueBy: Date) {
  const context = await contextOf(services.directory, 'mash.manager@harbour.example');
  return transaction(deps.db, (trx) =>
    services.actions.create(trx, context, {
      source,
      areaId,
      personIds: [childId],
      ownerAgencyId: schoolAgencyId,
      description,
      dueBy,
    }),
  );
}

appPerFile({}, async () => {
  school = api(app, await apiKeyFor(deps, 'school-riverside-primary-school'));
  police = api(app, await apiKeyFor(deps, 'police'));
  schoolAgencyId = await seededAgencyId(deps, 'school-riverside-primary-school');
  ({ childId, areaId } = await household(deps));
});

describe('multi-agency actions', () => {
  it('shows an agency its own open actions, and only its own', async () => {
    const { id } = await createAction(
      'Share attendance for the last term',
      new Date(Date.now() + 86_400_000),
    );
    const mine = await school.get('/api/v1/actions?status=open');
    assert.equal(mine.statusCode, 200);
    assert.deepEqual(
      mine.json().actions.map((a: { id: string }) => a.id),
      [id],
    );
    const theirs = await police.get('/api/v1/actions?status=open');
    assert.equal(theirs.statusCode, 200);
    assert.equal(theirs.json().total, 0);
    const forSource = await services.actions.forSource({ principal: SYSTEM_PRINCIPAL }, source);
    assert.equal(forSource.length, 1);
    assert.equal(forSource[0]!.ownerAgencyId, schoolAgencyId);
  });

  it('lets only the owner agency mark an action done, with a note, and nothing changes on a refusal', async () => {
    const { id } = await createAction('Speak to the class teacher', new Date(Date.now() + 86_400_000));
    const refused = await police.post(`/api/v1/actions/${id}/done`, { note: 'Done by someone else' });
    assert.equal(refused.statusCode, 403);
    const empty = await school.post(`/api/v1/actions/${id}/done`, { note: '  ' });
    assert.equal(empty.statusCode, 400);
    assert.match(JSON.stringify(empty.json()), /note/);
    const open = await rowById(deps.db, 'multi_agency_action', id);
    assert.equal(open.status, 'open');
    const done = await school.post(`/api/v1/actions/${id}/done`, { note: 'Teacher spoken to on Monday' });
    assert.equal(done.statusCode, 200);
    const again = await school.post(`/api/v1/actions/${id}/done`, { note: 'Again' });
    assert.equal(again.statusCode, 409);
    const list = await school.get('/api/v1/actions?status=done');
    const row = list.json().actions.find((a: { id: string }) => a.id === id);
    assert.equal(row.doneNote, 'Teacher spoken to on Monday');
  });

  it('chases an overdue action once, and lists it as overdue', async () => {
    const { id } = await createAction('Send the safeguarding file', new Date(Date.now() + 3_600_000));
    const context = { principal: SYSTEM_PRINCIPAL };
    assert.equal(await services.actions.chase(context, id), false, 'not yet due');
    deps.setNow(new Date(Date.now() + 2 * 3_600_000));
    try {
      const overdue = await school.get('/api/v1/actions?status=overdue');
      assert.ok(
        overdue.json().actions.some((a: { id: string; overdue: boolean }) => a.id === id && a.overdue),
      );
      assert.ok((await services.actions.chaseOverdue(context)) >= 1);
      assert.equal(await services.actions.chase(context, id), false, 'chased only once');
      const row = await rowById(deps.db, 'multi_agency_action', id);
      assert.ok(row.chased_at);
    } finally {
      deps.setNow(new Date());
    }
  });

  it('the actions page lists the agency’s actions and marks one done with a note, keeping the form on a missing note', async () => {
    const { id } = await createAction('Check the sibling’s attendance', new Date(Date.now() + 86_400_000));
    const browser = await signedIn(app, 'school.dsl@harbour.example');
    const home = await browser.get('/');
    assert.match(home.body, /Your agency’s actions/);
    assert.match(home.body, /\d+ open actions?/);
    const page = await browser.get('/actions');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Check the sibling’s attendance/);
    const missing = await browser.post(`/actions/${id}/done?status=open`, { note: '' });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, new RegExp(`href="#note-${id}"`));
    const done = await browser.post(`/actions/${id}/done?status=open`, { note: 'Attendance checked: 96%' });
    assert.equal(done.statusCode, 303);
    const list = await browser.get('/actions?status=done');
    assert.match(list.body, /Attendance checked: 96%/);
  });
});
