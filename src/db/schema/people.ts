import type { ColumnType, Generated } from 'kysely';
import type { RelationshipBasis } from '../../platform/access.ts';
import type { DateString, DefaultedTimestamp, Json, Timestamp } from './common.ts';

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
  /** Single-valued facts supplied after creation: field → { agencyId, at }. */
  field_sources: ColumnType<FieldSources, string | FieldSources | undefined, string | FieldSources>;
  blocking_keys: ColumnType<string[], string[] | undefined, string[]>;
  merged_into_id: string | null;
  created_by_agency_id: string | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export type FieldSources = Record<string, { agencyId: string | null; at: string }>;

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
  /** A built-in identifier type or one the partnership defines (migration 0018 relaxed the list). */
  scheme: string;
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

/** A legitimate relationship between an agency and a person (docs/access.md). */
export interface AccessRelationshipTable {
  id: Generated<string>;
  area_id: string;
  person_id: string;
  agency_id: string;
  basis: RelationshipBasis;
  /** The submission that recorded it, or the contact an enquiry episode belongs to. */
  contact_id: string | null;
  episode_type: string | null;
  episode_id: string | null;
  granted_by_agency_id: string | null;
  granted_by_name: string;
  granted_at: DefaultedTimestamp;
  expires_at: Timestamp | null;
}

export interface PersonIncidentRoleTable extends Provenance {
  id: Generated<string>;
  person_id: string;
  area_id: string;
  incident_reference: string;
  role: 'victim' | 'perpetrator' | 'suspect' | 'child-in-household';
  occurred_on: DateString | null;
  /** The contact (a DAN) that named the person in this role (migration 0029). */
  contact_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface MatchReviewTable {
  id: Generated<string>;
  area_id: string;
  /** The newer record (the one that arrived); candidate_id is the record it may duplicate. */
  person_id: string;
  candidate_id: string;
  score: number;
  band: 'auto-link' | 'review';
  reasons: Json<StoredReason[]>;
  /** What raised it: 'resolve' (an agency's record arrived), 'api-create' (created anyway). */
  origin: string;
  status: ColumnType<
    'pending' | 'merged' | 'not-same',
    'pending' | undefined,
    'pending' | 'merged' | 'not-same'
  >;
  created_by_agency_id: string | null;
  created_at: DefaultedTimestamp;
  decided_at: Timestamp | null;
  decided_by_user_id: string | null;
  decided_by_name: string | null;
  decision_note: string | null;
  /** Areas whose reviewers judged a cross-area pair not the same person; it settles when all have. */
  not_same_area_ids: ColumnType<string[], string[] | undefined, string[]>;
}

export interface StoredReason {
  field: string;
  agreement: string;
  detail: string;
  weight: number;
}

export interface PersonMergeTable {
  id: Generated<string>;
  area_id: string;
  survivor_id: string;
  merged_id: string;
  review_id: string | null;
  reason: string;
  moved: Json<MergeMoves>;
  merged_at: DefaultedTimestamp;
  merged_by_user_id: string | null;
  merged_by_name: string;
  unmerged_at: Timestamp | null;
  unmerged_by_user_id: string | null;
  unmerged_by_name: string | null;
  unmerge_reason: string | null;
}

/** Exactly what a merge changed, so unmerge can reverse it row by row. */
export interface MergeMoves {
  names: string[];
  identifiers: string[];
  addresses: string[];
  contactDetails: string[];
  incidentRoles: string[];
  /** Relationships whose person_id moved from the merged record to the survivor. */
  relationshipsFrom: string[];
  /** Relationships whose related_person_id moved. */
  relationshipsTo: string[];
  /** Before decision 0008: agency links moved (agency_id + kind). Unmerge maps them to bases. */
  agencyLinks: { agencyId: string; kind: string }[];
  /** Access relationships moved to the survivor (ids); ones the survivor already held stay put. */
  relationships?: string[];
  /** Records previously merged into the merged record, now pointing at the survivor. */
  repointedMerges: string[];
  /** The merged record's current names, moved as aliases (kind 'current' → 'alias'). */
  renamedCurrent: string[];
  /** Survivor fields that were empty and took the merged record's value; unmerge empties them again. */
  filled: string[];
  /** The survivor's field_sources before the merge. */
  survivorFieldSources: FieldSources;
  /** Rows left on the merged record because the survivor already held the same fact. */
  kept: { identifiers: string[]; agencyLinks: { agencyId: string; kind: string }[]; relationships: string[] };
}

/** People behind a large blocking key (migration 0014; measured by `harbour matching measure-blocks`). */
export interface BlockingKeySizeTable {
  key: string;
  people: number;
  measured_at: DefaultedTimestamp;
}

export interface PeopleTables {
  person: PersonTable;
  person_name: PersonNameTable;
  person_identifier: PersonIdentifierTable;
  person_address: PersonAddressTable;
  person_contact_detail: PersonContactDetailTable;
  person_relationship: PersonRelationshipTable;
  access_relationship: AccessRelationshipTable;
  person_incident_role: PersonIncidentRoleTable;
  match_review: MatchReviewTable;
  person_merge: PersonMergeTable;
  blocking_key_size: BlockingKeySizeTable;
}
