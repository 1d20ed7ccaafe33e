/**
 * The kinds of identifier an agency can send with a person: the national ones Harbour knows, and
 * any a partnership defines in its settings (matching.identifierTypes) with its own validation
 * pattern and weight. Each has the evidence weights matching gives an agreement or a conflict:
 * m is the chance one child's two records carry the same value, u the chance two children's do.
 */
import { isValidNhsNumber, isValidUpn } from './identifiers.ts';

export interface IdentifierType {
  /** Lower-case name sent in the API (`scheme`), e.g. `pnc`. */
  scheme: string;
  label: string;
  /** A regular expression the whole value must match (after trimming), when not check-digit validated. */
  pattern?: string;
  /** Validated by its check digit or letter rather than a pattern. */
  check?: 'nhs' | 'upn';
  /** Shown when a value does not fit. */
  hint: string;
  m: number;
  u: number;
}

export const SCHEME_PATTERN = '^[a-z][a-z0-9-]{1,30}$';

export const BUILT_IN_IDENTIFIER_TYPES: readonly IdentifierType[] = [
  {
    scheme: 'nhs',
    label: 'NHS number',
    check: 'nhs',
    hint: '10 digits with a correct check digit',
    m: 0.97,
    u: 1e-7,
  },
  {
    scheme: 'upn',
    label: 'Unique pupil number',
    check: 'upn',
    hint: '13 characters with a correct check letter',
    m: 0.95,
    u: 1e-6,
  },
  { scheme: 'la', label: 'Local authority person id', hint: 'the council’s own reference', m: 0.9, u: 1e-6 },
  {
    scheme: 'police',
    label: 'Police force person reference',
    hint: 'the force’s own reference',
    m: 0.9,
    u: 1e-6,
  },
  {
    scheme: 'pnc',
    label: 'Police National Computer id',
    // Year of creation, a slash, a serial number and a check letter: 2019/0123456X or 19/123456X.
    pattern: '^(\\d{2}|\\d{4})/\\d{1,7}[A-Z]$',
    hint: 'year, slash, serial number and check letter, like 2019/0123456X',
    m: 0.9,
    u: 1e-7,
  },
  {
    scheme: 'crn',
    label: 'Probation case reference number',
    pattern: '^[A-Z]\\d{6}$',
    hint: 'a letter and six digits, like X123456',
    m: 0.9,
    u: 1e-7,
  },
];

/** The built-in types followed by the partnership's own (which may not reuse a built-in scheme). */
export function identifierTypes(custom: readonly IdentifierType[] = []): IdentifierType[] {
  return [...BUILT_IN_IDENTIFIER_TYPES, ...custom];
}

const compiled = new Map<string, RegExp>();

function regex(pattern: string): RegExp {
  let value = compiled.get(pattern);
  if (!value) {
    value = new RegExp(pattern, 'u');
    compiled.set(pattern, value);
  }
  return value;
}

/** The canonical form stored and compared: trimmed, upper-case without spaces for patterned types. */
export function normaliseIdentifierValue(type: IdentifierType | undefined, value: string): string {
  const trimmed = value.trim();
  if (!type) return trimmed;
  if (type.check === 'nhs') return trimmed.replace(/[\s-]/g, '');
  if (type.check === 'upn' || type.pattern) return trimmed.replace(/\s/g, '').toUpperCase();
  return trimmed;
}

/** Why a value is not a valid identifier of this type, or null when it is. */
export function identifierProblem(type: IdentifierType, value: string): string | null {
  const normalised = normaliseIdentifierValue(type, value);
  if (normalised === '') return `Enter the ${type.label}`;
  const valid =
    type.check === 'nhs'
      ? isValidNhsNumber(normalised)
      : type.check === 'upn'
        ? isValidUpn(normalised)
        : type.pattern
          ? regex(type.pattern).test(normalised)
          : true;
  return valid ? null : `${type.label} is not valid: it must be ${type.hint}`;
}

/** A pattern a partnership wrote in its settings: null when it compiles, else why not. */
export function patternProblem(pattern: string): string | null {
  try {
    new RegExp(pattern, 'u');
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
