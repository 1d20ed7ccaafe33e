/**
 * Working days, working hours and school days in local (Europe/London) time.
 *
 * Every instant goes in and comes out as a JS `Date` (an absolute UTC instant); all reasoning
 * about "days" and "office hours" happens on the local wall clock, so clock changes in March and
 * October are handled by the time-zone database rather than by arithmetic on milliseconds.
 *
 * Bank holidays are computed (not listed) from the offline `date-holidays` data, including
 * substitute days when a holiday falls at a weekend.
 */

import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import { TIME_ZONE } from './time-zone.ts';

/** ISO weekday numbers: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface OfficeHours {
  /** Local opening time, `HH:mm`. */
  readonly opens: string;
  /** Local closing time, `HH:mm`; must be after `opens` on the same day. */
  readonly closes: string;
  readonly weekdays: readonly IsoWeekday[];
}

/** Which public-holiday rules apply. England and Wales share one set of bank holidays. */
export interface BankHolidayRegion {
  readonly country: string;
  readonly state?: string;
}

export interface CalendarConfig {
  /** IANA zone the office works in. */
  readonly timeZone: string;
  readonly officeHours: OfficeHours;
  /** `null` turns bank holidays off (e.g. for a service that works through them). */
  readonly bankHolidayRegion: BankHolidayRegion | null;
  /** Local dates (`YYYY-MM-DD`) the office is closed besides weekends and bank holidays. */
  readonly extraClosures: readonly string[];
}

/** config: office hours (default Monday to Friday, 09:00–17:00). */
export const DEFAULT_OFFICE_HOURS: OfficeHours = Object.freeze({
  opens: '09:00',
  closes: '17:00',
  weekdays: Object.freeze([1, 2, 3, 4, 5] as const),
});

/** config: bank holidays of England (identical to those of Wales). */
export const ENGLAND_AND_WALES: BankHolidayRegion = Object.freeze({ country: 'GB', state: 'ENG' });

export const DEFAULT_CALENDAR_CONFIG: CalendarConfig = Object.freeze({
  timeZone: TIME_ZONE,
  officeHours: DEFAULT_OFFICE_HOURS,
  bankHolidayRegion: ENGLAND_AND_WALES,
  extraClosures: Object.freeze([]),
});

/** A validated calendar; build one with `createWorkingCalendar`. */
export interface WorkingCalendar {
  readonly config: CalendarConfig;
  readonly opensMinute: number;
  readonly closesMinute: number;
  readonly weekdays: ReadonlySet<number>;
  readonly closures: ReadonlySet<string>;
}

export interface SchoolTerm {
  /** First day of term, `YYYY-MM-DD`, inclusive. */
  readonly start: string;
  /** Last day of term, `YYYY-MM-DD`, inclusive. */
  readonly end: string;
}

export interface SchoolCalendar {
  readonly timeZone: string;
  /** Local time the school day starts, `HH:mm` (default 08:30). */
  readonly dayStarts: string;
  readonly schoolDays: readonly IsoWeekday[];
  /**
   * Term dates. Empty means "no term dates known": every school weekday that is not a bank
   * holiday or closure counts, which errs towards telling the school sooner, not later.
   */
  readonly terms: readonly SchoolTerm[];
  /** Extra non-school days (training days, local holidays), `YYYY-MM-DD`. */
  readonly closures: readonly string[];
  readonly bankHolidayRegion: BankHolidayRegion | null;
}

/** config: school day for Operation Encompass (default 08:30, Monday to Friday, no term dates). */
export const DEFAULT_SCHOOL_CALENDAR: SchoolCalendar = Object.freeze({
  timeZone: TIME_ZONE,
  dayStarts: '08:30',
  schoolDays: Object.freeze([1, 2, 3, 4, 5] as const),
  terms: Object.freeze([]),
  closures: Object.freeze([]),
  bankHolidayRegion: ENGLAND_AND_WALES,
});

const MS_PER_MINUTE = 60_000;
/** Guard against a calendar with no working days at all looping for ever. */
const MAX_DAYS_SCANNED = 3_700;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseClockTime(value: string, field: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(value);
  if (!match) throw new RangeError(`${field} must be HH:mm, got "${value}"`);
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 23 || minutes > 59) throw new RangeError(`${field} is not a time of day: "${value}"`);
  return hours * 60 + minutes;
}

function assertZone(zone: string): void {
  if (!DateTime.now().setZone(zone).isValid) throw new RangeError(`Unknown time zone "${zone}"`);
}

function assertIsoDates(dates: readonly string[], field: string): void {
  for (const date of dates) {
    if (!ISO_DATE.test(date) || !DateTime.fromISO(date).isValid) {
      throw new RangeError(`${field} must hold YYYY-MM-DD dates, got "${date}"`);
    }
  }
}

function assertWeekdays(days: readonly number[], field: string): void {
  for (const day of days) {
    if (!Number.isInteger(day) || day < 1 || day > 7) {
      throw new RangeError(`${field} must hold ISO weekdays 1–7, got ${day}`);
    }
  }
}

/** Build a calendar from partial config; anything left out takes the documented default. */
export function createWorkingCalendar(overrides: Partial<CalendarConfig> = {}): WorkingCalendar {
  const config: CalendarConfig = { ...DEFAULT_CALENDAR_CONFIG, ...overrides };
  assertZone(config.timeZone);
  const opensMinute = parseClockTime(config.officeHours.opens, 'officeHours.opens');
  const closesMinute = parseClockTime(config.officeHours.closes, 'officeHours.closes');
  if (closesMinute <= opensMinute) throw new RangeError('officeHours.closes must be after officeHours.opens');
  assertWeekdays(config.officeHours.weekdays, 'officeHours.weekdays');
  assertIsoDates(config.extraClosures, 'extraClosures');
  return Object.freeze({
    config,
    opensMinute,
    closesMinute,
    weekdays: new Set<number>(config.officeHours.weekdays),
    closures: new Set(config.extraClosures),
  });
}

export const DEFAULT_WORKING_CALENDAR: WorkingCalendar = createWorkingCalendar();

/** Validate school-calendar overrides against the defaults. */
export function createSchoolCalendar(overrides: Partial<SchoolCalendar> = {}): SchoolCalendar {
  const school: SchoolCalendar = { ...DEFAULT_SCHOOL_CALENDAR, ...overrides };
  assertZone(school.timeZone);
  parseClockTime(school.dayStarts, 'dayStarts');
  assertWeekdays(school.schoolDays, 'schoolDays');
  assertIsoDates(school.closures, 'closures');
  for (const term of school.terms) {
    assertIsoDates([term.start, term.end], 'terms');
    if (term.end < term.start) throw new RangeError(`term ending ${term.end} starts after it ends`);
  }
  return Object.freeze(school);
}

// --- bank holidays -------------------------------------------------------------------------

export interface BankHoliday {
  readonly date: string;
  readonly name: string;
}

const holidayEngines = new Map<string, Holidays>();
const holidaysByYear = new Map<string, readonly BankHoliday[]>();
const holidayDateSets = new Map<string, ReadonlySet<string>>();

function regionKey(region: BankHolidayRegion): string {
  return `${region.country}/${region.state ?? ''}`;
}

/** Bank holidays (including substitute days) in one calendar year, in date order. */
export function bankHolidays(
  year: number,
  region: BankHolidayRegion = ENGLAND_AND_WALES,
): readonly BankHoliday[] {
  const key = `${regionKey(region)}/${year}`;
  const cached = holidaysByYear.get(key);
  if (cached) return cached;
  let engine = holidayEngines.get(regionKey(region));
  if (!engine) {
    engine = region.state ? new Holidays(region.country, region.state) : new Holidays(region.country);
    holidayEngines.set(regionKey(region), engine);
  }
  // Observances (Mother's Day, Easter Sunday) are not days off, so only public and bank types count.
  const list = engine
    .getHolidays(year)
    .filter((h) => h.type === 'public' || h.type === 'bank')
    .map((h) => Object.freeze({ date: h.date.slice(0, 10), name: h.name }));
  const frozen = Object.freeze(list);
  holidaysByYear.set(key, frozen);
  return frozen;
}

function isBankHolidayDate(isoDate: string, region: BankHolidayRegion | null): boolean {
  if (!region) return false;
  const key = `${regionKey(region)}/${isoDate.slice(0, 4)}`;
  let dates = holidayDateSets.get(key);
  if (!dates) {
    dates = new Set(bankHolidays(Number(isoDate.slice(0, 4)), region).map((h) => h.date));
    holidayDateSets.set(key, dates);
  }
  return dates.has(isoDate);
}

// --- working days and hours ----------------------------------------------------------------

function localDay(instant: Date, zone: string): DateTime {
  return DateTime.fromJSDate(instant, { zone }).startOf('day');
}

function isoDateOf(day: DateTime): string {
  return day.toISODate() as string;
}

/** The local calendar date (`YYYY-MM-DD`) of an instant in the calendar's zone. */
export function localDateOf(instant: Date, calendar: WorkingCalendar = DEFAULT_WORKING_CALENDAR): string {
  return isoDateOf(localDay(instant, calendar.config.timeZone));
}

/** Whether a local date (`YYYY-MM-DD`) is an office day: a listed weekday, not a holiday or closure. */
export function isWorkingDate(
  isoDate: string,
  calendar: WorkingCalendar = DEFAULT_WORKING_CALENDAR,
): boolean {
  const day = DateTime.fromISO(isoDate, { zone: calendar.config.timeZone });
  if (!day.isValid) throw new RangeError(`Not a date: "${isoDate}"`);
  return isWorkingLocalDay(day, calendar);
}

function isWorkingLocalDay(day: DateTime, calendar: WorkingCalendar): boolean {
  if (!calendar.weekdays.has(day.weekday)) return false;
  const iso = isoDateOf(day);
  return !calendar.closures.has(iso) && !isBankHolidayDate(iso, calendar.config.bankHolidayRegion);
}

/** Whether the local date on which an instant falls is an office day. */
export function isWorkingDay(instant: Date, calendar: WorkingCalendar = DEFAULT_WORKING_CALENDAR): boolean {
  return isWorkingLocalDay(localDay(instant, calendar.config.timeZone), calendar);
}

function atMinute(day: DateTime, minuteOfDay: number): number {
  return day.set({ hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60 }).toMillis();
}

interface Window {
  readonly open: number;
  readonly close: number;
}

function officeWindow(day: DateTime, calendar: WorkingCalendar): Window | null {
  if (!isWorkingLocalDay(day, calendar)) return null;
  return { open: atMinute(day, calendar.opensMinute), close: atMinute(day, calendar.closesMinute) };
}

/** Whether an instant falls inside office hours on an office day (opening inclusive, closing exclusive). */
export function isWithinOfficeHours(
  instant: Date,
  calendar: WorkingCalendar = DEFAULT_WORKING_CALENDAR,
): boolean {
  const window = officeWindow(localDay(instant, calendar.config.timeZone), calendar);
  const t = instant.getTime();
  return window !== null && t >= window.open && t < window.close;
}

/** The instant itself if the office is open then, otherwise the next opening time. */
export function nextWorkingMoment(instant: Date, calendar: WorkingCalendar = DEFAULT_WORKING_CALENDAR): Date {
  if (isWithinOfficeHours(instant, calendar)) return new Date(instant.getTime());
  let day = localDay(instant, calendar.config.timeZone);
  const t = instant.getTime();
  for (let i = 0; i < MAX_DAYS_SCANNED; i++, day = day.plus({ days: 1 })) {
    const window = officeWindow(day, calendar);
    if (window && window.open > t) return new Date(window.open);
  }
  throw new RangeError('The calendar has no working time');
}

/** Length of one office day in milliseconds of working time. */
export function workingDayLengthMs(calendar: WorkingCalendar = DEFAULT_WORKING_CALENDAR): number {
  return (calendar.closesMinute - calendar.opensMinute) * MS_PER_MINUTE;
}

function assertAmount(amount: number, what: string): void {
  if (!Number.isFinite(amount) || amount < 0) throw new RangeError(`${what} must be a finite number ≥ 0`);
}

/**
 * Move forward by an amount of working time. Time outside office hours does not count, so an
 * instant received out of hours starts counting at the next opening. A result landing exactly on
 * closing time stays there (17:00) rather than being reported as the next opening (09:00).
 */
export function addWorkingTime(
  instant: Date,
  durationMs: number,
  calendar: WorkingCalendar = DEFAULT_WORKING_CALENDAR,
): Date {
  assertAmount(durationMs, 'Working time');
  if (durationMs === 0) return new Date(instant.getTime());
  let remaining = durationMs;
  let cursor = instant.getTime();
  let day = localDay(instant, calendar.config.timeZone);
  for (let idleDays = 0; idleDays < MAX_DAYS_SCANNED; day = day.plus({ days: 1 })) {
    const window = officeWindow(day, calendar);
    if (!window) {
      idleDays++;
      continue;
    }
    idleDays = 0;
    if (cursor >= window.close) continue;
    const start = Math.max(cursor, window.open);
    const available = window.close - start;
    if (remaining <= available) return new Date(start + remaining);
    remaining -= available;
    cursor = window.close;
  }
  throw new RangeError('The calendar has no working time');
}

/** Add working hours (fractions allowed). */
export function addWorkingHours(
  instant: Date,
  hours: number,
  calendar: WorkingCalendar = DEFAULT_WORKING_CALENDAR,
): Date {
  assertAmount(hours, 'Working hours');
  return addWorkingTime(instant, Math.round(hours * 60 * MS_PER_MINUTE), calendar);
}

/**
 * Add whole working days, where one working day is one full office day of working time. So with
 * 09:00–17:00 hours: Monday 10:00 + 1 → Tuesday 10:00; Friday 16:00 + 1 → Monday 16:00; Saturday
 * (or Monday 20:00) + 1 → the end (17:00) of the next office day.
 */
export function addWorkingDays(
  instant: Date,
  days: number,
  calendar: WorkingCalendar = DEFAULT_WORKING_CALENDAR,
): Date {
  if (!Number.isInteger(days) || days < 0) throw new RangeError('Working days must be a whole number ≥ 0');
  return addWorkingTime(instant, days * workingDayLengthMs(calendar), calendar);
}

/**
 * Working time (milliseconds) between two instants: the part of [from, to) that falls inside
 * office hours. Negative when `to` is before `from`.
 */
export function workingTimeBetween(
  from: Date,
  to: Date,
  calendar: WorkingCalendar = DEFAULT_WORKING_CALENDAR,
): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b < a) return -workingTimeBetween(to, from, calendar);
  let total = 0;
  let day = localDay(from, calendar.config.timeZone);
  for (; day.toMillis() < b; day = day.plus({ days: 1 })) {
    const window = officeWindow(day, calendar);
    if (!window) continue;
    const start = Math.max(a, window.open);
    const end = Math.min(b, window.close);
    if (end > start) total += end - start;
  }
  return total;
}

// --- school days (Operation Encompass) -----------------------------------------------------

function isSchoolLocalDay(day: DateTime, school: SchoolCalendar): boolean {
  if (!(school.schoolDays as readonly number[]).includes(day.weekday)) return false;
  const iso = isoDateOf(day);
  if (school.closures.includes(iso) || isBankHolidayDate(iso, school.bankHolidayRegion)) return false;
  if (school.terms.length === 0) return true;
  return school.terms.some((term) => term.start <= iso && iso <= term.end);
}

/** Whether a local date is a school day under the given school calendar. */
export function isSchoolDate(isoDate: string, school: SchoolCalendar = DEFAULT_SCHOOL_CALENDAR): boolean {
  const day = DateTime.fromISO(isoDate, { zone: school.timeZone });
  if (!day.isValid) throw new RangeError(`Not a date: "${isoDate}"`);
  return isSchoolLocalDay(day, school);
}

/**
 * The start of the next school day strictly after `instant`: the Operation Encompass deadline
 * (the key adult is told before this). An incident at 07:00 on a school day is due at 08:30 the
 * same day; one at 08:30 or later is due at the start of the following school day.
 */
export function nextSchoolDayStart(instant: Date, school: SchoolCalendar = DEFAULT_SCHOOL_CALENDAR): Date {
  const startMinute = parseClockTime(school.dayStarts, 'dayStarts');
  const t = instant.getTime();
  let day = localDay(instant, school.timeZone);
  for (let i = 0; i < MAX_DAYS_SCANNED; i++, day = day.plus({ days: 1 })) {
    if (!isSchoolLocalDay(day, school)) continue;
    const start = atMinute(day, startMinute);
    if (start > t) return new Date(start);
  }
  throw new RangeError('The school calendar has no school days in the next ten years');
}
