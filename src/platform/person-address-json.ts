import type { PersonAddressTable } from '../db/schema/people.ts';

type AddressFields = Pick<
  PersonAddressTable,
  'line1' | 'line2' | 'town' | 'postcode' | 'from_date' | 'to_date'
>;

/** A person's address as Harbour's JSON gives it (the subject access export, the person API). */
export function personAddressJson(address: AddressFields) {
  return {
    line1: address.line1,
    line2: address.line2,
    town: address.town,
    postcode: address.postcode,
    fromDate: address.from_date,
    toDate: address.to_date,
  };
}
