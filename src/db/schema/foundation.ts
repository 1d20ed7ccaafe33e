import type { ColumnType, Generated } from 'kysely';
import type { DefaultedTimestamp, Json, Timestamp } from './common.ts';

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
  /** Chain order, hash and previous hash: null until the sealer chains the committed row (decision 0009). */
  chain_seq: number | null;
  prev_hash: string | null;
  hash: string | null;
}

/** The sealed chain's length and head, kept outside audit_event so truncating the log is detected. */
export interface AuditAnchorTable {
  id: Generated<boolean>;
  sealed_count: number;
  head_hash: string;
  sealed_at: Generated<Timestamp>;
}

/** One field of one change to a record, beside the audit log (decision 0016). Append-only. */
export interface RecordChangeTable {
  seq: Generated<number>;
  change_id: string;
  changed_at: Timestamp;
  entity: string;
  entity_id: string;
  person_id: string | null;
  area_id: string;
  action: string;
  field: string;
  from_value: Json | null;
  to_value: Json | null;
  actor_user_id: string | null;
  actor_name: string;
  actor_agency_id: string | null;
  channel: 'web' | 'api' | 'cli' | 'system';
}

export interface FoundationTables {
  area: AreaTable;
  agency: AgencyTable;
  agency_area: AgencyAreaTable;
  team: TeamTable;
  app_user: AppUserTable;
  api_key: ApiKeyTable;
  http_session: HttpSessionTable;
  audit_event: AuditEventTable;
  audit_anchor: AuditAnchorTable;
  record_change: RecordChangeTable;
}
