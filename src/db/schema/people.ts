import type { ColumnType, Generated } from 'kysely';
import type { DateString, DefaultedTimestamp } from './common.ts';

export interface PersonTable {
  id: Generated<string>;
  area_id: string;
  kind: 'child' | 'unborn' | 'adult';
  given_name: string;
  family_name: string;
  preferred_name: string | null;
  date_of_birth: DateString | null;
  expected_date: DateString | null;
  sex: 'male' | 'female' | 'other' | 'unknown' | null;
  gender: string | null;
  ethnicity: string | null;
  language: string | null;
  disability: string | null;
  nhs_number: string | null;
  blocking_keys: ColumnType<string[], string[] | undefined, string[]>;
  merged_into_id: string | null;
  created_by_agency_id: string | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

interface Provenance {
  source_agency_id: string | null;
  recorded_at: DefaultedTimestamp;
}

export interface PersonNameTable extends Provenance {
  id: Generated<string>;
  person_id: string;
  area_id: string;
  kind: 'current' | 'alias' | 'previous' | 'preferred';
  given_name: string;
  family_name: string;
  valid_from: DateString | null;
  valid_to: DateString | null;
}

export interface PersonIdentifierTable extends Provenance {
  id: Generated<string>;
  person_id: string;
  area_id: string;
  scheme: 'nhs' | 'upn' | 'la' | 'police';
  value: string;
}

export interface PersonAddressTable extends Provenance {
  id: Generated<string>;
  person_id: string;
  area_id: string;
  line1: string;
  line2: string | null;
  town: string | null;
  postcode: string;
  postcode_district: string;
  from_date: DateString | null;
  to_date: DateString | null;
}

export interface PersonContactDetailTable extends Provenance {
  id: Generated<string>;
  person_id: string;
  area_id: string;
  kind: 'phone' | 'email';
  value: string;
}

export interface PersonRelationshipTable extends Provenance {
  id: Generated<string>;
  area_id: string;
  person_id: string;
  related_person_id: string;
  kind: string;
  incident_reference: string | null;
  from_date: DateString | null;
  to_date: DateString | null;
}

export interface PersonAgencyLinkTable {
  person_id: string;
  agency_id: string;
  area_id: string;
  kind: string;
  since: DefaultedTimestamp;
}

export interface PeopleTables {
  person: PersonTable;
  person_name: PersonNameTable;
  person_identifier: PersonIdentifierTable;
  person_address: PersonAddressTable;
  person_contact_detail: PersonContactDetailTable;
  person_relationship: PersonRelationshipTable;
  person_agency_link: PersonAgencyLinkTable;
}
