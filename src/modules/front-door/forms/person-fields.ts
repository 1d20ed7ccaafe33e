import type { FieldError } from '../../../platform/errors.ts';
import { dateInput, dateItems, type Form, text, yesNo } from '../../../platform/http/form-fields.ts';
import type { AddressInput, ConsentInput, PersonDetailsInput } from '../types.ts';
import { ordinal } from '../validation.ts';

/**
 * The fields both front-door journeys ask in the same way: an address, a person's details and
 * consent to share. Read from a page's form into the draft's shape; checked by validation.ts.
 */

const SEXES = ['male', 'female', 'other', 'unknown'] as const;
const isSex = (value: string | undefined): value is (typeof SEXES)[number] => SEXES.some((s) => s === value);

/** An address typed on a page; undefined only when every line is blank, so nothing typed is lost. */
export function addressFrom(form: Form, prefix: string): AddressInput | undefined {
  const line1 = text(form, `${prefix}line1`);
  const postcode = text(form, `${prefix}postcode`);
  const line2 = text(form, `${prefix}line2`);
  const town = text(form, `${prefix}town`);
  if (!line1 && !postcode && !line2 && !town) return undefined;
  return {
    line1: line1 ?? '',
    postcode: postcode ?? '',
    ...(line2 ? { line2 } : {}),
    ...(town ? { town } : {}),
  };
}

/** A person's details (name, date of birth, sex, NHS number, home address) and a date typed wrongly. */
export function personFrom(form: Form): { value: Partial<PersonDetailsInput>; dateError: FieldError | null } {
  const dob = dateInput(form, 'dateOfBirth');
  const sex = text(form, 'sex');
  const nhsNumber = text(form, 'nhsNumber');
  const home = addressFrom(form, 'address.');
  return {
    value: {
      givenName: text(form, 'givenName') ?? '',
      familyName: text(form, 'familyName') ?? '',
      ...(dob.value ? { dateOfBirth: dob.value } : {}),
      ...(isSex(sex) ? { sex } : {}),
      ...(nhsNumber ? { nhsNumber: nhsNumber.replace(/\s+/g, '') } : {}),
      ...(home ? { address: home } : {}),
    },
    dateError: dob.invalid ? { field: 'dateOfBirth', message: 'Date of birth must be a real date' } : null,
  };
}

/** Consent to share: whether it was given is kept only when it was asked for. */
export function consentFrom(form: Form): Partial<ConsentInput> {
  const asked = yesNo(form, 'consent.asked');
  const given = yesNo(form, 'consent.given');
  const reason = text(form, 'consent.reasonSharingWithoutConsent');
  return {
    ...(asked !== undefined ? { asked } : {}),
    ...(asked && given !== undefined ? { given } : {}),
    ...(reason ? { reasonSharingWithoutConsent: reason } : {}),
  };
}

export function capitalise(word: string) {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Whether the date of birth is among a page's errors, so its inputs are shown in error. */
export const dateOfBirthWrong = (errors: readonly FieldError[]) =>
  errors.some((e) => e.field === 'dateOfBirth');

/** A page repeated per person: its id, template, items and heading (`Second child`). */
export function perPerson<D>(
  id: string,
  view: string,
  noun: string,
  items: (draft: D) => readonly unknown[],
) {
  return { id, view, items, title: (n: number) => `${capitalise(ordinal(n - 1))} ${noun}` };
}

/** A person's page: their answers, and the date-of-birth inputs (in error when it is wrong). */
export function personShown(person: Partial<PersonDetailsInput>, errors: readonly FieldError[]) {
  return { values: person, dob: dateItems('dateOfBirth', person.dateOfBirth, dateOfBirthWrong(errors)) };
}
