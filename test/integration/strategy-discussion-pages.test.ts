import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signedIn } from '../helpers/http.ts';
import { app, appPerFile, deps } from '../helpers/per-file.ts';
import { household } from './risk-helpers.ts';

let family: Awaited<ReturnType<typeof household>>;

appPerFile({}, async () => {
  family = await household(deps);
});

const idOf = (location: string | number | string[] | undefined) => String(location).split('/').pop()!;

describe('strategy discussion pages', () => {
  it('a school asks for one on a page; a missing reason keeps what was typed; the manager schedules and records it', async () => {
    const school = await signedIn(app, 'school.dsl@harbour.example');
    const form = await school.get(`/strategy-discussions/new?childId=${family.childId}`);
    assert.equal(form.statusCode, 200);
    const missing = await school.post('/strategy-discussions/new', {
      childId: family.childId,
      reason: '',
      knownInformation: 'Seen upset',
    });
    assert.equal(missing.statusCode, 400, missing.body.slice(0, 3000));
    assert.match(missing.body, /href="#reason"/);
    assert.match(missing.body, /Seen upset/);
    const sent = await school.post('/strategy-discussions/new', {
      childId: family.childId,
      reason: 'Disclosure in class',
      knownInformation: '',
    });
    assert.equal(sent.statusCode, 303);
    const id = idOf(sent.headers.location);

    const manager = await signedIn(app, 'mash.manager@harbour.example');
    const home = await manager.get('/');
    assert.match(home.body, /[1-9]\d* requests? to decide/);
    const list = await manager.get('/strategy-discussions');
    assert.match(list.body, new RegExp(`/strategy-discussions/${id}`));
    await manager.get(`/strategy-discussions/${id}`);
    const bad = await manager.post(`/strategy-discussions/${id}/schedule`, {
      'scheduledFor-day': '31',
      'scheduledFor-month': '2',
      'scheduledFor-year': '2027',
      joiningDetail: 'Room 4',
    });
    assert.equal(bad.statusCode, 400, bad.body.slice(0, 2000));
    assert.match(bad.body, /href="#scheduledFor-day"/);
    assert.match(bad.body, /Room 4/);
    const when = new Date(Date.now() + 86_400_000);
    const scheduled = await manager.post(`/strategy-discussions/${id}/schedule`, {
      'scheduledFor-day': String(when.getUTCDate()),
      'scheduledFor-month': String(when.getUTCMonth() + 1),
      'scheduledFor-year': String(when.getUTCFullYear()),
      'scheduledFor-time': '10:00',
      joiningDetail: 'Room 4, Civic Centre',
      agencyIds: '',
    });
    assert.equal(scheduled.statusCode, 303, scheduled.body.slice(0, 500));
    const page = await manager.get(`/strategy-discussions/${id}`);
    assert.match(page.body, /Room 4, Civic Centre/);
    assert.match(page.body, /Record the discussion/);
    const police = await deps.db
      .selectFrom('agency')
      .select('id')
      .where('code', '=', 'police')
      .executeTakeFirstOrThrow();
    const recorded = await manager.post(`/strategy-discussions/${id}/outcome`, {
      attendeeAgencyIds: police.id,
      informationShared: 'Police history',
      section47: 'yes',
      conference: 'no',
      levelOfNeed: 'child protection',
      rationale: 'Significant harm suspected',
      actionOwnerAgencyId: police.id,
      actionDescription: 'Visit the father',
      'actionDueBy-day': String(when.getUTCDate()),
      'actionDueBy-month': String(when.getUTCMonth() + 1),
      'actionDueBy-year': String(when.getUTCFullYear()),
    });
    assert.equal(recorded.statusCode, 303, recorded.body.slice(0, 800));
    const held = await manager.get(`/strategy-discussions/${id}`);
    assert.match(held.body, /Visit the father/);
    assert.match(held.body, /Share the outcome/);
    assert.equal((await manager.post(`/strategy-discussions/${id}/share`, {})).statusCode, 303);

    const probation = await signedIn(app, 'probation@harbour.example');
    assert.equal((await probation.get(`/strategy-discussions/${id}`)).statusCode, 403);
  });
});
