/**
 * How a stored person becomes the matching engine's records. One function serves writes (blocking
 * keys) and reads (scoring candidates), so a person is always found by the keys it is scored on.
 */
import { blockingKeys, type PersonRecord } from '../../domain/matching.ts';

export interface PersonFacts {
  givenName: string;
  familyName: string;
  dateOfBirth?: string | null;
  /** For the unborn: matched as a date of birth, since the baby is usually recorded against it. */
  expectedDate?: string | null;
  sex?: PersonRecord['sex'] | null;
  /** Every other name: aliases, previous names, preferred names. */
  otherNames: { givenName: string; familyName: string }[];
  /** Current address first (see currentFirst); the rest are past addresses. */
  addresses: { line1: string; postcode: string }[];
  identifiers: { scheme: string; value: string }[];
}

const SCHEME_FIELD = {
  nhs: 'nhsNumber',
  upn: 'upn',
  la: 'localAuthorityId',
  police: 'policeReference',
} as const satisfies Record<string, keyof PersonRecord>;

/** Orders addresses current first: no end date before ended ones, then the latest start. */
export function currentFirst<T extends { fromDate?: string | null; toDate?: string | null }>(
  addresses: readonly T[],
): T[] {
  return [...addresses].sort((a, b) => {
    if (!a.toDate !== !b.toDate) return a.toDate ? 1 : -1;
    const from = (b.fromDate ?? '').localeCompare(a.fromDate ?? '');
    return from !== 0 ? from : (b.toDate ?? '').localeCompare(a.toDate ?? '');
  });
}

function joinedName(n: { givenName: string; familyName: string }): string {
  return `${n.givenName} ${n.familyName}`.trim();
}

/** The record the person is scored as: current name, every other name, current address, first identifier of each scheme. */
export function primaryRecord(facts: PersonFacts): PersonRecord {
  const record: PersonRecord = { givenName: facts.givenName, familyName: facts.familyName };
  const current = joinedName(facts).toLowerCase();
  const others = [
    ...new Set(facts.otherNames.map(joinedName).filter((n) => n && n.toLowerCase() !== current)),
  ];
  if (others.length) record.otherNames = others;
  const dob = facts.dateOfBirth ?? facts.expectedDate;
  if (dob) record.dateOfBirth = dob;
  if (facts.sex) record.sex = facts.sex;
  const address = facts.addresses[0];
  if (address) {
    record.postcode = address.postcode;
    record.addressLine = address.line1;
  }
  for (const id of facts.identifiers) {
    const field = SCHEME_FIELD[id.scheme as keyof typeof SCHEME_FIELD];
    if (field) {
      if (record[field] === undefined) record[field] = id.value;
    } else {
      record.otherIdentifiers = [...(record.otherIdentifiers ?? []), { scheme: id.scheme, value: id.value }];
    }
  }
  return record;
}

/**
 * The primary record plus one variant per past address and per extra identifier, so that a
 * record quoting an old address or a second NHS number (two records merged) still meets this person.
 */
export function matchRecords(facts: PersonFacts): PersonRecord[] {
  const primary = primaryRecord(facts);
  const records = [primary];
  for (const address of facts.addresses.slice(1)) {
    if (address.postcode === primary.postcode && address.line1 === primary.addressLine) continue;
    records.push({ ...primary, postcode: address.postcode, addressLine: address.line1 });
  }
  for (const id of facts.identifiers) {
    const field = SCHEME_FIELD[id.scheme as keyof typeof SCHEME_FIELD];
    if (field && primary[field] !== id.value) records.push({ ...primary, [field]: id.value });
  }
  return records;
}

/**
 * The record to score a stored person as against one query: the address the query shares with
 * the person's history if any (so a record quoting a past address, or a twin at the shared home,
 * is compared at that address), and for each identifier scheme the value the query quotes if the
 * person holds it.
 */
export function alignedRecord(facts: PersonFacts, query: PersonRecord): PersonRecord {
  const record = primaryRecord(facts);
  if (query.postcode) {
    const line = query.addressLine?.trim().toLowerCase();
    const samePostcode = facts.addresses.filter((a) => a.postcode === query.postcode);
    const shared = samePostcode.find((a) => a.line1.trim().toLowerCase() === line) ?? samePostcode[0];
    if (shared) {
      record.postcode = shared.postcode;
      record.addressLine = shared.line1;
    }
  }
  for (const [scheme, field] of Object.entries(SCHEME_FIELD)) {
    const quoted = query[field];
    if (quoted && facts.identifiers.some((i) => i.scheme === scheme && i.value === quoted))
      record[field] = quoted;
  }
  return record;
}

/** Every blocking key of every record of the person, sorted, without repeats. */
export function blockingKeysOf(facts: PersonFacts): string[] {
  const keys = new Set<string>();
  for (const record of matchRecords(facts)) for (const key of blockingKeys(record)) keys.add(key);
  return [...keys].sort();
}
