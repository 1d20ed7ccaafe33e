import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Trx } from '../../src/db/database.ts';
import type { OutboxMessage } from '../../src/modules/actions/index.ts';
import { actionsService } from '../../src/modules/actions/service.ts';
import { strategyDiscussionService } from '../../src/modules/strategy-discussions/service.ts';
import type { AuditContext } from '../../src/platform/audit.ts';
import { SYSTEM_PRINCIPAL } from '../../src/platform/principal.ts';
import { databasePerFile, deps, services } from '../helpers/per-file.ts';
import { seededContexts } from '../helpers/seeded-users.ts';
import { household } from './risk-helpers.ts';

/**
 * What the strategy discussion and its actions send through the outbox: checked against a
 * recording outbox with the contract's shape, so the messages are known before the notifications
 * capability delivers them.
 */
const sent: OutboxMessage[] = [];
const outbox = {
  async enqueue(_trx: Trx, _context: AuditContext, message: OutboxMessage) {
    sent.push(message);
    return { id: String(sent.length) };
  },
};
let sd: ReturnType<typeof strategyDiscussionService>;

databasePerFile({}, async () => {
  const actions = actionsService(deps, { outbox, directory: services.directory });
  sd = strategyDiscussionService(deps, {
    people: services.people,
    directory: services.directory,
    chronology: services.chronology,
    actions,
    outbox,
    calendar: services.frontDoorConfig.calendar,
    settings: deps.config.partnership.strategyDiscussions,
  });
});

describe('strategy discussion messages', () => {
  it('invites each participant with the time and how to join, assigns actions, shares the outcome, alerts a breach; no personal data in subjects', async () => {
    const { childId } = await household(deps);
    const { school, manager } = await seededContexts(services.directory, ['school', 'manager']);
    const { id } = await sd.request(school, { childPersonIds: [childId], reason: 'Disclosure' });
    const when = new Date(Date.now() + 3_600_000);
    await sd.schedule(manager, id, { scheduledFor: when, joiningDetail: 'Dial 0300 000 0000, code 77' });
    const invitations = sent.filter((m) => m.type === 'strategy-discussion.invitation');
    const participants = (await sd.view(manager, id)).participants;
    assert.equal(invitations.length, participants.length);
    assert.deepEqual(
      new Set(invitations.map((m) => m.to.agencyId)),
      new Set(participants.map((p) => p.agencyId)),
    );
    for (const m of invitations) {
      assert.match(m.detail ?? '', /code 77/);
      assert.match(m.detail ?? '', new RegExp(when.toISOString()));
      assert.equal(m.link, `/strategy-discussions/${id}`);
      assert.match(m.reference, /^SD-[0-9A-F]{6}$/);
    }

    const police = participants.find((p) => p.name.includes('Police'))!;
    await sd.recordOutcome(manager, id, {
      attendeeAgencyIds: [police.agencyId],
      informationShared: 'History',
      section47: true,
      conference: false,
      levelOfNeed: 'child protection',
      rationale: 'Harm',
      actions: [
        { ownerAgencyId: police.agencyId, description: 'Visit', dueBy: new Date(Date.now() - 60_000) },
      ],
    });
    const assigned = sent.filter((m) => m.type === 'action.assigned');
    assert.equal(assigned.length, 1);
    assert.equal(assigned[0]!.to.agencyId, police.agencyId);

    const system = { principal: SYSTEM_PRINCIPAL };
    deps.setNow(new Date(Date.now() + 7 * 86_400_000));
    try {
      assert.equal(await sd.alertBreaches(system), 1);
    } finally {
      deps.setNow(new Date());
    }
    assert.equal(sent.filter((m) => m.type === 'front-door.breach').length >= 1, true);

    await sd.shareOutcome(manager, id);
    const outcomes = sent.filter((m) => m.type === 'strategy-discussion.outcome');
    assert.equal(outcomes.length, participants.length);

    const names = await services.people.personNames([childId]);
    for (const m of sent) {
      assert.ok(!m.subject.includes(names[0]!.family_name), 'no personal data in a subject');
      assert.ok(!m.reference.includes(names[0]!.family_name));
    }
  });
});
