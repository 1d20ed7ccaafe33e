import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedDemo } from '../../src/modules/demo/seed.ts';
import { cliPrincipal } from '../../src/platform/principal.ts';
import { buildServices } from '../../src/services.ts';
import { type TestDeps, testDeps } from '../helpers/deps.ts';
import { principalFor } from './risk-helpers.ts';

let deps: TestDeps;

// A Tuesday: last week's meeting was on Thursday the 26th, next week's is on Thursday the 12th.
const NOW = new Date('2026-03-03T09:00:00.000Z');

before(async () => {
  deps = await testDeps({ seed: false });
  deps.setNow(NOW);
  await seedDemo(
    buildServices(deps),
    { principal: cliPrincipal('test') },
    { householdsPerArea: 10, frontDoorContacts: 0 },
  );
});
after(async () => {
  await deps.close();
});

describe('the MARAC demo data', () => {
  it('holds a meeting next week with cases on its agenda and research requested before it', async () => {
    const services = buildServices(deps);
    const coordinator = { principal: await principalFor(deps, 'marac@harbour.example') };
    const meetings = await services.marac.meetingsFrom(coordinator, new Date('2026-02-01T00:00:00Z'));
    const next = meetings.find((m) => m.status === 'scheduled');
    assert.ok(next, 'a scheduled meeting');
    assert.equal(new Date(next.starts_at).toISOString(), '2026-03-12T10:00:00.000Z');
    const view = await services.marac.viewMeeting(coordinator, next.id);
    assert.equal(view.agenda.length, 3);
    assert.ok(view.agenda[0]!.item.repeat, 'a repeat heads the agenda');
    const research = await services.marac.viewCase(coordinator, view.agenda[0]!.item.id);
    assert.ok(research.research.length >= 5, 'every participating agency was asked');
    assert.ok(
      research.research.some((r) => r.returned_at),
      'some research is back',
    );
    assert.ok(
      research.research.some((r) => !r.returned_at),
      'some is still awaited',
    );
  });

  it('holds last week’s meeting with its minutes, and its open actions on next week’s review', async () => {
    const services = buildServices(deps);
    const coordinator = { principal: await principalFor(deps, 'marac@harbour.example') };
    const meetings = await services.marac.meetingsFrom(coordinator, new Date('2026-02-01T00:00:00Z'));
    const held = meetings.find((m) => m.status === 'held');
    assert.ok(held, 'a held meeting');
    assert.equal(new Date(held.starts_at).toISOString(), '2026-02-26T10:00:00.000Z');
    assert.equal(held.minutes, 'published');
    const next = meetings.find((m) => m.status === 'scheduled')!;
    const view = await services.marac.viewMeeting(coordinator, next.id);
    assert.equal(view.reviews.length, 2);
    assert.ok(view.reviews.every((r) => r.status === 'open' && r.review === null));
    assert.ok(
      view.reviews.some((r) => r.overdue),
      'one action is overdue',
    );
    const flags = await deps.db
      .selectFrom('person_flag')
      .select('type')
      .where('type', '=', 'marac')
      .execute();
    assert.ok(flags.length >= 2, 'the people discussed carry a MARAC flag');
  });
});
