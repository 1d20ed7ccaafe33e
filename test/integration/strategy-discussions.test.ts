import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SYSTEM_PRINCIPAL } from '../../src/platform/principal.ts';
import { auditEvents } from '../helpers/audit-events.ts';
import { rowCount } from '../helpers/deps.ts';
import { app, appPerFile, deps, services } from '../helpers/per-file.ts';
import { rowById } from '../helpers/rows.ts';
import { danBody, household as newHousehold } from './front-door-fixtures.ts';
import { api, apiKeyFor, household, principalFor, putOnSchoolRoll } from './risk-helpers.ts';

type Client = ReturnType<typeof api>;
let school: Client;
let police: Client;
let health: Client;
let manager: Client;
let probation: Client;
let ids: Record<string, string>;
let family: Awaited<ReturnType<typeof household>>;

async function agencyIds(codes: string[]) {
  const rows = await deps.db.selectFrom('agency').select(['id', 'code']).where('code', 'in', codes).execute();
  return Object.fromEntries(rows.map((r) => [r.code, r.id]));
}

const DAY = 86_400_000;
const SCHOOL = 'school-riverside-primary-school';

appPerFile({}, async () => {
  // The manager acts through the MASH agency's system (the children's social care key acts as its MASH).
  manager = api(app, await apiKeyFor(deps, 'northbridge-csc'));
  school = api(app, await apiKeyFor(deps, SCHOOL));
  police = api(app, await apiKeyFor(deps, 'police'));
  health = api(app, await apiKeyFor(deps, 'community-health'));
  probation = api(app, await apiKeyFor(deps, 'probation'));
  ids = await agencyIds([SCHOOL, 'police', 'community-health', 'northbridge-csc', 'probation']);
  family = await household(deps);
  await putOnSchoolRoll(deps, family, ids[SCHOOL]!);
});

async function countRows() {
  const n = (table: 'strategy_discussion' | 'multi_agency_action' | 'chronology_event') =>
    rowCount(deps, table);
  return {
    discussions: await n('strategy_discussion'),
    actions: await n('multi_agency_action'),
    events: await n('chronology_event'),
  };
}

describe('strategy discussions: requested by a school, held, shared, with actions', () => {
  let sdId: string;

  it('refuses a request with each bad field named, and writes nothing', async () => {
    const before = await countRows();
    const bad = await school.post('/api/v1/strategy-discussions', { childPersonIds: [] });
    assert.equal(bad.statusCode, 400);
    const text = JSON.stringify(bad.json());
    assert.match(text, /childPersonIds/);
    assert.match(text, /reason/);
    const blank = await school.post('/api/v1/strategy-discussions', {
      childPersonIds: [family.childId],
      reason: '  ',
    });
    assert.equal(blank.statusCode, 400);
    assert.deepEqual(await countRows(), before);
  });

  it('a school requests one; the manager schedules it; police, health and the school are invited', async () => {
    const created = await school.post('/api/v1/strategy-discussions', {
      childPersonIds: [family.childId],
      reason: 'The child disclosed that her father hit her mother in front of her',
      knownInformation: 'Attendance has fallen to 82% this term',
    });
    assert.equal(created.statusCode, 201);
    sdId = created.json().id;
    const asked = await school.get(`/api/v1/strategy-discussions/${sdId}`);
    assert.equal(asked.statusCode, 200);
    assert.equal(asked.json().status, 'requested');

    const scheduled = await manager.post(`/api/v1/strategy-discussions/${sdId}/schedule`, {
      scheduledFor: new Date(Date.now() + 2 * 3_600_000).toISOString(),
      joiningDetail: 'Conference call: dial 0300 000 0000, code 4411',
    });
    assert.equal(scheduled.statusCode, 200, scheduled.body);
    const view = (await police.get(`/api/v1/strategy-discussions/${sdId}`)).json();
    const invited = new Set(view.participants.map((p: { agencyId: string }) => p.agencyId));
    for (const code of ['police', 'community-health', SCHOOL, 'northbridge-csc'])
      assert.ok(invited.has(ids[code]), `${code} invited`);
    assert.equal(
      view.participants.find((p: { agencyId: string }) => p.agencyId === ids[SCHOOL]).why,
      'referrer',
    );
    assert.equal(view.joiningDetail, 'Conference call: dial 0300 000 0000, code 4411');
    // Invitation is a relationship for the episode: police now see the child.
    const rel = await deps.db
      .selectFrom('access_relationship')
      .select('basis')
      .where('person_id', '=', family.childId)
      .where('agency_id', '=', ids.police!)
      .where('episode_id', '=', sdId)
      .executeTakeFirst();
    assert.equal(rel?.basis, 'strategy-discussion');
    assert.equal((await police.get(`/api/v1/people/${family.childId}`)).statusCode, 200);
  });

  it('an invited agency sends information before it starts', async () => {
    const sent = await health.post(`/api/v1/strategy-discussions/${sdId}/information`, {
      information: 'Health visitor saw bruising on the mother at the last visit',
    });
    assert.equal(sent.statusCode, 201);
    const view = (await school.get(`/api/v1/strategy-discussions/${sdId}`)).json();
    assert.equal(view.contributions[0].agencyId, ids['community-health']);
  });

  it('refuses an agency that is not part of it, honestly (403, not "not found"), and audits the refusal', async () => {
    const refused = await probation.get(`/api/v1/strategy-discussions/${sdId}`);
    assert.equal(refused.statusCode, 403);
    const contribute = await probation.post(`/api/v1/strategy-discussions/${sdId}/information`, {
      information: 'x',
    });
    assert.equal(contribute.statusCode, 403);
    const denied = await auditEvents(deps.db, { outcome: 'denied', subjectId: sdId });
    assert.ok(denied.length >= 1);
  });

  it('records the outcome with actions, each child’s chronology in the same transaction, and the ICPC clock', async () => {
    const before = await countRows();
    const outcome = {
      attendeeAgencyIds: [ids.police, ids['community-health'], ids[SCHOOL], ids['northbridge-csc']],
      informationShared: 'Police: two call-outs in a month. Health: bruising seen. School: disclosure.',
      section47: true,
      conference: true,
      levelOfNeed: 'child protection',
      rationale: 'Reasonable cause to suspect significant harm',
      actions: [
        {
          ownerAgencyId: ids.police,
          description: 'Check the father’s bail conditions',
          dueBy: new Date(Date.now() + DAY).toISOString(),
        },
        {
          ownerAgencyId: ids['community-health'],
          description: 'Arrange a health visitor visit',
          dueBy: new Date(Date.now() + 2 * DAY).toISOString(),
        },
        {
          ownerAgencyId: ids[SCHOOL],
          description: 'Daily check-in with the child',
          dueBy: new Date(Date.now() + DAY).toISOString(),
        },
      ],
    };
    // The same outcome with an agency not part of the discussion, nothing shared, and an action for it.
    const bad = await manager.post(`/api/v1/strategy-discussions/${sdId}/outcome`, {
      ...outcome,
      attendeeAgencyIds: [ids.probation],
      informationShared: '',
      actions: [{ ownerAgencyId: ids.probation, description: 'x', dueBy: new Date().toISOString() }],
    });
    assert.equal(bad.statusCode, 400);
    const badText = JSON.stringify(bad.json());
    for (const field of ['attendeeAgencyIds', 'informationShared', 'actions[0].ownerAgencyId'])
      assert.ok(badText.includes(field), field);
    assert.deepEqual(await countRows(), before, 'nothing written on bad input');

    const recorded = await manager.post(`/api/v1/strategy-discussions/${sdId}/outcome`, outcome);
    assert.equal(recorded.statusCode, 200, recorded.body);
    const after = await countRows();
    assert.equal(after.actions, before.actions + 3);
    assert.equal(after.events, before.events + 1, 'one chronology event for the one child');
    const view = (await manager.get(`/api/v1/strategy-discussions/${sdId}`)).json();
    assert.equal(view.outcome.section47, true);
    assert.ok(view.outcome.icpcDueBy, 'the ICPC clock started');
    assert.ok(
      new Date(view.outcome.icpcDueBy).getTime() > new Date(view.outcome.heldAt).getTime() + 14 * DAY,
    );
    assert.ok(view.outcome.dueToBeSharedBy);
    assert.equal(view.outcome.sharedAt, null);
  });

  it('each participating agency has its own actions, and marks them done through the discussion', async () => {
    for (const [client, code] of [
      [police, 'police'],
      [health, 'community-health'],
      [school, SCHOOL],
    ] as const) {
      const list = (await client.get('/api/v1/actions?status=open')).json();
      const mine = list.actions.filter((a: { source: { id: string } }) => a.source.id === sdId);
      assert.equal(mine.length, 1, `${code} has its action`);
      assert.equal(mine[0].ownerAgencyId, ids[code]);
    }
    const schoolAction = (await school.get('/api/v1/actions?status=open'))
      .json()
      .actions.find((a: { source: { id: string } }) => a.source.id === sdId);
    const notMine = await police.post(
      `/api/v1/strategy-discussions/${sdId}/actions/${schoolAction.id}/done`,
      { note: 'x' },
    );
    assert.equal(notMine.statusCode, 403);
    const done = await school.post(`/api/v1/strategy-discussions/${sdId}/actions/${schoolAction.id}/done`, {
      note: 'Check-ins started on Tuesday',
    });
    assert.equal(done.statusCode, 200);
    const view = (await manager.get(`/api/v1/strategy-discussions/${sdId}`)).json();
    assert.equal(view.actions.find((a: { id: string }) => a.id === schoolAction.id).status, 'done');
  });

  it('alerts a breach when the outcome is not shared by the deadline, and not once it is shared', async () => {
    const system = { principal: SYSTEM_PRINCIPAL };
    assert.equal(await services.strategyDiscussions.alertBreach(system, sdId), false, 'not due yet');
    deps.setNow(new Date(Date.now() + 5 * DAY));
    try {
      const overseen = await services.strategyDiscussions.oversight({
        principal: (await services.directory.principalForUser(
          (await services.directory.findUserByEmail('mash.manager@harbour.example'))!.id,
        ))!,
      });
      assert.ok(overseen.find((d) => d.id === sdId)?.breached, 'the oversight page shows the breach');
      assert.equal(await services.strategyDiscussions.alertBreaches(system), 1);
      const row = await rowById(deps.db, 'strategy_discussion', sdId);
      assert.ok(row.breach_alerted_at);
      assert.equal(await services.strategyDiscussions.alertBreaches(system), 0, 'alerted once');
    } finally {
      deps.setNow(new Date());
    }
    const shared = await manager.post(`/api/v1/strategy-discussions/${sdId}/share`, {});
    assert.equal(shared.statusCode, 200);
    const view = (await school.get(`/api/v1/strategy-discussions/${sdId}`)).json();
    assert.ok(view.outcome.sharedAt);
    // The episode ended: invitees keep sight of the child for the configured grace, then lose it.
    const rel = await deps.db
      .selectFrom('access_relationship')
      .select('expires_at')
      .where('episode_id', '=', sdId)
      .where('agency_id', '=', ids.police!)
      .executeTakeFirstOrThrow();
    const graceMs = deps.config.partnership.strategyDiscussions.accessGraceDays * DAY;
    assert.ok(rel.expires_at && Math.abs(rel.expires_at.getTime() - (Date.now() + graceMs)) < 60_000);
  });

  it('a discussion shared on time raises no breach', async () => {
    const created = await police.post('/api/v1/strategy-discussions', {
      childPersonIds: [family.childId],
      reason: 'Third incident in a month',
    });
    const id = created.json().id;
    await manager.post(`/api/v1/strategy-discussions/${id}/schedule`, {
      scheduledFor: new Date().toISOString(),
      joiningDetail: 'Room 2, Civic Centre',
    });
    const recorded = await manager.post(`/api/v1/strategy-discussions/${id}/outcome`, {
      attendeeAgencyIds: [ids.police],
      informationShared: 'Police history shared',
      section47: false,
      conference: false,
      levelOfNeed: 'child in need',
      rationale: 'Threshold for s47 not met; s17 assessment instead',
      actions: [],
    });
    assert.equal(recorded.statusCode, 200, recorded.body);
    assert.equal((await manager.post(`/api/v1/strategy-discussions/${id}/share`, {})).statusCode, 200);
    deps.setNow(new Date(Date.now() + 5 * DAY));
    try {
      assert.equal(
        await services.strategyDiscussions.alertBreach({ principal: SYSTEM_PRINCIPAL }, id),
        false,
      );
    } finally {
      deps.setNow(new Date());
    }
    const view = (await manager.get(`/api/v1/strategy-discussions/${id}`)).json();
    assert.equal(view.outcome.icpcDueBy, null, 'no ICPC clock without s47 and a conference');
  });

  it('the manager declines a request with a reason the requester sees', async () => {
    const created = await school.post('/api/v1/strategy-discussions', {
      childPersonIds: [family.childId],
      reason: 'Worried',
    });
    const id = created.json().id;
    const noReason = await manager.post(`/api/v1/strategy-discussions/${id}/decline`, { reason: '' });
    assert.equal(noReason.statusCode, 400);
    assert.equal(
      (await school.post(`/api/v1/strategy-discussions/${id}/decline`, { reason: 'x' })).statusCode,
      403,
    );
    assert.equal(
      (
        await manager.post(`/api/v1/strategy-discussions/${id}/decline`, {
          reason: 'Already held one this week',
        })
      ).statusCode,
      200,
    );
    const view = (await school.get(`/api/v1/strategy-discussions/${id}`)).json();
    assert.equal(view.status, 'declined');
    assert.equal(view.declineReason, 'Already held one this week');
  });

  it('a front-door decision of "strategy discussion" opens one for the contact’s children, once signed off', async () => {
    const officer = await principalFor(deps, 'police.officer@harbour.example');
    const worker = await principalFor(deps, 'front.door@harbour.example');
    const mashManager = await principalFor(deps, 'mash.manager@harbour.example');
    const { body } = await services.frontDoor.submitDan(
      { principal: officer },
      danBody({}, 'NB/26/SD-1', newHousehold()),
    );
    await services.frontDoor.decide({ principal: worker }, body.contactId, {
      levelOfNeed: '4',
      outcome: 'strategy-discussion',
      rationale: 'Reasonable cause to suspect significant harm',
      feedback: 'A strategy discussion will be held',
    });
    /** The strategy discussions opened from the contact's decision. */
    const fromContact = () =>
      deps.db
        .selectFrom('strategy_discussion')
        .selectAll()
        .where('source_contact_id', '=', body.contactId)
        .execute();
    const bySourceBefore = await fromContact();
    assert.equal(bySourceBefore.length, 0, 'not before the manager signs the decision off');
    await services.frontDoor.signOff({ principal: mashManager }, body.contactId, {
      agree: true,
      reason: 'Agreed: threshold for s47 met',
    });
    const opened = await fromContact();
    assert.equal(opened.length, 1);
    assert.equal(opened[0]!.status, 'requested');
    assert.ok(opened[0]!.child_person_ids.length >= 1);
  });
});
