/**
 * When a receiving agency can answer (issue 12: a school asked at 22:10 was due at 00:10). An
 * enquiry's deadline counts in the receiving agency's own hours: a 24-hour agency (police, an
 * emergency department) around the clock, any other only while it is open (a school on school
 * days, in school hours). Pure: the calendar is built from configuration and passed in.
 */
import {
  addWorkingTime,
  type CalendarConfig,
  createWorkingCalendar,
  type IsoWeekday,
  isWithinOfficeHours,
  nextWorkingMoment,
  type WorkingCalendar,
  workingDayLengthMs,
} from './calendar.ts';
import type { Timescale } from './clock.ts';

export type AgencyHours =
  | { readonly open24Hours: true }
  | {
      readonly opens: string;
      readonly closes: string;
      readonly weekdays: readonly number[];
      readonly closures?: readonly string[];
    };

/** null: open around the clock. */
export type AgencyCalendar = WorkingCalendar | null;

export function agencyCalendar(hours: AgencyHours, base: CalendarConfig): AgencyCalendar {
  if ('open24Hours' in hours) return null;
  return createWorkingCalendar({
    ...base,
    officeHours: { opens: hours.opens, closes: hours.closes, weekdays: hours.weekdays as IsoWeekday[] },
    extraClosures: [...base.extraClosures, ...(hours.closures ?? [])],
  });
}

const HOUR = 3_600_000;

/** When an enquiry sent at `from` is due, with every unit counted in the agency's hours. */
export function agencyDeadline(from: Date, timescale: Timescale, calendar: AgencyCalendar): Date {
  if (!Number.isFinite(timescale.amount) || timescale.amount < 0)
    throw new RangeError(`Timescale amount must be ≥ 0, got ${timescale.amount}`);
  const dayMs = calendar ? workingDayLengthMs(calendar) : 24 * HOUR;
  const ms = Math.round(
    timescale.unit === 'working-days' ? timescale.amount * dayMs : timescale.amount * HOUR,
  );
  return calendar ? addWorkingTime(from, ms, calendar) : new Date(from.getTime() + ms);
}

export function isAgencyOpen(at: Date, calendar: AgencyCalendar): boolean {
  return calendar === null || isWithinOfficeHours(at, calendar);
}

/** The agency's next opening (the instant itself when open). */
export function agencyOpensAt(at: Date, calendar: AgencyCalendar): Date {
  return calendar === null ? at : nextWorkingMoment(at, calendar);
}
