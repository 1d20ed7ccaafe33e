import { DateTime } from 'luxon';
import {
  BUILT_IN_IDENTIFIER_TYPES,
  type IdentifierType,
  identifierProblem,
  normaliseIdentifierValue,
} from '../../domain/identifier-types.ts';
import { normaliseNhsNumber, normalisePostcode, normaliseUpn } from '../../domain/identifiers.ts';
import type { PersonRecord } from '../../domain/matching.ts';
import type { Sex } from '../../domain/sexes.ts';
import type { RelationshipBasis } from '../../platform/access.ts';
import type { FieldError } from '../../platform/errors.ts';
import { blockingKeysOf, currentFirst, type PersonFacts, primaryRecord } from './match-records.ts';

/**
 * A person as an agency or a partner system supplies them, and the checks it must pass before
 * anything is written.
 */
export type PersonKind = 'child' | 'unborn' | 'adult';
/** A built-in identifier type (nhs, upn, la, police, pnc, crn) or one the partnership defines. */
export type IdentifierScheme = string;

export interface NewPerson {
  kind: PersonKind;
  givenName: string;
  familyName: string;
  preferredName?: string;
  otherNames?: {
    givenName: string;
    familyName: string;
    kind: 'alias' | 'previous';
    validFrom?: string;
    validTo?: string;
  }[];
  dateOfBirth?: string;
  expectedDate?: string;
  sex?: Sex;
  gender?: string;
  ethnicity?: string;
  language?: string;
  disability?: string;
  identifiers?: { scheme: IdentifierScheme; value: string }[];
  addresses?: {
    line1: string;
    line2?: string;
    town?: string;
    postcode: string;
    fromDate?: string;
    toDate?: string;
  }[];
  contactDetails?: { kind: 'phone' | 'email'; value: string }[];
  /**
   * Agencies with a standing need to know (a school for its pupil, a GP for its patient), granted
   * by the acting principal when the record is created. A principal never grants one to its own
   * agency (docs/access.md).
   */
  relationships?: { agencyId: string; basis: RelationshipBasis }[];
  /** Without it the area comes from the current address's postcode. */
  areaId?: string;
}

/** Relationships between two people, each stored from one side (a parent row and a child row). */
export const RELATIONSHIP_KINDS = [
  'parent',
  'child',
  'step-parent',
  'step-child',
  'carer',
  'cared-for',
  'partner',
  'ex-partner',
  'sibling',
  'lives-with',
] as const;
export type RelationshipKind = (typeof RELATIONSHIP_KINDS)[number];

export function isRelationshipKind(kind: string): kind is RelationshipKind {
  return (RELATIONSHIP_KINDS as readonly string[]).includes(kind);
}

/** Domestic-abuse roles, one per person per incident. */
export const INCIDENT_ROLES = ['victim', 'perpetrator', 'suspect', 'child-in-household'] as const;
export type IncidentRole = (typeof INCIDENT_ROLES)[number];

export const PERSON_KINDS: readonly PersonKind[] = ['child', 'unborn', 'adult'];

/** Children in Need census ethnicity codes (DfE), with their descriptions. */
export const CIN_ETHNICITY_CODES: Readonly<Record<string, string>> = {
  WBRI: 'White British',
  WIRI: 'White Irish',
  WIRT: 'Traveller of Irish heritage',
  WOTH: 'Any other White background',
  WROM: 'Gypsy/Roma',
  MWBC: 'White and Black Caribbean',
  MWBA: 'White and Black African',
  MWAS: 'White and Asian',
  MOTH: 'Any other mixed background',
  AIND: 'Indian',
  APKN: 'Pakistani',
  ABAN: 'Bangladeshi',
  AOTH: 'Any other Asian background',
  BCRB: 'Black Caribbean',
  BAFR: 'Black African',
  BOTH: 'Any other Black background',
  CHNE: 'Chinese',
  OOTH: 'Any other ethnic group',
  REFU: 'Refused',
  NOBT: 'Information not yet obtained',
};

export function isCinEthnicity(code: string): boolean {
  return Object.hasOwn(CIN_ETHNICITY_CODES, code);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(value: string): boolean {
  return ISO_DATE.test(value) && DateTime.fromISO(value, { zone: 'utc' }).isValid;
}

/** Field-by-field checks; every problem is reported at once, named as the API caller named it. */
export function validateNewPerson(
  input: NewPerson,
  today: string,
  prefix = '',
  types: readonly IdentifierType[] = BUILT_IN_IDENTIFIER_TYPES,
): FieldError[] {
  const errors: FieldError[] = [];
  const f = (name: string) => `${prefix}${name}`;
  if (!input.givenName?.trim()) errors.push({ field: f('givenName'), message: 'Enter a given name' });
  if (!input.familyName?.trim()) errors.push({ field: f('familyName'), message: 'Enter a family name' });
  if (!PERSON_KINDS.includes(input.kind))
    errors.push({ field: f('kind'), message: 'Say whether this is a child, an unborn child or an adult' });
  if (input.ethnicity !== undefined && input.ethnicity !== '' && !isCinEthnicity(input.ethnicity))
    errors.push({
      field: f('ethnicity'),
      message: 'Ethnicity must be a Children in Need census code, like WBRI or MWBA',
    });
  (input.otherNames ?? []).forEach((name, i) => {
    if (!name.givenName?.trim() && !name.familyName?.trim())
      errors.push({ field: f(`otherNames[${i}].familyName`), message: 'Enter the other name' });
    for (const key of ['validFrom', 'validTo'] as const) {
      const value = name[key];
      if (value !== undefined && !validDate(value))
        errors.push({ field: f(`otherNames[${i}].${key}`), message: 'Must be a real date, YYYY-MM-DD' });
    }
  });
  if (input.dateOfBirth !== undefined) {
    if (!validDate(input.dateOfBirth))
      errors.push({ field: f('dateOfBirth'), message: 'Date of birth must be a real date, YYYY-MM-DD' });
    else if (input.dateOfBirth > today)
      errors.push({ field: f('dateOfBirth'), message: 'Date of birth must be today or in the past' });
    else if (input.dateOfBirth < '1900-01-01')
      errors.push({ field: f('dateOfBirth'), message: 'Date of birth must be after 1900' });
  }
  if (input.kind === 'unborn') {
    if (input.dateOfBirth)
      errors.push({
        field: f('dateOfBirth'),
        message: 'An unborn child has an expected date, not a date of birth',
      });
    if (!input.expectedDate)
      errors.push({
        field: f('expectedDate'),
        message: 'Enter the expected date of birth for an unborn child',
      });
  }
  if (input.expectedDate !== undefined && !validDate(input.expectedDate)) {
    errors.push({ field: f('expectedDate'), message: 'Expected date must be a real date, YYYY-MM-DD' });
  }
  (input.identifiers ?? []).forEach((id, i) => {
    const type = types.find((t) => t.scheme === id.scheme);
    if (!type) {
      errors.push({
        field: f(`identifiers[${i}].scheme`),
        message: `Identifier type must be one of ${types.map((t) => t.scheme).join(', ')}`,
      });
      return;
    }
    const problem = identifierProblem(type, id.value);
    if (problem) errors.push({ field: f(`identifiers[${i}].value`), message: problem });
  });
  (input.addresses ?? []).forEach((address, i) => {
    if (!normalisePostcode(address.postcode ?? ''))
      errors.push({
        field: f(`addresses[${i}].postcode`),
        message: 'Enter a real UK postcode, like NB1 4AA',
      });
    if (!address.line1?.trim())
      errors.push({ field: f(`addresses[${i}].line1`), message: 'Enter the first line of the address' });
    for (const key of ['fromDate', 'toDate'] as const) {
      const value = address[key];
      if (value !== undefined && !validDate(value))
        errors.push({ field: f(`addresses[${i}].${key}`), message: 'Must be a real date, YYYY-MM-DD' });
    }
  });
  return errors;
}

export function normaliseIdentifier(scheme: IdentifierScheme, value: string): string {
  if (scheme === 'nhs') return normaliseNhsNumber(value) ?? value;
  if (scheme === 'upn') return normaliseUpn(value) ?? value;
  return normaliseIdentifierValue(
    BUILT_IN_IDENTIFIER_TYPES.find((t) => t.scheme === scheme),
    value,
  );
}

/** The matcher's view of a new person (identifiers normalised first). */
export function factsOfInput(input: NewPerson): PersonFacts {
  const addresses = currentFirst(input.addresses ?? []).map((a) => ({
    line1: a.line1.trim(),
    postcode: normalisePostcode(a.postcode) ?? a.postcode,
  }));
  const otherNames = (input.otherNames ?? []).map((n) => ({
    givenName: n.givenName.trim(),
    familyName: n.familyName.trim(),
  }));
  if (input.preferredName?.trim())
    otherNames.push({ givenName: input.preferredName.trim(), familyName: input.familyName.trim() });
  return {
    givenName: input.givenName.trim(),
    familyName: input.familyName.trim(),
    dateOfBirth: input.dateOfBirth ?? null,
    expectedDate: input.expectedDate ?? null,
    sex: input.sex ?? null,
    otherNames,
    addresses,
    identifiers: (input.identifiers ?? []).map((i) => ({
      scheme: i.scheme,
      value: normaliseIdentifier(i.scheme, i.value),
    })),
  };
}

/** The blocking keys the people service stores for this input: bulk loaders must store the same. */
export function blockingKeysOfInput(input: NewPerson): string[] {
  return blockingKeysOf(factsOfInput(input));
}

/** The matching engine's view of a new person. */
export function matchRecordOf(input: NewPerson): PersonRecord {
  return primaryRecord(factsOfInput(input));
}
