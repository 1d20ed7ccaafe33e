/**
 * Normalises a PersonRecord once into the forms the comparisons and blocking keys need. Preparing
 * is the expensive part (Unicode folding, phonetic keys), so prepared forms are memoised per
 * record object: callers must treat records as immutable once they have been scored.
 */
import { isTemporaryUpn, normaliseNhsNumber, normalisePostcode, normaliseUpn } from '../identifiers.ts';
import { phoneticKey } from './phonetic.ts';
import { words } from './strings.ts';
import type { PersonRecord } from './types.ts';

export interface PreparedName {
  words: string[];
  /** All words run together, so "Ella-Mae", "Ella Mae" and "Ellamae" are equal. */
  joined: string;
  /** Phonetic key of each word, then of the joined form. */
  phonetic: string[];
}

export interface PreparedDate {
  year: number;
  month: number;
  day: number;
  /** YYYYMMDD */
  digits: string;
  iso: string;
}

export interface PreparedIdentifier {
  /** Upper-case letters and digits as recorded. */
  raw: string;
  /** The canonical value when it passes its check digit, else null. */
  valid: string | null;
}

export interface PreparedRecord {
  given: PreparedName;
  family: PreparedName;
  /** Words from otherNames, less any that are the record's own given or family name words. */
  aliasWords: string[];
  dob: PreparedDate | null;
  sex: 'male' | 'female' | null;
  /** Canonical UK postcode, or the letters and digits as recorded when it is not a UK postcode. */
  postcode: string | null;
  district: string | null;
  address: string[];
  nhsNumber: PreparedIdentifier | null;
  upn: PreparedIdentifier | null;
  upnTemporary: boolean;
  localAuthorityId: string | null;
  policeReference: string | null;
  /** Other identifier types: scheme and compact upper-case value. */
  otherIdentifiers: { scheme: string; value: string }[];
}

// Common street-type abbreviations, so "12 Acacia Ave" and "12 Acacia Avenue" agree.
const ADDRESS_ABBREVIATIONS: Record<string, string> = {
  st: 'street',
  rd: 'road',
  ave: 'avenue',
  av: 'avenue',
  ln: 'lane',
  cl: 'close',
  cres: 'crescent',
  cr: 'crescent',
  ct: 'court',
  dr: 'drive',
  gdns: 'gardens',
  gr: 'grove',
  gro: 'grove',
  pl: 'place',
  sq: 'square',
  tce: 'terrace',
  terr: 'terrace',
  hse: 'house',
  apt: 'flat',
};

// What systems write when a child has no given name yet (newborns) or it is not known. Treated as
// missing, so "Baby Smith" neither agrees nor disagrees with the child's later name.
const PLACEHOLDER_GIVEN_NAMES = new Set([
  'baby',
  'babyboy',
  'babygirl',
  'bb',
  'boy',
  'child',
  'female',
  'girl',
  'infant',
  'male',
  'nk',
  'notknown',
  'twin',
  'twin1',
  'twin2',
  'twina',
  'twinb',
  'unborn',
  'unknown',
  'unnamed',
]);

export function prepareGivenName(value: string | undefined): PreparedName {
  const name = prepareName(value);
  return PLACEHOLDER_GIVEN_NAMES.has(name.joined) ? prepareName(undefined) : name;
}

export function prepareName(value: string | undefined): PreparedName {
  const w = words(value);
  const joined = w.join('');
  const phonetic = w.map(phoneticKey);
  if (w.length > 1) phonetic.push(phoneticKey(joined));
  return { words: w, joined, phonetic };
}

export function parseIsoDate(value: string | undefined): PreparedDate | null {
  if (!value) return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return { year, month, day, digits: match[1]! + match[2]! + match[3]!, iso: value.trim() };
}

function compactIdentifier(value: string | undefined): string | null {
  if (!value) return null;
  const compact = value.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  return compact === '' ? null : compact;
}

function prepareRecord(record: PersonRecord): PreparedRecord {
  const given = prepareGivenName(record.givenName);
  const family = prepareName(record.familyName);
  const own = new Set([...given.words, ...family.words]);
  const aliasWords: string[] = [];
  for (const alias of record.otherNames ?? []) {
    for (const w of words(alias)) if (!own.has(w) && !aliasWords.includes(w)) aliasWords.push(w);
  }

  let postcode: string | null = null;
  let district: string | null = null;
  if (record.postcode) {
    const canonical = normalisePostcode(record.postcode);
    if (canonical) {
      postcode = canonical;
      district = canonical.slice(0, canonical.indexOf(' '));
    } else {
      postcode = compactIdentifier(record.postcode);
    }
  }

  const nhsRaw = compactIdentifier(record.nhsNumber);
  const upnRaw = compactIdentifier(record.upn);
  const upnValid = upnRaw ? normaliseUpn(upnRaw) : null;

  return {
    given,
    family,
    aliasWords,
    dob: parseIsoDate(record.dateOfBirth),
    sex: record.sex === 'male' || record.sex === 'female' ? record.sex : null,
    postcode,
    district,
    address: words(record.addressLine).map((w) => ADDRESS_ABBREVIATIONS[w] ?? w),
    nhsNumber: nhsRaw ? { raw: nhsRaw, valid: normaliseNhsNumber(nhsRaw) } : null,
    upn: upnRaw ? { raw: upnRaw, valid: upnValid } : null,
    upnTemporary: upnValid !== null && isTemporaryUpn(upnValid),
    localAuthorityId: compactIdentifier(record.localAuthorityId),
    policeReference: compactIdentifier(record.policeReference),
    otherIdentifiers: (record.otherIdentifiers ?? []).flatMap((i) => {
      const value = compactIdentifier(i.value);
      return value ? [{ scheme: i.scheme, value }] : [];
    }),
  };
}

const cache = new WeakMap<PersonRecord, PreparedRecord>();

export function prepared(record: PersonRecord): PreparedRecord {
  let value = cache.get(record);
  if (!value) {
    value = prepareRecord(record);
    cache.set(record, value);
  }
  return value;
}
