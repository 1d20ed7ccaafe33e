import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { formatDate, formatDateTime } from '../../src/platform/views.ts';

// The filters use Intl's formatters for speed; Luxon, which the rest of Harbour uses for UK time,
// is the reference they must agree with, across clock changes and every hour of the day.
const ZONE = 'Europe/London';
const reference = (date: Date) => {
  const dt = DateTime.fromJSDate(date).setZone(ZONE);
  return `${dt.toFormat('d MMMM yyyy')} at ${dt.toFormat('h:mma').toLowerCase()}`;
};
const instants = fc.date({
  min: new Date('1990-01-01T00:00:00Z'),
  max: new Date('2060-12-31T23:59:59Z'),
  noInvalidDate: true,
});

test('a date and time reads as Luxon writes it in UK time, for any instant', () => {
  fc.assert(
    fc.property(instants, (date) => {
      assert.equal(formatDateTime(date), reference(date));
      assert.equal(formatDateTime(date.toISOString()), reference(date));
      assert.equal(formatDate(date), DateTime.fromJSDate(date).setZone(ZONE).toFormat('d MMMM yyyy'));
    }),
    { numRuns: 5000 },
  );
});

test('midnight and midday, and both sides of the clock changes', () => {
  assert.equal(formatDateTime(new Date('2026-01-15T00:05:00Z')), '15 January 2026 at 12:05am');
  assert.equal(formatDateTime(new Date('2026-01-15T12:00:00Z')), '15 January 2026 at 12:00pm');
  assert.equal(formatDateTime(new Date('2026-03-29T00:59:00Z')), '29 March 2026 at 12:59am');
  assert.equal(formatDateTime(new Date('2026-03-29T01:00:00Z')), '29 March 2026 at 2:00am');
  assert.equal(formatDateTime(new Date('2026-10-25T00:30:00Z')), '25 October 2026 at 1:30am');
  assert.equal(formatDateTime(new Date('2026-10-25T01:30:00Z')), '25 October 2026 at 1:30am');
  assert.equal(formatDateTime(new Date('2026-06-30T23:30:00Z')), '1 July 2026 at 12:30am');
});

test('a calendar date is the day written, whatever the zone', () => {
  assert.equal(formatDate('2026-06-30'), '30 June 2026');
  assert.equal(formatDate('2026-03-29'), '29 March 2026');
  assert.equal(formatDate('2026-10-25'), '25 October 2026');
});

test('nothing, or something that is not a date, shows nothing', () => {
  assert.equal(formatDateTime(null), '');
  assert.equal(formatDateTime(undefined), '');
  assert.equal(formatDateTime('not a date'), '');
  assert.equal(formatDate(''), '');
  assert.equal(formatDate('not a date'), '');
});
