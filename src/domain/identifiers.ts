/**
 * Validation and normalisation of the UK identifiers Harbour uses to recognise people:
 * NHS numbers, Unique Pupil Numbers (UPNs) and postcodes.
 *
 * A value that fails its check digit is almost always a keying error, so the matcher treats it as
 * missing rather than as evidence either way.
 */

const NHS_NUMBER_PATTERN = /^\d{10}$/;

/** Strips the spaces and hyphens people type into NHS numbers ("943 476 5919"). */
export function normaliseNhsNumber(input: string): string | null {
  const compact = input.replace(/[\s-]/g, '');
  return isValidNhsNumber(compact) ? compact : null;
}

/** The modulus-11 check digit for the first nine digits, or null when no valid digit exists. */
export function nhsCheckDigit(firstNine: string): number | null {
  if (!/^\d{9}$/.test(firstNine)) return null;
  let total = 0;
  for (let i = 0; i < 9; i++) total += Number(firstNine[i]) * (10 - i);
  const check = 11 - (total % 11);
  if (check === 11) return 0;
  // A remainder that would need check digit 10 means the nine digits are never issued.
  if (check === 10) return null;
  return check;
}

/**
 * True for a 10-digit NHS number (spaces and hyphens allowed) whose modulus-11 check digit is
 * right. Ten identical digits pass the arithmetic but are placeholder values systems use for
 * "unknown", so they are rejected.
 */
export function isValidNhsNumber(input: string): boolean {
  const compact = input.replace(/[\s-]/g, '');
  if (!NHS_NUMBER_PATTERN.test(compact)) return false;
  if (/^(\d)\1{9}$/.test(compact)) return false;
  const check = nhsCheckDigit(compact.slice(0, 9));
  return check !== null && check === Number(compact[9]);
}

// The DfE alphabet for check letters and temporary-UPN suffixes: A-Z without I, O and S.
const UPN_ALPHABET = 'ABCDEFGHJKLMNPQRTUVWXYZ';
const UPN_PATTERN = /^[A-Z]\d{11}[0-9A-Z]$/;

/** The DfE check letter for the 12 characters after it (digits, last may be a letter). */
export function upnCheckLetter(body: string): string | null {
  if (!/^\d{11}[0-9A-Z]$/.test(body)) return null;
  let total = 0;
  for (let i = 0; i < 12; i++) {
    const ch = body[i]!;
    let value: number;
    if (ch >= '0' && ch <= '9') value = Number(ch);
    else {
      value = UPN_ALPHABET.indexOf(ch);
      if (value < 0) return null;
    }
    // Character positions are counted from 1 with the check letter at position 1.
    total += value * (i + 2);
  }
  return UPN_ALPHABET[total % 23]!;
}

/** Upper-cases and strips spaces; returns null unless the result is a valid UPN. */
export function normaliseUpn(input: string): string | null {
  const compact = input.replace(/\s/g, '').toUpperCase();
  return isValidUpn(compact) ? compact : null;
}

/**
 * True for a 13-character UPN whose first character is the DfE modulus-23 check letter.
 * Temporary UPNs end in a letter; permanent ones end in a digit.
 */
export function isValidUpn(input: string): boolean {
  const compact = input.replace(/\s/g, '').toUpperCase();
  if (!UPN_PATTERN.test(compact)) return false;
  return upnCheckLetter(compact.slice(1)) === compact[0];
}

/** Temporary UPNs are replaced by permanent ones, so a difference between them is not a conflict. */
export function isTemporaryUpn(upn: string): boolean {
  return /[A-Z]$/.test(upn.replace(/\s/g, '').toUpperCase());
}

// Outward code shapes A9, A99, AA9, AA99, A9A, AA9A with the letters Royal Mail allows in each
// position; the inward code is a digit then two letters from a reduced set.
const OUTWARD_PATTERN =
  /^(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])$/;
const INWARD_PATTERN = /^[0-9][ABD-HJLNP-UW-Z]{2}$/;

/**
 * Canonical form "AB1 2CD" of a UK postcode typed any way ("ab12cd", " AB1  2CD "), or null when
 * it is not a well-formed postcode. Does not check the postcode exists.
 */
export function normalisePostcode(input: string): string | null {
  const compact = input.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  if (compact.length < 5 || compact.length > 7) return null;
  const outward = compact.slice(0, -3);
  const inward = compact.slice(-3);
  if (compact === 'GIR0AA') return 'GIR 0AA';
  if (!OUTWARD_PATTERN.test(outward) || !INWARD_PATTERN.test(inward)) return null;
  return `${outward} ${inward}`;
}

/** The postcode district (outward code), e.g. "AB1" for "AB1 2CD"; null if not a postcode. */
export function postcodeDistrict(input: string): string | null {
  const canonical = normalisePostcode(input);
  return canonical === null ? null : canonical.slice(0, canonical.indexOf(' '));
}

/**
 * A valid synthetic NHS number for test data. Numbers starting 999 are the range NHS England sets
 * aside for testing, so a generated number can never be a real patient's. `random` returns a
 * float in [0, 1) (pass a seeded generator for reproducible data).
 */
export function syntheticNhsNumber(random: () => number): string {
  for (;;) {
    let body = '999';
    for (let i = 0; i < 6; i++) body += Math.floor(random() * 10).toString();
    const check = nhsCheckDigit(body);
    if (check !== null) {
      const candidate = body + check.toString();
      if (isValidNhsNumber(candidate)) return candidate;
    }
  }
}

/**
 * A valid synthetic UPN for test data. The LA number 999 is not allocated to any local authority,
 * so generated UPNs cannot collide with real pupils'. Pass `temporary` for a UPN ending in a letter.
 */
export function syntheticUpn(random: () => number, options: { temporary?: boolean } = {}): string {
  let body = '999';
  for (let i = 0; i < 8; i++) body += Math.floor(random() * 10).toString();
  body += options.temporary
    ? UPN_ALPHABET[Math.floor(random() * UPN_ALPHABET.length)]!
    : Math.floor(random() * 10).toString();
  return upnCheckLetter(body)! + body;
}
