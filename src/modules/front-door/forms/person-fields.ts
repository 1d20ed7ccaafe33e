import type { FieldError } from '../../../platform/errors.ts';
import { dateInput, type Form, text, yesNo } from '../../../platform/http/form-fields.ts';
import type { AddressInput, ConsentInput, PersonDetailsInput } from '../types.ts';

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

/** Only the named fields that were filled in, trimmed. */
export function filledIn<K extends string>(form: Form, prefix: string, keys: readonly K[]) {
  const out: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const value = text(form, `${prefix}${key}`);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

export function capitalise(word: string) {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
