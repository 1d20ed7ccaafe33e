import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Timestamps are written as Date and read back as Date on both backends. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** 'YYYY-MM-DD': see database.ts for why dates are strings. */
type DateString = string;
type Json<T = Record<string, unknown>> = ColumnType<T, string | T, string | T>;

export interface AreaTable {
  id: Generated<string>;
  code: string;
  name: string;
  postcode_districts: ColumnType<string[], string[] | undefined, string[]>;
  created_at: DefaultedTimestamp;
}

export interface AgencyTable {
  id: Generated<string>;
  code: string;
  name: string;
  kind: string;
  ofsted_urn: string | null;
  created_at: DefaultedTimestamp;
}

export interface AgencyAreaTable {
  agency_id: string;
  area_id: string;
}

export interface TeamTable {
  id: Generated<string>;
  agency_id: string;
  area_id: string | null;
  code: string;
  name: string;
}

export interface AppUserTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  agency_id: string;
  team_id: string | null;
  roles: string[];
  password_hash: string | null;
  identity_provider: Generated<string>;
  external_subject: string | null;
  is_system: Generated<boolean>;
  failed_sign_ins: Generated<number>;
  locked_until: Timestamp | null;
  last_signed_in_at: Timestamp | null;
  disabled_at: Timestamp | null;
  created_at: DefaultedTimestamp;
}

export interface ApiKeyTable {
  id: Generated<string>;
  agency_id: string;
  system_user_id: string;
  label: string;
  key_prefix: string;
  key_hash: string;
  created_by: string;
  created_at: DefaultedTimestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
}

export interface HttpSessionTable {
  sid: string;
  user_id: string | null;
  data: Json;
  expires_at: Timestamp;
}

export interface AuditEventTable {
  seq: Generated<number>;
  id: string;
  occurred_at: Timestamp;
  actor_user_id: string | null;
  actor_name: string;
  actor_agency_id: string | null;
  channel: 'web' | 'api' | 'cli' | 'system';
  action: string;
  outcome: 'allowed' | 'denied' | 'failed';
  subject_type: string | null;
  subject_id: string | null;
  person_ids: string[];
  area_id: string | null;
  reason: string | null;
  request_id: string | null;
  details: Json;
  prev_hash: string;
  hash: string;
}

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

export interface DB {
  person: PersonTable;
  person_name: PersonNameTable;
  person_identifier: PersonIdentifierTable;
  person_address: PersonAddressTable;
  person_contact_detail: PersonContactDetailTable;
  person_relationship: PersonRelationshipTable;
  person_agency_link: PersonAgencyLinkTable;
  area: AreaTable;
  agency: AgencyTable;
  agency_area: AgencyAreaTable;
  team: TeamTable;
  app_user: AppUserTable;
  api_key: ApiKeyTable;
  http_session: HttpSessionTable;
  audit_event: AuditEventTable;
}

export type AgencyRow = Selectable<AgencyTable>;
export type AreaRow = Selectable<AreaTable>;
export type AppUserRow = Selectable<AppUserTable>;
export type NewAuditEvent = Insertable<AuditEventTable>;
export type DateOnly = DateString;
