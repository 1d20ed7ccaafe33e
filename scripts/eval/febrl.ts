/**
 * Loads the FEBRL synthetic record-linkage data sets and maps them onto Harbour's person model.
 * FEBRL people are Australian: the 4-digit postcode is kept as recorded (the matcher compares
 * non-UK postcodes exactly), street number, street, locality and suburb form the address line, and
 * soc_sec_id stands in for the NHS number when the identifier is used. soc_sec_id has no check
 * digit, so identifier validation is switched off for these runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PersonRecord } from '../../src/domain/matching.ts';

export interface FebrlRecord {
  id: string;
  /** The entity number shared by an original and its duplicates. */
  entity: string;
  record: PersonRecord;
}

function isoDate(raw: string): string | undefined {
  if (!/^\d{8}$/.test(raw)) return undefined;
  return `${raw.slice(0, 4)}-${raw.slice(4, 6)}-${raw.slice(6, 8)}`;
}

export function loadFebrl(directory: string, file: string, withIdentifier: boolean): FebrlRecord[] {
  const text = readFileSync(join(directory, file), 'utf8');
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines[0]!.split(',').map((h) => h.trim());
  const column = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${file}: no column ${name}`);
    return i;
  };
  const c = {
    id: column('rec_id'),
    given: column('given_name'),
    surname: column('surname'),
    number: column('street_number'),
    address1: column('address_1'),
    address2: column('address_2'),
    suburb: column('suburb'),
    postcode: column('postcode'),
    dob: column('date_of_birth'),
    ssn: column('soc_sec_id'),
  };
  return lines.slice(1).map((line) => {
    const f = line.split(',').map((v) => v.trim());
    const id = f[c.id]!;
    const entity = /^rec-(\d+)-/.exec(id)?.[1];
    if (entity === undefined) throw new Error(`${file}: unexpected record id ${id}`);
    const addressLine = [f[c.number], f[c.address1], f[c.address2], f[c.suburb]].filter(Boolean).join(' ');
    const dateOfBirth = isoDate(f[c.dob] ?? '');
    const record: PersonRecord = {
      givenName: f[c.given] ?? '',
      familyName: f[c.surname] ?? '',
      ...(dateOfBirth ? { dateOfBirth } : {}),
      ...(f[c.postcode] ? { postcode: f[c.postcode] } : {}),
      ...(addressLine ? { addressLine } : {}),
      ...(withIdentifier && f[c.ssn] ? { nhsNumber: f[c.ssn] } : {}),
    };
    return { id, entity, record };
  });
}
