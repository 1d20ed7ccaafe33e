import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { seedDemo } from '../../src/modules/demo/seed.ts';
import type { AuditContext } from '../../src/platform/audit.ts';
import { cliPrincipal } from '../../src/platform/principal.ts';
import { databasePerFile, deps, services } from '../helpers/per-file.ts';
import { principalFor } from './risk-helpers.ts';

// A Tuesday: last week's meeting was on Thursday the 26th, next week's is on Thursday the 12th.
databasePerFile({ seed: false, now: '2026-03-03T09:00:00.000Z' }, async () => {
  await seedDemo(
    services,
    { principal: cliPrincipal('test') },
    { householdsPerArea: 10, frontDoorContacts: 0 },
  );
});

describe('the MARAC demo data', () => {
  let coordinator: AuditContext;
  /** The demo's meetings from February on, as the MARAC coordinator sees them. */
  let meetings: Awaited<ReturnType<typeof services.marac.meetingsFrom>>;
  before(async () => {
    coordinator = { principal: await principalFor(deps, 'marac@harbour.example') };
    meetings = await services.marac.meetingsFrom(coordinator, new Date('2026-02-01T00:00:00Z'));
  });

  it('holds a meeting next week with cases on its agenda and research requested before it', async () => {
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
