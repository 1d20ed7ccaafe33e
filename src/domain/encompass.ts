/**
 * Operation Encompass rules (Domestic Abuse Act 2021 s49A; Home Office statutory guidance, Nov 2025):
 * which children on a domestic abuse notification are of school age, where each one's notice
 * goes, the school-day calendar an area's notices are due by, and a school's record as imported
 * from the DfE's "Get Information about Schools" extract. Pure: no I/O.
 */

import { DateTime } from 'luxon';
import { createSchoolCalendar, type SchoolCalendar, type SchoolTerm } from './calendar.ts';
import { TIME_ZONE } from './time-zone.ts';

export interface SchoolAgeRule {
  /**
   * A child is in reception in the school year (1 September to 31 August) that starts after they
   * turn this age: 4 in England, so a child is "of school age" here from reception.
   */
  readonly receptionAgeOnAugust31: number;
  /** The oldest age that still gets a notice (17: the guidance covers children to 18). */
  readonly maximumAge: number;
}

/** config: reception to 17 (encompass.schoolAge). */
export const DEFAULT_SCHOOL_AGE: SchoolAgeRule = Object.freeze({ receptionAgeOnAugust31: 4, maximumAge: 17 });

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function ageOn(dateOfBirth: DateTime, on: DateTime): number {
  return Math.floor(on.diff(dateOfBirth, 'years').years);
}

/** The 31 August before the school year that `on` falls in. */
function augustBeforeSchoolYear(on: DateTime): DateTime {
  const startYear = on.month >= 9 ? on.year : on.year - 1;
  return DateTime.fromObject({ year: startYear, month: 8, day: 31 }, { zone: TIME_ZONE });
}

/**
 * Whether a child is of school age on the local date of an incident: in reception or above
 * (old enough on the 31 August before this school year began) and no older than the maximum.
 * An unknown date of birth is decided by the caller (a named school says the child attends).
 */
export function isSchoolAge(
  dateOfBirth: string,
  onDate: string,
  rule: SchoolAgeRule = DEFAULT_SCHOOL_AGE,
): boolean {
  if (!ISO_DATE.test(dateOfBirth) || !ISO_DATE.test(onDate)) throw new RangeError('Dates must be YYYY-MM-DD');
  const born = DateTime.fromISO(dateOfBirth, { zone: TIME_ZONE });
  const on = DateTime.fromISO(onDate, { zone: TIME_ZONE });
  if (!born.isValid || !on.isValid) throw new RangeError('Not a date');
  if (born > on) return false;
  if (ageOn(born, augustBeforeSchoolYear(on)) < rule.receptionAgeOnAugust31) return false;
  return ageOn(born, on) <= rule.maximumAge;
}

/** What a notification says of one child's education, as the notice needs it. */
export interface ChildEducation {
  /** The child is unborn: never a notice. */
  readonly unborn?: boolean;
  readonly dateOfBirth: string | null;
  readonly homeEducated?: boolean;
  /** The school the notification names, when it is a Harbour school agency. */
  readonly namedSchoolAgencyId?: string | null;
  /** A school named by name only: not one of the partnership's. */
  readonly namedSchoolOutsidePartnership?: boolean;
  /** The school the child is on the roll of, from their record (a current school-on-roll relationship). */
  readonly schoolOnRollAgencyIds?: readonly string[];
}

export type NoticeAddressee =
  | { readonly kind: 'school'; readonly schoolAgencyId: string; readonly source: 'notification' | 'record' }
  | {
      readonly kind: 'local-authority';
      readonly reason: 'home-educated' | 'no-school' | 'school-outside-partnership';
    };

/**
 * Who is told about a child: null when the child is not of school age (no notice), else the
 * school on roll (the notification's, then the record's), else the local authority's education
 * safeguarding officer with the reason.
 */
export function noticeAddressee(
  child: ChildEducation,
  incidentDate: string,
  rule: SchoolAgeRule = DEFAULT_SCHOOL_AGE,
): NoticeAddressee | null {
  if (child.unborn) return null;
  const namesSchool = Boolean(child.namedSchoolAgencyId || child.namedSchoolOutsidePartnership);
  if (child.dateOfBirth) {
    if (!isSchoolAge(child.dateOfBirth, incidentDate, rule)) return null;
  } else if (!namesSchool && !child.homeEducated) {
    // With neither a date of birth nor a school, nothing says the child is of school age.
    return null;
  }
  if (child.homeEducated) return { kind: 'local-authority', reason: 'home-educated' };
  if (child.namedSchoolAgencyId)
    return { kind: 'school', schoolAgencyId: child.namedSchoolAgencyId, source: 'notification' };
  if (child.namedSchoolOutsidePartnership)
    return { kind: 'local-authority', reason: 'school-outside-partnership' };
  const onRoll = child.schoolOnRollAgencyIds?.[0];
  if (onRoll) return { kind: 'school', schoolAgencyId: onRoll, source: 'record' };
  return { kind: 'local-authority', reason: 'no-school' };
}

/** An area's school year as configured: term dates, INSET (training) days and other closures. */
export interface AreaSchoolYear {
  readonly dayStarts: string;
  readonly schoolDays: readonly (1 | 2 | 3 | 4 | 5 | 6 | 7)[];
  readonly terms: readonly SchoolTerm[];
  readonly insetDays: readonly string[];
  readonly closures: readonly string[];
}

/**
 * The school calendar notices in an area are due by: half terms and holidays are the gaps
 * between terms, INSET days and closures are not school days, weekends and bank holidays never are.
 */
export function areaSchoolCalendar(year: AreaSchoolYear): SchoolCalendar {
  const terms = [...year.terms].sort((a, b) => a.start.localeCompare(b.start));
  return createSchoolCalendar({
    dayStarts: year.dayStarts,
    schoolDays: year.schoolDays,
    terms,
    closures: [...new Set([...year.insetDays, ...year.closures])].sort(),
  });
}

/** A release time that still meets the deadline: officer review may hold a notice until then. */
export function releaseDeadline(dueBy: Date, releaseBeforeDueMinutes: number): Date {
  return new Date(dueBy.getTime() - releaseBeforeDueMinutes * 60_000);
}

export type EscalationStage = 'deputy' | 'local-authority';

/** The escalation a notice unacknowledged at `now` has reached, counting from its due time. */
export function escalationStage(
  dueBy: Date,
  now: Date,
  rule: { deputyAfterMinutes: number; localAuthorityAfterMinutes: number },
): EscalationStage | null {
  const late = (now.getTime() - dueBy.getTime()) / 60_000;
  if (late >= rule.localAuthorityAfterMinutes) return 'local-authority';
  if (late >= rule.deputyAfterMinutes) return 'deputy';
  return null;
}

// --- the DfE "Get Information about Schools" extract -----------------------------------------

export const SCHOOL_PHASES = {
  nursery: 'Nursery',
  primary: 'Primary',
  'middle-deemed-primary': 'Middle deemed primary',
  secondary: 'Secondary',
  'middle-deemed-secondary': 'Middle deemed secondary',
  '16-plus': '16 plus',
  'all-through': 'All-through',
  'not-applicable': 'Not applicable',
} as const;

export type SchoolPhase = keyof typeof SCHOOL_PHASES;

const PHASE_BY_NAME = new Map<string, SchoolPhase>(
  (Object.entries(SCHOOL_PHASES) as [SchoolPhase, string][]).map(([k, v]) => [v.toLowerCase(), k]),
);

export function phaseFromName(name: string): SchoolPhase | null {
  return PHASE_BY_NAME.get(name.trim().toLowerCase()) ?? null;
}

export interface SchoolRecord {
  readonly urn: string;
  readonly name: string;
  readonly phase: SchoolPhase;
  readonly statutoryLowAge: number;
  readonly statutoryHighAge: number;
  readonly postcode: string;
}

const URN = /^\d{6,7}$/;
const POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i;

/** One row of the extract as a school, or every problem with it (named by column). */
export function schoolFromGiasRow(
  row: Readonly<Record<string, string | undefined>>,
): SchoolRecord | string[] {
  const get = (k: string) => (row[k] ?? '').trim();
  const problems: string[] = [];
  const urn = get('URN');
  if (!URN.test(urn)) problems.push('URN must be a 6 or 7 digit number');
  const name = get('EstablishmentName');
  if (!name) problems.push('EstablishmentName is empty');
  else if (name.length > 200) problems.push('EstablishmentName is longer than 200 characters');
  const phase = phaseFromName(get('PhaseOfEducation (name)'));
  if (!phase)
    problems.push(`PhaseOfEducation (name) must be one of: ${Object.values(SCHOOL_PHASES).join(', ')}`);
  const low = Number(get('StatutoryLowAge'));
  const high = Number(get('StatutoryHighAge'));
  if (!get('StatutoryLowAge') || !Number.isInteger(low) || low < 0 || low > 25)
    problems.push('StatutoryLowAge must be a whole number of years');
  if (!get('StatutoryHighAge') || !Number.isInteger(high) || high < 0 || high > 25)
    problems.push('StatutoryHighAge must be a whole number of years');
  else if (Number.isInteger(low) && high < low) problems.push('StatutoryHighAge is below StatutoryLowAge');
  const postcode = get('Postcode').toUpperCase();
  if (!POSTCODE.test(postcode)) problems.push('Postcode is not a UK postcode');
  if (problems.length > 0 || !phase) return problems;
  return { urn, name, phase, statutoryLowAge: low, statutoryHighAge: high, postcode };
}

/** The agency code a school imported by URN is given (stable across re-imports). */
export function schoolAgencyCode(urn: string): string {
  return `school-urn-${urn}`;
}
