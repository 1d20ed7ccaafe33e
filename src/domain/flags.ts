/**
 * Flags as data (finding F19): a short, shareable statement that a person is known to the
 * partnership in a way an unscheduled-care clinician must know about — a child-protection plan,
 * looked after, a MARAC discussion — with whom to call. Pure rules: the built-in types, who may
 * raise each, and the checks on a flag's dates. Partnerships add their own types (settings).
 */
import type { AgencyKind } from './agency-kinds.ts';

export type PersonKind = 'child' | 'unborn' | 'adult';

export interface FlagTypeDefinition {
  code: string;
  label: string;
  /** Agency kinds whose staff or systems may raise and end the flag (the owning service). */
  raisedBy: readonly AgencyKind[];
  /** Kinds of person the flag may be raised on. */
  appliesTo: readonly PersonKind[];
  /** A SNOMED CT concept for the FHIR Flag's code, where a suitable one exists. */
  snomed?: { code: string; display: string };
}

const CHILD = ['child', 'unborn'] as const;
const ANYONE = ['child', 'unborn', 'adult'] as const;

export const BUILT_IN_FLAG_TYPES: readonly FlagTypeDefinition[] = [
  {
    code: 'child-protection-plan',
    label: 'Child protection plan',
    raisedBy: ['childrens_social_care'],
    appliesTo: CHILD,
    snomed: { code: '1110121000000104', display: 'Subject of child protection plan' },
  },
  {
    code: 'looked-after',
    label: 'Looked-after child',
    raisedBy: ['childrens_social_care'],
    appliesTo: CHILD,
    snomed: { code: '1110131000000102', display: 'Looked after child' },
  },
  {
    code: 'child-in-need',
    label: 'Child in need',
    raisedBy: ['childrens_social_care'],
    appliesTo: CHILD,
  },
  {
    code: 'marac',
    label: 'Discussed at MARAC',
    raisedBy: ['childrens_social_care', 'police', 'idva_service'],
    appliesTo: ANYONE,
  },
  {
    code: 'domestic-abuse-household',
    label: 'Domestic abuse in the household',
    raisedBy: ['childrens_social_care', 'early_help', 'police', 'idva_service'],
    appliesTo: ANYONE,
  },
];

export const BUILT_IN_FLAG_CODES = BUILT_IN_FLAG_TYPES.map((t) => t.code);

/** The built-in types and the partnership's own, the partnership's after (codes are unique). */
export function flagTypes(partnershipTypes: readonly FlagTypeDefinition[] = []): FlagTypeDefinition[] {
  return [...BUILT_IN_FLAG_TYPES, ...partnershipTypes];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(value: string | undefined): value is string {
  if (!value || !ISO_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export const CONTACT_MAX = 300;
export const REASON_MAX = 1000;

export interface FlagProblem {
  field: 'type' | 'start' | 'review' | 'contact' | 'end' | 'reason';
  message: string;
}

/** The problem with a required free-text answer, if any: missing, or longer than `max` once trimmed. */
function textProblems(
  field: 'contact' | 'reason',
  value: string | undefined,
  max: number,
  missing: string,
): FlagProblem[] {
  const text = value?.trim() ?? '';
  if (!text) return [{ field, message: missing }];
  const label = `${field.charAt(0).toUpperCase()}${field.slice(1)}`;
  if (text.length > max) return [{ field, message: `${label} must be ${max} characters or fewer` }];
  return [];
}

/** Every problem with a flag to be raised, in the order a form asks (type, start, review, contact). */
export function checkNewFlag(
  input: { type?: string; start?: string; review?: string | undefined; contact?: string },
  types: readonly FlagTypeDefinition[],
  personKind: PersonKind | null,
): FlagProblem[] {
  const problems: FlagProblem[] = [];
  const type = types.find((t) => t.code === input.type);
  if (!type) problems.push({ field: 'type', message: 'Choose the type of flag' });
  else if (personKind && !type.appliesTo.includes(personKind))
    problems.push({
      field: 'type',
      message: `A ${type.label.toLowerCase()} flag cannot be raised on an ${personKind === 'adult' ? 'adult' : 'child'}`,
    });
  if (!isIsoDate(input.start)) problems.push({ field: 'start', message: 'Enter a real start date' });
  if (input.review !== undefined && input.review !== '') {
    if (!isIsoDate(input.review)) problems.push({ field: 'review', message: 'Enter a real review date' });
    else if (isIsoDate(input.start) && input.review < input.start)
      problems.push({ field: 'review', message: 'The review date must be on or after the start date' });
  }
  problems.push(...textProblems('contact', input.contact, CONTACT_MAX, 'Enter whom to call about this flag'));
  return problems;
}

/** Every problem with ending a flag that started on `start`. */
export function checkFlagEnd(input: { end?: string; reason?: string }, start: string): FlagProblem[] {
  const problems: FlagProblem[] = [];
  if (!isIsoDate(input.end)) problems.push({ field: 'end', message: 'Enter a real end date' });
  else if (input.end < start)
    problems.push({ field: 'end', message: 'The end date must be on or after the date the flag started' });
  problems.push(...textProblems('reason', input.reason, REASON_MAX, 'Enter why the flag is ending'));
  return problems;
}

/** A flag is active from its start until its end (exclusive of a day after the end date). */
export function isFlagActive(flag: { start: string; end: string | null }, today: string): boolean {
  return flag.start <= today && (flag.end === null || flag.end >= today);
}
