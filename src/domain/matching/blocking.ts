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

export const BLOCKING_KEY_VERSION = 1;

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
 * Key kinds (values are normalised as in matching: lower-case names, canonical postcodes):
 * - `nhs:<10 digits>` valid NHS number; `upn:<13 chars>` valid UPN
 * - `la:<id>`, `pol:<ref>` agency references
 * - `dob-fam:<YYYY-MM-DD>:<surname code>` birth date (and its day/month swap) with each surname code
 * - `dob-ini:<YYYY-MM-DD>:<initial>` birth date (and swap) with the given-name initial
 * - `fam-giv:<surname code>:<given code>` phonetic surname with phonetic given name
 * - `pc-yr:<postcode>:<YYYY>` postcode with birth year
 * - `pc-giv:<postcode>:<given code>` postcode with phonetic given name
 */
export function blockingKeysPrepared(r: PreparedRecord): string[] {
  const keys = new Set<string>();
  if (r.nhsNumber?.valid) keys.add(`nhs:${r.nhsNumber.valid}`);
  if (r.upn?.valid) keys.add(`upn:${r.upn.valid}`);
  if (r.localAuthorityId) keys.add(`la:${r.localAuthorityId}`);
  if (r.policeReference) keys.add(`pol:${r.policeReference}`);
  const dates = dateVariants(r);
  const family = familyCodes(r);
  const given = givenCodes(r);
  for (const date of dates) {
    for (const code of family) keys.add(`dob-fam:${date}:${code}`);
    for (const initial of givenInitials(r)) keys.add(`dob-ini:${date}:${initial}`);
  }
  for (const f of family) for (const g of given) keys.add(`fam-giv:${f}:${g}`);
  if (r.postcode) {
    if (r.dob) keys.add(`pc-yr:${r.postcode}:${r.dob.year}`);
    for (const g of given) keys.add(`pc-giv:${r.postcode}:${g}`);
  }
  return [...keys];
}

export function blockingKeys(record: PersonRecord): string[] {
  return blockingKeysPrepared(prepared(record));
}
