/**
 * Blocking keys: cheap strings that two records of one person very probably share, so a database
 * only has to score the few candidates that share at least one key with a query. Each key is
 * "<kind>:<value>" so one indexed text[] column can hold every kind, and a query is
 * `WHERE blocking_keys && $1`.
 *
 * Keys change when this file changes; store BLOCKING_KEY_VERSION beside them and recompute stored
 * keys when it moves.
 */
import { formalNamesFor } from './nicknames.ts';
import { phoneticKey } from './phonetic.ts';
import { type PreparedRecord, prepared } from './prepare.ts';
import type { PersonRecord } from './types.ts';

export const BLOCKING_KEY_VERSION = 2;

const HOUSE_NUMBER = /^\d+[a-z]?$/;

function pad(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/** The recorded date and, when day and month could be swapped, the swapped date. */
function dateVariants(r: PreparedRecord): string[] {
  const dob = r.dob;
  if (!dob) return [];
  const dates = [dob.iso];
  if (dob.day !== dob.month && dob.day <= 12) dates.push(`${dob.year}-${pad(dob.day)}-${pad(dob.month)}`);
  return dates;
}

/** Phonetic codes of every surname part, of the whole surname and of aliases. */
function familyCodes(r: PreparedRecord): string[] {
  const codes = new Set<string>();
  for (const code of r.family.phonetic) if (code !== '') codes.add(code);
  for (const w of r.aliasWords) codes.add(phoneticKey(w));
  return [...codes];
}

/** Phonetic codes of the first given name, the whole given name and its formal forms (Bill -> William). */
function givenCodes(r: PreparedRecord): string[] {
  const codes = new Set<string>();
  const first = r.given.words[0];
  if (first === undefined) return [];
  codes.add(phoneticKey(first));
  if (r.given.words.length > 1) codes.add(phoneticKey(r.given.joined));
  for (const formal of formalNamesFor(first)) codes.add(phoneticKey(formal));
  return [...codes];
}

function givenInitials(r: PreparedRecord): string[] {
  const first = r.given.words[0];
  if (first === undefined) return [];
  const initials = new Set([first[0]!]);
  for (const formal of formalNamesFor(first)) initials.add(formal[0]!);
  return [...initials];
}

/**
 * Key kinds (values are normalised as in matching: lower-case names, canonical postcodes; a name
 * code is the phonetic key of a name word):
 * - `nhs:<10 digits>` valid NHS number; `upn:<13 chars>` valid UPN
 * - `la:<id>`, `pol:<ref>` agency references; `id:<scheme>:<value>` every other identifier type
 * - `dob-nm:<YYYY-MM-DD>:<name code>` birth date (and its day/month swap) with each surname, alias
 *   and given-name code, so a changed surname or transposed names still meet
 * - `dob-ini:<YYYY-MM-DD>:<initial>` birth date (and swap) with the given-name initial
 * - `dob-pc:<YYYY-MM-DD>:<postcode>` birth date with postcode, for badly mangled names
 * - `nm2:<code>:<code>` a surname code and a given-name code, in sorted order (so transposed
 *   names meet), for records whose birth dates disagree
 * - `gn-md:<MM-DD>:<name>` the first given name as written (normalised) with the birth day and
 *   month, for a mistyped year
 * - `pc-yr:<postcode>:<YYYY>` postcode with birth year
 * - `pc-nm:<postcode>:<name code>` postcode with a given-name or surname code
 */
export function blockingKeysPrepared(r: PreparedRecord, options: BlockingOptions = {}): string[] {
  const keys = new Set<string>();
  const validate = options.validateIdentifiers ?? true;
  const nhs = validate ? r.nhsNumber?.valid : r.nhsNumber?.raw;
  if (nhs) keys.add(`nhs:${nhs}`);
  const upn = validate ? r.upn?.valid : r.upn?.raw;
  if (upn) keys.add(`upn:${upn}`);
  if (r.localAuthorityId) keys.add(`la:${r.localAuthorityId}`);
  if (r.policeReference) keys.add(`pol:${r.policeReference}`);
  for (const id of r.otherIdentifiers) keys.add(`id:${id.scheme}:${id.value}`);
  const dates = dateVariants(r);
  const family = familyCodes(r);
  const given = givenCodes(r);
  const names = [...new Set([...family, ...given])];
  for (const date of dates) {
    for (const code of names) keys.add(`dob-nm:${date}:${code}`);
    for (const initial of givenInitials(r)) keys.add(`dob-ini:${date}:${initial}`);
  }
  for (const f of family) for (const g of given) keys.add(f < g ? `nm2:${f}:${g}` : `nm2:${g}:${f}`);
  const first = r.given.words[0];
  if (r.dob && first !== undefined) {
    // A birth year one out, on a record whose surname and home have also changed, shares none of
    // the keys above; the given name with the day and month still meets. The name as written, not
    // its phonetic code: the code's blocks are three times the size for a few more pairs.
    keys.add(`gn-md:${pad(r.dob.month)}-${pad(r.dob.day)}:${first}`);
  }
  if (r.postcode) {
    if (r.dob) {
      keys.add(`pc-yr:${r.postcode}:${r.dob.year}`);
      keys.add(`dob-pc:${r.dob.iso}:${r.postcode}`);
    }
    for (const code of names) keys.add(`pc-nm:${r.postcode}:${code}`);
    // The house itself: a postcode holds about fifteen homes, so postcode and house number is
    // about one household, and it meets records whose names and birth date are all mangled.
    const house = r.address.find((w) => HOUSE_NUMBER.test(w));
    if (house) keys.add(`pc-hn:${r.postcode}:${house}`);
  }
  return [...keys];
}

export interface BlockingOptions {
  /** As in the match options: when false, identifiers are keyed even if they fail their check digit. */
  validateIdentifiers?: boolean;
}

export function blockingKeys(record: PersonRecord, options?: BlockingOptions): string[] {
  return blockingKeysPrepared(prepared(record), options);
}
