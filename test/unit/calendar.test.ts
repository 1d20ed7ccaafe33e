import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addWorkingDays,
  addWorkingHours,
  addWorkingTime,
  bankHolidays,
  createSchoolCalendar,
  createWorkingCalendar,
  isSchoolDate,
  isWithinOfficeHours,
  isWorkingDate,
  isWorkingDay,
  localDateOf,
  nextSchoolDayStart,
  nextWorkingMoment,
  workingDayLengthMs,
  workingTimeBetween,
} from '../../src/domain/calendar.ts';

const at = (iso: string): Date => new Date(iso);
const HOUR = 3_600_000;

describe('bank holidays (England and Wales, computed offline)', () => {
  it('lists Christmas substitute days when 25 and 26 December fall at a weekend (2021)', () => {
    const dates = bankHolidays(2021).map((h) => h.date);
    assert.ok(dates.includes('2021-12-27'));
    assert.ok(dates.includes('2021-12-28'));
  });

  it('lists the New Year substitute day when 1 January is a Saturday (2022)', () => {
    assert.ok(bankHolidays(2022).some((h) => h.date === '2022-01-03'));
  });

  it('leaves out observances such as Easter Sunday and Mother’s Day', () => {
    const names = bankHolidays(2025).map((h) => h.name);
    assert.ok(!names.some((n) => /Easter Sunday|Mother/.test(n)));
    assert.equal(bankHolidays(2025).length, 8);
  });

  it('follows one-off moves and extra days (VE day 2020, coronation 2023)', () => {
    assert.ok(bankHolidays(2020).some((h) => h.date === '2020-05-08'));
    assert.ok(!bankHolidays(2020).some((h) => h.date === '2020-05-04'));
    assert.ok(bankHolidays(2023).some((h) => h.date === '2023-05-08'));
  });
});

describe('isWorkingDate / isWorkingDay', () => {
  it('treats weekdays as working and weekends and bank holidays as not', () => {
    assert.equal(isWorkingDate('2025-04-17'), true); // Thursday before Easter
    assert.equal(isWorkingDate('2025-04-18'), false); // Good Friday
    assert.equal(isWorkingDate('2025-04-21'), false); // Easter Monday
    assert.equal(isWorkingDate('2025-04-19'), false); // Saturday
    assert.equal(isWorkingDate('2025-05-26'), false); // Spring bank holiday
  });

  it('uses the local date, not the UTC date, of an instant', () => {
    // 23:30 UTC on Thursday 17 April 2025 is 00:30 on Good Friday in London.
    assert.equal(localDateOf(at('2025-04-17T23:30:00Z')), '2025-04-18');
    assert.equal(isWorkingDay(at('2025-04-17T23:30:00Z')), false);
    assert.equal(isWorkingDay(at('2025-04-17T22:30:00Z')), true);
  });

  it('honours extra closure dates', () => {
    const calendar = createWorkingCalendar({ extraClosures: ['2025-12-29', '2025-12-30', '2025-12-31'] });
    assert.equal(isWorkingDate('2025-12-29', calendar), false);
    assert.equal(isWorkingDate('2025-12-29'), true);
  });

  it('rejects a malformed date', () => {
    assert.throws(() => isWorkingDate('29/12/2025'), RangeError);
  });
});

describe('isWithinOfficeHours', () => {
  it('includes opening time and excludes closing time, in local time', () => {
    // Winter (GMT): local = UTC
    assert.equal(isWithinOfficeHours(at('2025-01-15T09:00:00Z')), true);
    assert.equal(isWithinOfficeHours(at('2025-01-15T08:59:59Z')), false);
    assert.equal(isWithinOfficeHours(at('2025-01-15T16:59:59Z')), true);
    assert.equal(isWithinOfficeHours(at('2025-01-15T17:00:00Z')), false);
    // Summer (BST): 09:00 local = 08:00 UTC
    assert.equal(isWithinOfficeHours(at('2025-07-15T08:00:00Z')), true);
    assert.equal(isWithinOfficeHours(at('2025-07-15T16:00:00Z')), false);
  });

  it('is false all day on a bank holiday', () => {
    assert.equal(isWithinOfficeHours(at('2025-12-25T12:00:00Z')), false);
  });
});

describe('addWorkingDays', () => {
  it('gives the same time on the next working day when received in office hours', () => {
    assert.deepEqual(addWorkingDays(at('2025-01-15T10:00:00Z'), 1), at('2025-01-16T10:00:00Z'));
  });

  it('skips a weekend', () => {
    assert.deepEqual(addWorkingDays(at('2025-01-17T16:00:00Z'), 1), at('2025-01-20T16:00:00Z'));
  });

  it('skips the Easter bank-holiday weekend (Good Friday to Easter Monday)', () => {
    // Thursday 17 April 2025 16:00 BST → Tuesday 22 April 16:00 BST
    assert.deepEqual(addWorkingDays(at('2025-04-17T15:00:00Z'), 1), at('2025-04-22T15:00:00Z'));
  });

  it('skips the late-May bank holiday', () => {
    // Friday 23 May 2025 10:00 BST → Tuesday 27 May 10:00 BST
    assert.deepEqual(addWorkingDays(at('2025-05-23T09:00:00Z'), 1), at('2025-05-27T09:00:00Z'));
  });

  it('skips Christmas and Boxing Day substitute days (2021: 25–28 December closed)', () => {
    assert.deepEqual(addWorkingDays(at('2021-12-24T12:00:00Z'), 1), at('2021-12-29T12:00:00Z'));
  });

  it('skips the New Year substitute day (Monday 3 January 2022)', () => {
    assert.deepEqual(addWorkingDays(at('2021-12-31T15:00:00Z'), 1), at('2022-01-04T15:00:00Z'));
  });

  it('skips Christmas 2022, when only Christmas Day fell at a weekend (Tuesday 27th substitute)', () => {
    assert.deepEqual(addWorkingDays(at('2022-12-23T11:00:00Z'), 1), at('2022-12-28T11:00:00Z'));
  });

  it('keeps local time across the March clock change (71 real hours over that weekend)', () => {
    // Friday 28 March 2025 16:00 GMT → Monday 31 March 16:00 BST (15:00 UTC)
    const due = addWorkingDays(at('2025-03-28T16:00:00Z'), 1);
    assert.deepEqual(due, at('2025-03-31T15:00:00Z'));
    assert.equal(due.getTime() - at('2025-03-28T16:00:00Z').getTime(), 71 * HOUR);
  });

  it('keeps local time across the October clock change (73 real hours over that weekend)', () => {
    // Friday 24 October 2025 16:30 BST → Monday 27 October 16:30 GMT
    const due = addWorkingDays(at('2025-10-24T15:30:00Z'), 1);
    assert.deepEqual(due, at('2025-10-27T16:30:00Z'));
    assert.equal(due.getTime() - at('2025-10-24T15:30:00Z').getTime(), 73 * HOUR);
  });

  it('counts a contact received out of hours from the next opening, ending at close of that day', () => {
    // Saturday night before the March change → end of Monday 31 March (17:00 BST)
    assert.deepEqual(addWorkingDays(at('2025-03-29T22:00:00Z'), 1), at('2025-03-31T16:00:00Z'));
    // Received at 02:30 BST on the change night itself
    assert.deepEqual(addWorkingDays(at('2025-03-30T01:30:00Z'), 1), at('2025-03-31T16:00:00Z'));
    // Received on a weekday evening → end of the next working day
    assert.deepEqual(addWorkingDays(at('2025-01-15T20:00:00Z'), 1), at('2025-01-16T17:00:00Z'));
    // Received before opening → end of the same day
    assert.deepEqual(addWorkingDays(at('2025-01-15T07:00:00Z'), 1), at('2025-01-15T17:00:00Z'));
  });

  it('counts an assessment timescale of 45 working days', () => {
    // From Monday 6 January 2025 10:00: 45 working days, no bank holidays in between → 10 March
    assert.deepEqual(addWorkingDays(at('2025-01-06T10:00:00Z'), 45), at('2025-03-10T10:00:00Z'));
  });

  it('returns the instant unchanged for zero days and rejects fractions or negatives', () => {
    const t = at('2025-01-18T12:00:00Z');
    assert.deepEqual(addWorkingDays(t, 0), t);
    assert.notEqual(addWorkingDays(t, 0), t);
    assert.throws(() => addWorkingDays(t, 1.5), RangeError);
    assert.throws(() => addWorkingDays(t, -1), RangeError);
  });
});

describe('addWorkingHours', () => {
  it('adds within the same day', () => {
    assert.deepEqual(addWorkingHours(at('2025-01-15T10:00:00Z'), 6), at('2025-01-15T16:00:00Z'));
  });

  it('carries over closing time into the next working day', () => {
    assert.deepEqual(addWorkingHours(at('2025-01-15T15:00:00Z'), 6), at('2025-01-16T13:00:00Z'));
  });

  it('lands on closing time rather than the next opening when it fits exactly', () => {
    assert.deepEqual(addWorkingHours(at('2025-01-15T15:00:00Z'), 2), at('2025-01-15T17:00:00Z'));
  });

  it('carries over the March clock-change weekend', () => {
    // Friday 28 March 2025 16:00 GMT + 2 working hours → Monday 10:00 BST (09:00 UTC)
    assert.deepEqual(addWorkingHours(at('2025-03-28T16:00:00Z'), 2), at('2025-03-31T09:00:00Z'));
  });

  it('carries over the October clock-change weekend', () => {
    // Friday 24 October 2025 16:00 BST + 2 working hours → Monday 10:00 GMT
    assert.deepEqual(addWorkingHours(at('2025-10-24T15:00:00Z'), 2), at('2025-10-27T10:00:00Z'));
  });

  it('starts counting at the next opening when received out of hours', () => {
    // Good Friday evening → Tuesday 22 April 09:00 BST + 6h = 15:00 BST
    assert.deepEqual(addWorkingHours(at('2025-04-18T19:00:00Z'), 6), at('2025-04-22T14:00:00Z'));
  });

  it('accepts fractional hours', () => {
    assert.deepEqual(addWorkingHours(at('2025-01-15T10:00:00Z'), 1.5), at('2025-01-15T11:30:00Z'));
  });

  it('rejects negative and non-finite amounts', () => {
    assert.throws(() => addWorkingHours(at('2025-01-15T10:00:00Z'), -1), RangeError);
    assert.throws(() => addWorkingTime(at('2025-01-15T10:00:00Z'), Number.NaN), RangeError);
  });

  it('throws rather than looping when a calendar has no working days', () => {
    const never = createWorkingCalendar({ officeHours: { opens: '09:00', closes: '17:00', weekdays: [] } });
    assert.throws(() => addWorkingHours(at('2025-01-15T10:00:00Z'), 1, never), RangeError);
  });
});

describe('nextWorkingMoment', () => {
  it('is the instant itself when open, otherwise the next opening', () => {
    assert.deepEqual(nextWorkingMoment(at('2025-01-15T10:00:00Z')), at('2025-01-15T10:00:00Z'));
    assert.deepEqual(nextWorkingMoment(at('2025-01-15T17:00:00Z')), at('2025-01-16T09:00:00Z'));
    assert.deepEqual(nextWorkingMoment(at('2021-12-24T18:00:00Z')), at('2021-12-29T09:00:00Z'));
  });
});

describe('workingTimeBetween', () => {
  it('counts only office hours', () => {
    assert.equal(workingTimeBetween(at('2025-01-15T08:00:00Z'), at('2025-01-15T18:00:00Z')), 8 * HOUR);
  });

  it('counts two hours across the March clock-change weekend', () => {
    assert.equal(workingTimeBetween(at('2025-03-28T16:00:00Z'), at('2025-03-31T09:00:00Z')), 2 * HOUR);
  });

  it('counts nothing over a bank-holiday weekend', () => {
    assert.equal(workingTimeBetween(at('2025-04-17T16:00:00Z'), at('2025-04-22T08:00:00Z')), 0);
  });

  it('is negative when the end is before the start', () => {
    assert.equal(workingTimeBetween(at('2025-01-16T10:00:00Z'), at('2025-01-15T10:00:00Z')), -8 * HOUR);
  });

  it('is the inverse of addWorkingTime', () => {
    const from = at('2025-10-23T14:15:00Z');
    const to = addWorkingHours(from, 13.25);
    assert.equal(workingTimeBetween(from, to), 13.25 * HOUR);
  });
});

describe('configurable office hours', () => {
  const calendar = createWorkingCalendar({
    officeHours: { opens: '08:30', closes: '17:30', weekdays: [1, 2, 3, 4] },
  });

  it('uses the configured hours and weekdays', () => {
    assert.equal(workingDayLengthMs(calendar), 9 * HOUR);
    assert.equal(isWorkingDate('2025-01-17', calendar), false); // Friday not worked
    assert.deepEqual(addWorkingDays(at('2025-01-16T10:00:00Z'), 1, calendar), at('2025-01-20T10:00:00Z'));
  });

  it('rejects invalid configuration', () => {
    assert.throws(
      () => createWorkingCalendar({ officeHours: { opens: '17:00', closes: '09:00', weekdays: [1] } }),
      RangeError,
    );
    assert.throws(() =>
      createWorkingCalendar({ officeHours: { opens: '9am', closes: '17:00', weekdays: [1] } }),
    );
    assert.throws(
      () => createWorkingCalendar({ officeHours: { opens: '09:00', closes: '17:00', weekdays: [8 as 1] } }),
      RangeError,
    );
    assert.throws(() => createWorkingCalendar({ timeZone: 'Mars/Olympus' }), RangeError);
    assert.throws(() => createWorkingCalendar({ extraClosures: ['2025-13-01'] }), RangeError);
  });

  it('can switch bank holidays off', () => {
    const noHolidays = createWorkingCalendar({ bankHolidayRegion: null });
    assert.equal(isWorkingDate('2025-12-25', noHolidays), true);
  });
});

describe('nextSchoolDayStart (Operation Encompass)', () => {
  it('is 08:30 the next morning after an evening incident on a school night', () => {
    assert.deepEqual(nextSchoolDayStart(at('2025-01-15T21:00:00Z')), at('2025-01-16T08:30:00Z'));
  });

  it('is 08:30 the same day for an incident before the school day starts', () => {
    assert.deepEqual(nextSchoolDayStart(at('2025-01-15T07:00:00Z')), at('2025-01-15T08:30:00Z'));
  });

  it('is the following school day for an incident at or after the start of the school day', () => {
    assert.deepEqual(nextSchoolDayStart(at('2025-01-15T08:30:00Z')), at('2025-01-16T08:30:00Z'));
  });

  it('skips the weekend and a bank holiday (late May 2025), in BST', () => {
    // Friday 23 May 21:00 BST → Tuesday 27 May 08:30 BST (07:30 UTC)
    assert.deepEqual(nextSchoolDayStart(at('2025-05-23T20:00:00Z')), at('2025-05-27T07:30:00Z'));
  });

  it('moves from BST to GMT over the October clock change', () => {
    // Saturday 25 October 2025 → Monday 27 October 08:30 GMT
    assert.deepEqual(nextSchoolDayStart(at('2025-10-25T12:00:00Z')), at('2025-10-27T08:30:00Z'));
  });

  it('skips half term when term dates are configured', () => {
    const school = createSchoolCalendar({
      terms: [
        { start: '2025-09-03', end: '2025-10-24' },
        { start: '2025-11-03', end: '2025-12-19' },
      ],
    });
    assert.equal(isSchoolDate('2025-10-29', school), false);
    assert.deepEqual(nextSchoolDayStart(at('2025-10-25T12:00:00Z'), school), at('2025-11-03T08:30:00Z'));
  });

  it('skips configured closures (training days) and uses a configured start time', () => {
    const school = createSchoolCalendar({ closures: ['2025-01-16'], dayStarts: '08:45' });
    assert.deepEqual(nextSchoolDayStart(at('2025-01-15T21:00:00Z'), school), at('2025-01-17T08:45:00Z'));
  });

  it('rejects a term that ends before it starts', () => {
    assert.throws(
      () => createSchoolCalendar({ terms: [{ start: '2025-10-24', end: '2025-09-03' }] }),
      RangeError,
    );
  });
});
