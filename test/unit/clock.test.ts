import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createWorkingCalendar } from '../../src/domain/calendar.ts';
import {
  addTimescale,
  clockStatus,
  DEFAULT_FRONT_DOOR_TIMESCALES,
  dashAwaitedClock,
  deadlinesFor,
  describeDuration,
  type FrontDoorTimescales,
} from '../../src/domain/clock.ts';

const at = (iso: string): Date => new Date(iso);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('deadlinesFor: unscreened contact', () => {
  it('gives a screening deadline in working hours and a one-working-day decision', () => {
    const d = deadlinesFor({ receivedAt: at('2025-01-15T16:00:00Z') });
    assert.deepEqual(d.screeningDueAt, at('2025-01-16T10:00:00Z'));
    assert.deepEqual(d.decisionDueAt, at('2025-01-16T16:00:00Z'));
    assert.equal(d.enquiriesDueAt, undefined);
  });
});

describe('deadlinesFor: red runs around the clock', () => {
  it('wants partner information within 2 hours and a decision within 8 hours, even at a weekend', () => {
    const d = deadlinesFor({ receivedAt: at('2025-01-18T22:00:00Z'), rag: 'red' });
    assert.deepEqual(d.enquiriesDueAt, at('2025-01-19T00:00:00Z'));
    assert.deepEqual(d.decisionDueAt, at('2025-01-19T06:00:00Z'));
    assert.equal(d.screeningDueAt, undefined);
  });

  it('is 8 real hours across the March clock change (local time moves an hour)', () => {
    // Saturday 29 March 2025 23:00 GMT → Sunday 30 March 08:00 BST
    const d = deadlinesFor({ receivedAt: at('2025-03-29T23:00:00Z'), rag: 'red' });
    assert.deepEqual(d.decisionDueAt, at('2025-03-30T07:00:00Z'));
  });

  it('runs enquiries from the screening time when given', () => {
    const d = deadlinesFor({
      receivedAt: at('2025-01-15T10:00:00Z'),
      screenedAt: at('2025-01-15T11:30:00Z'),
      rag: 'red',
    });
    assert.deepEqual(d.enquiriesDueAt, at('2025-01-15T13:30:00Z'));
    assert.deepEqual(d.decisionDueAt, at('2025-01-15T18:00:00Z'));
  });
});

describe('deadlinesFor: amber, green and blue run in working time', () => {
  it('amber: 6 working hours for enquiries, carried over the Easter weekend', () => {
    // Thursday 17 April 2025 14:00 BST: 3h that day, 3h on Tuesday 22nd → 12:00 BST
    const d = deadlinesFor({ receivedAt: at('2025-04-17T13:00:00Z'), rag: 'amber' });
    assert.deepEqual(d.enquiriesDueAt, at('2025-04-22T11:00:00Z'));
    assert.deepEqual(d.decisionDueAt, at('2025-04-22T13:00:00Z'));
  });

  it('green: enquiries and decision within one working day, received out of hours', () => {
    // Christmas Eve 2021 evening → end of Wednesday 29 December
    const d = deadlinesFor({ receivedAt: at('2021-12-24T19:00:00Z'), rag: 'green' });
    assert.deepEqual(d.enquiriesDueAt, at('2021-12-29T17:00:00Z'));
    assert.deepEqual(d.decisionDueAt, at('2021-12-29T17:00:00Z'));
  });

  it('blue: no enquiries, decision within one working day', () => {
    const d = deadlinesFor({ receivedAt: at('2025-10-24T15:00:00Z'), rag: 'blue' });
    assert.equal(d.enquiriesDueAt, undefined);
    // Friday 24 October 16:00 BST → Monday 27 October 16:00 GMT
    assert.deepEqual(d.decisionDueAt, at('2025-10-27T16:00:00Z'));
  });

  it('rejects an unknown RAG rating', () => {
    assert.throws(
      () => deadlinesFor({ receivedAt: at('2025-01-15T10:00:00Z'), rag: 'purple' as 'red' }),
      RangeError,
    );
  });
});

describe('deadlinesFor: configuration', () => {
  it('uses partnership timescales and calendar', () => {
    const timescales: FrontDoorTimescales = {
      ...DEFAULT_FRONT_DOOR_TIMESCALES,
      enquiries: { ...DEFAULT_FRONT_DOOR_TIMESCALES.enquiries, amber: { amount: 4, unit: 'working-hours' } },
    };
    const calendar = createWorkingCalendar({
      officeHours: { opens: '08:00', closes: '18:00', weekdays: [1, 2, 3, 4, 5] },
    });
    const d = deadlinesFor({ receivedAt: at('2025-01-15T16:00:00Z'), rag: 'amber' }, timescales, calendar);
    assert.deepEqual(d.enquiriesDueAt, at('2025-01-16T10:00:00Z'));
    assert.deepEqual(d.decisionDueAt, at('2025-01-16T16:00:00Z'));
  });

  it('addTimescale handles each unit and rejects a negative amount', () => {
    const from = at('2025-01-17T16:00:00Z'); // Friday
    assert.deepEqual(addTimescale(from, { amount: 3, unit: 'hours' }), at('2025-01-17T19:00:00Z'));
    assert.deepEqual(addTimescale(from, { amount: 3, unit: 'working-hours' }), at('2025-01-20T11:00:00Z'));
    assert.deepEqual(addTimescale(from, { amount: 2, unit: 'working-days' }), at('2025-01-21T16:00:00Z'));
    assert.throws(() => addTimescale(from, { amount: -1, unit: 'hours' }), RangeError);
  });

  it('carries the statutory assessment and conference timescales', () => {
    const referral = at('2025-01-06T10:00:00Z');
    assert.deepEqual(
      addTimescale(referral, DEFAULT_FRONT_DOOR_TIMESCALES.assessment),
      at('2025-03-10T10:00:00Z'),
    );
    assert.deepEqual(
      addTimescale(referral, DEFAULT_FRONT_DOOR_TIMESCALES.initialChildProtectionConference),
      at('2025-01-27T10:00:00Z'),
    );
  });
});

describe('clockStatus', () => {
  const due = at('2025-01-15T12:00:00Z');

  it('shows hours and minutes left', () => {
    const s = clockStatus(due, new Date(due.getTime() - (2 * HOUR + 10 * MINUTE)));
    assert.equal(s.label, '2 hours 10 minutes left');
    assert.equal(s.breached, false);
    assert.equal(s.state, 'on-time');
    assert.equal(s.remainingMs, 2 * HOUR + 10 * MINUTE);
  });

  it('rounds time left down so it is never overstated', () => {
    assert.equal(clockStatus(due, new Date(due.getTime() - (HOUR + 59_999))).label, '1 hour left');
  });

  it('is due soon within the last hour and not breached at the due instant', () => {
    assert.equal(clockStatus(due, new Date(due.getTime() - 45 * MINUTE)).state, 'due-soon');
    assert.equal(clockStatus(due, new Date(due.getTime() - 45 * MINUTE)).label, '45 minutes left');
    const now = clockStatus(due, due);
    assert.equal(now.breached, false);
    assert.equal(now.label, 'Due now');
    assert.equal(clockStatus(due, new Date(due.getTime() - 30_000)).label, 'Less than a minute left');
  });

  it('is breached one millisecond after the due instant', () => {
    const s = clockStatus(due, new Date(due.getTime() + 1));
    assert.equal(s.breached, true);
    assert.equal(s.state, 'breached');
    assert.equal(s.label, 'Overdue by less than a minute');
  });

  it('says how long overdue', () => {
    assert.equal(clockStatus(due, new Date(due.getTime() + HOUR)).label, 'Overdue by 1 hour');
    assert.equal(
      clockStatus(due, new Date(due.getTime() + 26 * HOUR + 5 * MINUTE)).label,
      'Overdue by 1 day 2 hours',
    );
  });

  it('accepts a configured due-soon margin', () => {
    assert.equal(clockStatus(due, new Date(due.getTime() - 90 * MINUTE), 2 * HOUR).state, 'due-soon');
  });
});

describe('describeDuration', () => {
  it('uses the two largest units and plural forms', () => {
    assert.equal(describeDuration(MINUTE), '1 minute');
    assert.equal(describeDuration(3 * 24 * HOUR), '3 days');
    assert.equal(describeDuration(24 * HOUR + HOUR + MINUTE), '1 day 1 hour');
    assert.equal(describeDuration(-2 * HOUR), '2 hours');
  });
});

describe('dashAwaitedClock', () => {
  const since = at('2025-01-15T22:00:00Z');

  it('is awaited for 24 hours, overdue for the next 24, then escalated', () => {
    const atDue = dashAwaitedClock(since, at('2025-01-16T22:00:00Z'));
    assert.deepEqual(atDue.dueAt, at('2025-01-16T22:00:00Z'));
    assert.deepEqual(atDue.escalateAt, at('2025-01-17T22:00:00Z'));
    assert.equal(atDue.state, 'awaited');
    assert.equal(dashAwaitedClock(since, at('2025-01-16T22:00:01Z')).state, 'overdue');
    assert.equal(dashAwaitedClock(since, at('2025-01-17T22:00:00Z')).state, 'overdue');
    assert.equal(dashAwaitedClock(since, at('2025-01-17T22:00:01Z')).state, 'escalated');
  });

  it('takes the due and escalation periods from configuration', () => {
    const timescales: FrontDoorTimescales = {
      ...DEFAULT_FRONT_DOOR_TIMESCALES,
      dashAwaited: {
        due: { amount: 1, unit: 'working-days' },
        escalateAfter: { amount: 4, unit: 'working-hours' },
      },
    };
    const c = dashAwaitedClock(since, since, timescales);
    assert.deepEqual(c.dueAt, at('2025-01-16T17:00:00Z'));
    assert.deepEqual(c.escalateAt, at('2025-01-17T13:00:00Z'));
  });
});
