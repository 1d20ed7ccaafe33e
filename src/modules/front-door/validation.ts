import { DateTime } from 'luxon';
import { isValidNhsNumber, isValidUpn, normalisePostcode } from '../../domain/identifiers.ts';
import { isRiskLevel } from '../../domain/instruments/bands.ts';
import { rateDan } from '../../domain/risk/dan-rating.ts';
import { TIME_ZONE } from '../../domain/time-zone.ts';
import type { FieldError } from '../../platform/errors.ts';
import type {
  AddressInput,
  ChildInput,
  ConsentInput,
  ContactInput,
  DanChildInput,
  DanInput,
  PersonDetailsInput,
} from './types.ts';
import {
  DASH_STATUSES,
  EARLY_HELP_RESPONSES,
  isConcern,
  isContactSource,
  REPORTED_BY,
} from './vocabulary.ts';

/**
 * Field checks for contacts and DANs, shared by the API and the web forms. Each function takes
 * the prefix its fields are named under, so the API reports `children[1].dateOfBirth` and a form
 * page reports `dateOfBirth`. Every problem is reported at once.
 */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const TEXT_MAX = 10_000;

const blank = (value: unknown) => typeof value !== 'string' || value.trim() === '';

function isRealDate(value: string): boolean {
  return ISO_DATE.test(value) && DateTime.fromISO(value, { zone: 'utc' }).isValid;
}

export function todayIn(now: Date): string {
  return DateTime.fromJSDate(now).setZone(TIME_ZONE).toISODate()!;
}

function checkLength(errors: FieldError[], field: string, value: unknown, label: string, max = TEXT_MAX) {
  if (typeof value === 'string' && value.length > max)
    errors.push({ field, message: `${label} must be ${max} characters or fewer` });
}

export function validateAddress(
  address: AddressInput | undefined,
  prefix: string,
  label: string,
): FieldError[] {
  const errors: FieldError[] = [];
  if (!address) return [{ field: `${prefix}line1`, message: `Enter the ${label}` }];
  if (blank(address.line1))
    errors.push({ field: `${prefix}line1`, message: `Enter the first line of the ${label}` });
  if (blank(address.postcode))
    errors.push({ field: `${prefix}postcode`, message: `Enter the postcode of the ${label}` });
  else if (!normalisePostcode(address.postcode))
    errors.push({ field: `${prefix}postcode`, message: 'Enter a real UK postcode, like NB1 4AA' });
  return errors;
}

export function validatePersonDetails(
  person: PersonDetailsInput | undefined,
  prefix: string,
  who: string,
  today: string,
): FieldError[] {
  const errors: FieldError[] = [];
  if (!person) return [{ field: `${prefix}givenName`, message: `Enter the ${who}’s details` }];
  if (blank(person.givenName))
    errors.push({ field: `${prefix}givenName`, message: `Enter the ${who}’s first name` });
  if (blank(person.familyName))
    errors.push({ field: `${prefix}familyName`, message: `Enter the ${who}’s last name` });
  checkLength(errors, `${prefix}givenName`, person.givenName, 'First name', 100);
  checkLength(errors, `${prefix}familyName`, person.familyName, 'Last name', 100);
  if (person.dateOfBirth !== undefined && person.dateOfBirth !== '') {
    if (!isRealDate(person.dateOfBirth))
      errors.push({
        field: `${prefix}dateOfBirth`,
        message: `The ${who}’s date of birth must be a real date`,
      });
    else if (person.dateOfBirth > today)
      errors.push({
        field: `${prefix}dateOfBirth`,
        message: `The ${who}’s date of birth must be in the past`,
      });
    else if (person.dateOfBirth < '1900-01-01')
      errors.push({
        field: `${prefix}dateOfBirth`,
        message: `The ${who}’s date of birth must be after 1900`,
      });
  }
  if (person.nhsNumber && !isValidNhsNumber(person.nhsNumber))
    errors.push({
      field: `${prefix}nhsNumber`,
      message: 'NHS number must be 10 digits with a correct check digit',
    });
  if (person.address)
    errors.push(...validateAddress(person.address, `${prefix}address.`, `${who}’s address`));
  return errors;
}

export function validateChild(
  child: ChildInput | undefined,
  prefix: string,
  today: string,
  ordinal: string,
): FieldError[] {
  const who = `${ordinal} child`;
  if (!child) return [{ field: `${prefix}givenName`, message: `Enter the ${who}’s details` }];
  const errors = validatePersonDetails(child, prefix, who, today);
  if (child.unborn) {
    if (child.dateOfBirth)
      errors.push({
        field: `${prefix}dateOfBirth`,
        message: 'An unborn child has an expected date, not a date of birth',
      });
    if (blank(child.expectedDate))
      errors.push({ field: `${prefix}expectedDate`, message: `Enter the ${who}’s expected date of birth` });
    else if (!isRealDate(child.expectedDate!))
      errors.push({ field: `${prefix}expectedDate`, message: 'Expected date must be a real date' });
  } else if (blank(child.dateOfBirth)) {
    errors.push({ field: `${prefix}dateOfBirth`, message: `Enter the ${who}’s date of birth` });
  }
  if (child.upn && !isValidUpn(child.upn))
    errors.push({
      field: `${prefix}upn`,
      message: 'Unique pupil number must be 13 characters with a correct check letter',
    });
  return errors;
}

const yesNo = (value: unknown) => typeof value === 'boolean';

export function validateDanChild(
  child: DanChildInput | undefined,
  prefix: string,
  today: string,
  ordinal: string,
): FieldError[] {
  const errors = validateChild(child, prefix, today, ordinal);
  if (!child) return errors;
  const who = `the ${ordinal} child`;
  if (!yesNo(child.livesAtAddress))
    errors.push({ field: `${prefix}livesAtAddress`, message: `Select whether ${who} lives at the address` });
  if (!yesNo(child.present))
    errors.push({ field: `${prefix}present`, message: `Select whether ${who} was present` });
  if (!yesNo(child.witnessed))
    errors.push({ field: `${prefix}witnessed`, message: `Select whether ${who} saw or heard the incident` });
  if (!yesNo(child.injured))
    errors.push({ field: `${prefix}injured`, message: `Select whether ${who} was injured` });
  if (child.injured && blank(child.injuryDetails))
    errors.push({ field: `${prefix}injuryDetails`, message: `Describe ${who}’s injuries` });
  for (const key of ['childSaid', 'wishesAndFeelings', 'livedExperience', 'injuryDetails'] as const)
    checkLength(errors, `${prefix}${key}`, child[key], 'This answer');
  return errors;
}

export function validateConsent(consent: ConsentInput | undefined, prefix: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!consent || !yesNo(consent.asked)) {
    return [{ field: `${prefix}asked`, message: 'Select whether consent to share was asked for' }];
  }
  if (consent.asked && !yesNo(consent.given))
    errors.push({ field: `${prefix}given`, message: 'Select whether consent to share was given' });
  if ((!consent.asked || consent.given === false) && blank(consent.reasonSharingWithoutConsent))
    errors.push({
      field: `${prefix}reasonSharingWithoutConsent`,
      message: 'Give the reason for sharing without consent',
    });
  checkLength(
    errors,
    `${prefix}reasonSharingWithoutConsent`,
    consent.reasonSharingWithoutConsent,
    'The reason',
  );
  return errors;
}

export function validateIncident(incident: DanInput['incident'] | undefined, now: Date): FieldError[] {
  const errors: FieldError[] = [];
  if (!incident) return [{ field: 'incident.policeReference', message: 'Enter the incident details' }];
  if (blank(incident.policeReference))
    errors.push({ field: 'incident.policeReference', message: 'Enter the police incident reference' });
  checkLength(errors, 'incident.policeReference', incident.policeReference, 'The reference', 40);
  const occurred = incident.occurredAt ? new Date(incident.occurredAt) : null;
  if (!occurred || Number.isNaN(occurred.getTime()))
    errors.push({ field: 'incident.occurredAt', message: 'Enter the date and time of the incident' });
  else if (occurred.getTime() > now.getTime())
    errors.push({ field: 'incident.occurredAt', message: 'The incident must be in the past' });
  errors.push(...validateAddress(incident.location, 'incident.location.', 'incident address'));
  if (blank(incident.circumstances))
    errors.push({ field: 'incident.circumstances', message: 'Describe the circumstances of the incident' });
  checkLength(errors, 'incident.circumstances', incident.circumstances, 'Circumstances');
  if (incident.reportedBy !== undefined && !Object.hasOwn(REPORTED_BY, incident.reportedBy))
    errors.push({ field: 'incident.reportedBy', message: 'Choose who reported the incident from the list' });
  return errors;
}

export function validateRisk(risk: DanInput['risk'] | undefined): FieldError[] {
  const errors: FieldError[] = [];
  if (!risk)
    return [{ field: 'risk.dashStatus', message: 'Select whether the DASH risk assessment was completed' }];
  if (!Object.hasOwn(DASH_STATUSES, risk.dashStatus ?? ''))
    errors.push({
      field: 'risk.dashStatus',
      message: 'Select whether the DASH risk assessment was completed',
    });
  if (risk.dashStatus === 'completed' && risk.dashScore === undefined && blank(risk.dashReference))
    errors.push({
      field: 'risk.dashScore',
      message: 'Enter the DASH score or the reference of the completed assessment',
    });
  if (
    risk.dashScore !== undefined &&
    (!Number.isInteger(risk.dashScore) || risk.dashScore < 0 || risk.dashScore > 27)
  )
    errors.push({ field: 'risk.dashScore', message: 'DASH score must be a whole number from 0 to 27' });
  if (!isRiskLevel(risk.officerRiskGrade))
    errors.push({
      field: 'risk.officerRiskGrade',
      message: 'Select the officer’s risk grade: standard, medium or high',
    });
  else if (Number.isInteger(risk.dashScore) && risk.dashScore! >= 0 && risk.dashScore! <= 27) {
    const rating = rateDan({ dashScore: risk.dashScore, officerRiskGrade: risk.officerRiskGrade });
    if (rating.gradeBelowBand && blank(risk.gradeReason))
      errors.push({
        field: 'risk.gradeReason',
        message: `Give the reason for grading the risk ${rating.officerGrade} when the DASH score of ${risk.dashScore} is ${rating.band} risk`,
      });
  }
  checkLength(errors, 'risk.gradeReason', risk.gradeReason, 'The reason for the grade', 1000);
  return errors;
}

export function validateEarlyHelp(earlyHelp: DanInput['earlyHelp'] | undefined): FieldError[] {
  if (!earlyHelp || !yesNo(earlyHelp.offered))
    return [{ field: 'earlyHelp.offered', message: 'Select whether early help was offered' }];
  if (earlyHelp.offered && !Object.hasOwn(EARLY_HELP_RESPONSES, earlyHelp.response ?? ''))
    return [
      { field: 'earlyHelp.response', message: 'Select the family’s response to the offer of early help' },
    ];
  return [];
}

export const ORDINALS = [
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
];
export const ordinal = (index: number) => ORDINALS[index] ?? `number ${index + 1}`;

export const MAX_CHILDREN = 15;
export const MAX_ADULTS = 10;

/**
 * Nobody named in an incident was born after it. Checked here, on the field the caller sent,
 * rather than left to the chronology, which would refuse the person's event as `events[n].occurredAt`.
 */
function bornAfterIncident(input: DanInput): FieldError[] {
  const occurred = input.incident?.occurredAt ? new Date(input.incident.occurredAt) : null;
  if (!occurred || Number.isNaN(occurred.getTime())) return [];
  const incidentDay = todayIn(occurred);
  const named: { person: PersonDetailsInput | undefined; prefix: string; who: string }[] = [
    { person: input.victim, prefix: 'victim.', who: 'victim' },
    ...(input.suspects ?? []).map((person, i) => ({
      person,
      prefix: `suspects[${i}].`,
      who: `${ordinal(i)} suspect`,
    })),
    ...(Array.isArray(input.children) ? input.children : [])
      .map((person, i) => ({ person, prefix: `children[${i}].`, who: `${ordinal(i)} child` }))
      .filter(({ person }) => !person?.unborn),
  ];
  return named
    .filter(({ person }) => typeof person?.dateOfBirth === 'string' && isRealDate(person.dateOfBirth))
    .filter(({ person }) => person!.dateOfBirth! > incidentDay)
    .map(({ prefix, who }) => ({
      field: `${prefix}dateOfBirth`,
      message: `The ${who}’s date of birth is after the incident: check the date of birth and the incident date`,
    }));
}

export function validateDan(input: DanInput, now: Date): FieldError[] {
  const today = todayIn(now);
  const errors: FieldError[] = [...validateIncident(input.incident, now)];
  errors.push(...validatePersonDetails(input.victim, 'victim.', 'victim', today));
  for (const [i, suspect] of (input.suspects ?? []).entries())
    errors.push(...validatePersonDetails(suspect, `suspects[${i}].`, `${ordinal(i)} suspect`, today));
  if (!Array.isArray(input.children) || input.children.length === 0)
    errors.push({
      field: 'children',
      message: 'Add every child in the household: a notification is made for each child, whatever the risk',
    });
  else if (input.children.length > MAX_CHILDREN)
    errors.push({ field: 'children', message: `A notification can name up to ${MAX_CHILDREN} children` });
  else
    for (const [i, child] of input.children.entries())
      errors.push(...validateDanChild(child, `children[${i}].`, today, ordinal(i)));
  const reported = new Set(errors.map((e) => e.field));
  errors.push(...bornAfterIncident(input).filter((e) => !reported.has(e.field)));
  errors.push(...validateRisk(input.risk));
  errors.push(...validateConsent(input.consent, 'consent.'));
  errors.push(...validateEarlyHelp(input.earlyHelp));
  return errors;
}

export function validateSource(input: Pick<ContactInput, 'sourceCode' | 'referrer'>): FieldError[] {
  const errors: FieldError[] = [];
  if (!isContactSource(input.sourceCode))
    errors.push({ field: 'sourceCode', message: 'Select who the contact is from' });
  const anonymous = input.sourceCode === '9';
  if (!anonymous && blank(input.referrer?.name))
    errors.push({
      field: 'referrer.name',
      message: 'Enter the referrer’s name, or choose anonymous as the source',
    });
  if (!anonymous && blank(input.referrer?.phone) && blank(input.referrer?.email))
    errors.push({
      field: 'referrer.phone',
      message: 'Enter a phone number or email address to give feedback to',
    });
  if (input.referrer?.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.referrer.email))
    errors.push({
      field: 'referrer.email',
      message: 'Enter an email address in the correct format, like name@example.org',
    });
  return errors;
}

export function validateConcerns(input: Pick<ContactInput, 'concerns' | 'narrative'>): FieldError[] {
  const errors: FieldError[] = [];
  if (!Array.isArray(input.concerns) || input.concerns.length === 0)
    errors.push({ field: 'concerns', message: 'Select at least one concern' });
  else if (input.concerns.some((c) => !isConcern(c)))
    errors.push({ field: 'concerns', message: 'Choose concerns from the list' });
  if (blank(input.narrative))
    errors.push({ field: 'narrative', message: 'Describe the concern in your own words' });
  checkLength(errors, 'narrative', input.narrative, 'The description');
  return errors;
}

export function validateContact(input: ContactInput, now: Date): FieldError[] {
  const today = todayIn(now);
  const errors: FieldError[] = [...validateSource(input)];
  if (input.address) errors.push(...validateAddress(input.address, 'address.', 'family’s address'));
  if (!Array.isArray(input.children) || input.children.length === 0)
    errors.push({ field: 'children', message: 'Add at least one child' });
  else if (input.children.length > MAX_CHILDREN)
    errors.push({ field: 'children', message: `A contact can name up to ${MAX_CHILDREN} children` });
  else
    input.children.forEach((child, i) => {
      errors.push(...validateChild(child, `children[${i}].`, today, ordinal(i)));
      if (!child.address && !input.address)
        errors.push({
          field: `children[${i}].address.postcode`,
          message: `Enter the ${ordinal(i)} child’s postcode or the family’s address`,
        });
    });
  if ((input.adults ?? []).length > MAX_ADULTS)
    errors.push({ field: 'adults', message: `A contact can name up to ${MAX_ADULTS} adults` });
  for (const [i, adult] of (input.adults ?? []).entries())
    errors.push(...validatePersonDetails(adult, `adults[${i}].`, `${ordinal(i)} adult`, today));
  errors.push(...validateConcerns(input));
  if (blank(input.actionsTaken))
    errors.push({ field: 'actionsTaken', message: 'Say what you have done so far, or “nothing yet”' });
  checkLength(errors, 'actionsTaken', input.actionsTaken, 'What you have done');
  errors.push(...validateConsent(input.consent, 'consent.'));
  if (!yesNo(input.familyKnows))
    errors.push({ field: 'familyKnows', message: 'Select whether the family knows about this contact' });
  if (input.incidentDate !== undefined && input.incidentDate !== '' && !isRealDate(input.incidentDate))
    errors.push({ field: 'incidentDate', message: 'Incident date must be a real date' });
  return errors;
}
