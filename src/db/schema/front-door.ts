import type { ColumnType, Generated } from 'kysely';
import type { DateString, DefaultedTimestamp, Json, Timestamp } from './common.ts';

type Defaulted<T> = ColumnType<T, T | undefined, T>;

/** A contact or police domestic abuse notification at the front door; see docs/front-door.md. */
export interface ContactTable {
  id: Generated<string>;
  area_id: string;
  reference: Generated<string>;
  kind: 'contact' | 'dan';
  status: 'screening' | 'gathering' | 'awaiting-sign-off' | 'closed' | 'duplicate' | 'joined';
  route: 'mash' | 'early-help-triage';
  route_reason: string;
  source_code: string;
  source_agency_id: string | null;
  submitted_by_user_id: string | null;
  submitted_by_name: string;
  channel: string;
  referrer: Json;
  received_at: Timestamp;
  concerns: Defaulted<string[]>;
  details: Json;
  incident_ref: string | null;
  incident_date: DateString | null;
  risk_grade: 'standard' | 'medium' | 'high' | null;
  dash_status: string | null;
  rag: 'red' | 'amber' | 'green' | 'blue' | null;
  rag_source: string | null;
  screened_at: Timestamp | null;
  screened_by_name: string | null;
  screening_due_at: Timestamp;
  enquiries_due_at: Timestamp | null;
  decision_due_at: Timestamp;
  feedback_due_at: Timestamp;
  screening_breached_at: Timestamp | null;
  decision_breached_at: Timestamp | null;
  assigned_user_id: string | null;
  assigned_name: string | null;
  duplicate_of_id: string | null;
  duplicate_count: Generated<number>;
  level_of_need: string | null;
  outcome: string | null;
  decided_at: Timestamp | null;
  feedback: string | null;
  feedback_sent_at: Timestamp | null;
  rescreen_requested_at: Timestamp | null;
  rescreen_reason: string | null;
  closed_at: Timestamp | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface ContactPersonTable {
  contact_id: string;
  area_id: string;
  position: number;
  person_id: string;
  role: 'child' | 'victim' | 'suspect' | 'adult';
  match_outcome: 'linked' | 'new' | 'review';
  match_score: number | null;
  details: Json;
  /** The person as the submitter described them: a fact of this submission, with its provenance. */
  supplied: ColumnType<Record<string, unknown>, string | undefined, string>;
  chronology_event_id: string | null;
}

export interface EnquiryTable {
  id: Generated<string>;
  area_id: string;
  contact_id: string;
  agency_id: string;
  question: string;
  status: 'open' | 'responded' | 'withdrawn';
  requested_at: Timestamp;
  requested_by_user_id: string | null;
  requested_by_name: string;
  due_at: Timestamp;
  breached_at: Timestamp | null;
  response: string | null;
  responded_at: Timestamp | null;
  responded_by_user_id: string | null;
  responded_by_name: string | null;
}

export interface DecisionTable {
  id: Generated<string>;
  area_id: string;
  contact_id: string;
  level_of_need: string;
  outcome: string;
  rationale: string;
  feedback: string;
  risk_summary_seen: Json | null;
  decided_at: Timestamp;
  decided_by_user_id: string | null;
  decided_by_name: string;
  sign_off_status: 'not-required' | 'awaiting' | 'agreed' | 'changed';
  signed_off_at: Timestamp | null;
  signed_off_by_user_id: string | null;
  signed_off_by_name: string | null;
  sign_off_reason: string | null;
  final_level_of_need: string | null;
  final_outcome: string | null;
}

export interface ContactHistoryTable {
  id: Generated<string>;
  area_id: string;
  contact_id: string;
  at: Timestamp;
  actor_name: string;
  kind: string;
  summary: string;
}

export interface FrontDoorNotificationTable {
  id: Generated<string>;
  area_id: string;
  contact_id: string | null;
  enquiry_id: string | null;
  kind: string;
  audience_role: string | null;
  audience_agency_id: string | null;
  message: string;
  created_at: Timestamp;
  read_at: Timestamp | null;
  dedupe_key: string;
}

export interface IdempotencyRecordTable {
  agency_id: string;
  key: string;
  area_id: string;
  endpoint: string;
  request_hash: string;
  status_code: number;
  response: Json;
  created_at: DefaultedTimestamp;
}

export interface EarlyHelpEpisodeTable {
  id: Generated<string>;
  area_id: string;
  person_id: string;
  lead_practitioner: string;
  lead_agency_id: string;
  plan: string;
  status: 'open' | 'stepped-up' | 'closed';
  started_at: Timestamp;
  from_contact_id: string | null;
  recorded_by_name: string;
  closed_at: Timestamp | null;
  /** Who in the early help team picked the episode up from the inbox (migration 0028). */
  assigned_user_id: ColumnType<string | null, string | null | undefined, string | null>;
  assigned_name: ColumnType<string | null, string | null | undefined, string | null>;
  assigned_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The lead chosen from the directory at step-down: a person or a team (migration 0029). */
  lead_user_id: ColumnType<string | null, string | null | undefined, string | null>;
  lead_team_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface EarlyHelpTransitionTable {
  id: Generated<string>;
  area_id: string;
  direction: 'step-up' | 'step-down';
  person_id: string;
  episode_id: string;
  contact_id: string;
  reason: string;
  handover: string;
  recorded_at: Timestamp;
  recorded_by_user_id: string | null;
  recorded_by_name: string;
}

export interface FrontDoorTables {
  contact: ContactTable;
  contact_person: ContactPersonTable;
  enquiry: EnquiryTable;
  decision: DecisionTable;
  contact_history: ContactHistoryTable;
  front_door_notification: FrontDoorNotificationTable;
  idempotency_record: IdempotencyRecordTable;
  early_help_episode: EarlyHelpEpisodeTable;
  early_help_transition: EarlyHelpTransitionTable;
}
