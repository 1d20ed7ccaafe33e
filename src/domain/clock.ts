/**
 * Front-door deadlines: screening, multi-agency enquiries, the threshold decision and chasing a
 * "DASH awaited" notification. All timescales are partnership configuration; the defaults below
 * follow DOMAIN.md and are explained in docs/domain.md.
 */
import {
  addWorkingDays,
  addWorkingTime,
  DEFAULT_WORKING_CALENDAR,
  type WorkingCalendar,
} from './calendar.ts';

export const RAG_RATINGS = ['red', 'amber', 'green', 'blue'] as const;
/** MASH screening outcome: red potential child protection, amber significant, green wellbeing, blue none. */
export type Rag = (typeof RAG_RATINGS)[number];

/**
 * `hours` run around the clock; `working-hours` and `working-days` count only office hours on
 * office days (see calendar.ts).
 */
export type TimescaleUnit = 'hours' | 'working-hours' | 'working-days';

export interface Timescale {
  readonly amount: number;
  readonly unit: TimescaleUnit;
}

export interface FrontDoorTimescales {
  /** From receipt to a RAG rating. */
  readonly screening: Timescale;
  /** From screening (or receipt) to partner agencies' information; `null` means no enquiries. */
  readonly enquiries: Readonly<Record<Rag, Timescale | null>>;
  /** From receipt to the threshold decision, by RAG; `unscreened` until a RAG is set. */
  readonly decision: Readonly<Record<Rag | 'unscreened', Timescale>>;
  /** A DAN whose risk assessment is to follow: when it is due, and when a lapse is escalated. */
  readonly dashAwaited: { readonly due: Timescale; readonly escalateAfter: Timescale };
  /** Working Together 2023: assessment within 45 working days of the referral. */
  readonly assessment: Timescale;
  /** Working Together 2023: initial child protection conference within 15 working days of the strategy discussion. */
  readonly initialChildProtectionConference: Timescale;
}

const hours = (amount: number): Timescale => Object.freeze({ amount, unit: 'hours' });
const workingHours = (amount: number): Timescale => Object.freeze({ amount, unit: 'working-hours' });
const workingDays = (amount: number): Timescale => Object.freeze({ amount, unit: 'working-days' });

/**
 * config: defaults. Red runs around the clock (2 hours for partner information, decision within
 * 8 hours: the longest around-the-clock span never later than one working day, the shortest of
 * which is an 8-hour office day, so a red is never due after a green received at the same
 * moment); amber and green run in working time. Green's "24 hours" is read as one working day:
 * 24 working hours would be three office days and outrun the one-working-day decision deadline.
 */
export const DEFAULT_FRONT_DOOR_TIMESCALES: FrontDoorTimescales = Object.freeze({
  screening: workingHours(2),
  enquiries: Object.freeze({ red: hours(2), amber: workingHours(6), green: workingDays(1), blue: null }),
  decision: Object.freeze({
    unscreened: workingDays(1),
    red: hours(8),
    amber: workingDays(1),
    green: workingDays(1),
    blue: workingDays(1),
  }),
  dashAwaited: Object.freeze({ due: hours(24), escalateAfter: hours(24) }),
  assessment: workingDays(45),
  initialChildProtectionConference: workingDays(15),
});

/** The instant a timescale ends, counted from `from`. */
export function addTimescale(
  from: Date,
  timescale: Timescale,
  calendar: WorkingCalendar = DEFAULT_WORKING_CALENDAR,
): Date {
  if (!Number.isFinite(timescale.amount) || timescale.amount < 0) {
    throw new RangeError(`Timescale amount must be ≥ 0, got ${timescale.amount}`);
  }
  switch (timescale.unit) {
    case 'hours':
      return new Date(from.getTime() + Math.round(timescale.amount * 3_600_000));
    case 'working-hours':
      return addWorkingTime(from, Math.round(timescale.amount * 3_600_000), calendar);
    case 'working-days':
      return addWorkingDays(from, timescale.amount, calendar);
  }
}

export interface FrontDoorClockInput {
  readonly receivedAt: Date;
  /** Absent while the contact is waiting to be screened. */
  readonly rag?: Rag;
  /** When the RAG was set; enquiries run from here, or from receipt if not given. */
  readonly screenedAt?: Date;
}

export interface FrontDoorDeadlines {
  /** Only while unscreened: when the RAG rating is due. */
  readonly screeningDueAt?: Date;
  /** When partner agencies' information is due; absent while unscreened and for blue. */
  readonly enquiriesDueAt?: Date;
  readonly decisionDueAt: Date;
}

export function deadlinesFor(
  input: FrontDoorClockInput,
  timescales: FrontDoorTimescales = DEFAULT_FRONT_DOOR_TIMESCALES,
  calendar: WorkingCalendar = DEFAULT_WORKING_CALENDAR,
): FrontDoorDeadlines {
  const { receivedAt, rag } = input;
  if (rag === undefined) {
    return {
      screeningDueAt: addTimescale(receivedAt, timescales.screening, calendar),
      decisionDueAt: addTimescale(receivedAt, timescales.decision.unscreened, calendar),
    };
  }
  if (!(RAG_RATINGS as readonly string[]).includes(rag)) throw new RangeError(`Unknown RAG rating "${rag}"`);
  const decisionDueAt = addTimescale(receivedAt, timescales.decision[rag], calendar);
  const enquiries = timescales.enquiries[rag];
  if (enquiries === null) return { decisionDueAt };
  return {
    enquiriesDueAt: addTimescale(input.screenedAt ?? receivedAt, enquiries, calendar),
    decisionDueAt,
  };
}

// --- showing a clock -----------------------------------------------------------------------

export type ClockState = 'on-time' | 'due-soon' | 'breached';

export interface ClockStatus {
  /** Negative once the deadline has passed. */
  readonly remainingMs: number;
  /** True only after the due instant; a deadline is met at the due instant itself. */
  readonly breached: boolean;
  readonly state: ClockState;
  /** e.g. "2 hours 10 minutes left", "Overdue by 1 hour", "Due now". */
  readonly label: string;
}

/** config: how close a deadline must be to show as "due soon" (default 1 hour). */
export const DEFAULT_DUE_SOON_MS = 3_600_000;

const MINUTE = 60_000;

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/**
 * A duration in words, to the two largest units, rounded down so that time left is never
 * overstated: 90 061 000 ms → "1 day 1 hour".
 */
export function describeDuration(ms: number): string {
  const totalMinutes = Math.floor(Math.abs(ms) / MINUTE);
  const days = Math.floor(totalMinutes / (24 * 60));
  const hoursPart = Math.floor((totalMinutes % (24 * 60)) / 60);
  const minutes = totalMinutes % 60;
  const parts: string[] = [];
  if (days > 0) parts.push(plural(days, 'day'));
  if (hoursPart > 0) parts.push(plural(hoursPart, 'hour'));
  if (minutes > 0 && days === 0) parts.push(plural(minutes, 'minute'));
  if (parts.length === 0) return 'less than a minute';
  return parts.slice(0, 2).join(' ');
}

export function clockStatus(dueAt: Date, now: Date, dueSoonMs: number = DEFAULT_DUE_SOON_MS): ClockStatus {
  const remainingMs = dueAt.getTime() - now.getTime();
  if (remainingMs < 0) {
    return {
      remainingMs,
      breached: true,
      state: 'breached',
      label: `Overdue by ${describeDuration(remainingMs)}`,
    };
  }
  const state: ClockState = remainingMs <= dueSoonMs ? 'due-soon' : 'on-time';
  if (remainingMs === 0) return { remainingMs, breached: false, state, label: 'Due now' };
  const words = describeDuration(remainingMs);
  const label = words === 'less than a minute' ? 'Less than a minute left' : `${words} left`;
  return { remainingMs, breached: false, state, label };
}

// --- "DASH awaited" ------------------------------------------------------------------------

export type DashAwaitedState = 'awaited' | 'overdue' | 'escalated';

export interface DashAwaitedClock {
  readonly dueAt: Date;
  /** After this the lapse goes to the next line of management. */
  readonly escalateAt: Date;
  readonly state: DashAwaitedState;
}

/**
 * Where a DAN that arrived with its risk assessment "to follow" stands: awaited until `dueAt`
 * (the submitting officer's supervisor is reminded then), escalated a further period later.
 */
export function dashAwaitedClock(
  awaitedSince: Date,
  now: Date,
  timescales: FrontDoorTimescales = DEFAULT_FRONT_DOOR_TIMESCALES,
  calendar: WorkingCalendar = DEFAULT_WORKING_CALENDAR,
): DashAwaitedClock {
  const dueAt = addTimescale(awaitedSince, timescales.dashAwaited.due, calendar);
  const escalateAt = addTimescale(dueAt, timescales.dashAwaited.escalateAfter, calendar);
  const t = now.getTime();
  const state: DashAwaitedState =
    t > escalateAt.getTime() ? 'escalated' : t > dueAt.getTime() ? 'overdue' : 'awaited';
  return { dueAt, escalateAt, state };
}
