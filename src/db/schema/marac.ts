import type { ColumnType, Generated } from 'kysely';
import type { DefaultedTimestamp, Json, Timestamp } from './common.ts';

/** MARAC and below-MARAC panel tables (migration 0024, docs/marac.md). */
export type Forum = 'marac' | 'panel';

export interface MaracMeetingTable {
  id: Generated<string>;
  reference: string;
  area_id: string;
  forum: Forum;
  starts_at: Timestamp;
  status: ColumnType<'scheduled' | 'in-progress' | 'held', 'scheduled' | undefined, 'in-progress' | 'held'>;
  started_at: Timestamp | null;
  ended_at: Timestamp | null;
  minutes_due_at: Timestamp | null;
  minutes: string | null;
  minutes_published_at: Timestamp | null;
  created_at: DefaultedTimestamp;
}

export interface MaracDiversity {
  bme?: boolean;
  lgbt?: boolean;
  disability?: boolean;
}

export interface MaracCaseTable {
  id: Generated<string>;
  reference: string;
  area_id: string;
  forum: Forum;
  victim_person_id: string;
  perpetrator_person_ids: ColumnType<string[], string[] | undefined, string[]>;
  child_person_ids: ColumnType<string[], string[] | undefined, string[]>;
  referring_agency_id: string;
  referring_agency_kind: string;
  referred_by_user_id: string | null;
  referred_by_name: string;
  referred_at: Timestamp;
  criterion: string;
  judgement_reason: string | null;
  engine_criteria: ColumnType<string[], string[] | undefined, string[]>;
  risk_assessment_id: string | null;
  risk_level: 'standard' | 'medium' | 'high' | null;
  dash_score: number | null;
  dash_reference: string | null;
  consent: 'given' | 'not-given';
  sharing_reason: string | null;
  repeat: boolean;
  repeat_of_case_id: string | null;
  duplicate_of_case_id: string | null;
  diversity: Json<MaracDiversity>;
  status: ColumnType<
    'referred' | 'listed' | 'discussed' | 'closed',
    'referred' | undefined,
    'referred' | 'listed' | 'discussed' | 'closed'
  >;
  meeting_id: string | null;
  agenda_position: number | null;
  discussion_notes: string | null;
  discussed_at: Timestamp | null;
  closed_at: Timestamp | null;
}

export interface MaracResearchTable {
  id: Generated<string>;
  case_id: string;
  /** The case's area when the research was asked for. */
  area_id: string;
  agency_id: string;
  requested_at: Timestamp;
  due_at: Timestamp;
  returned_at: Timestamp | null;
  returned_by_name: string | null;
  information: string | null;
}

export interface MaracTransferTable {
  id: Generated<string>;
  case_id: string;
  /** The area the case left. */
  area_id: string;
  to_area_id: string;
  reason: string;
  transferred_at: Timestamp;
  transferred_by_name: string;
}

/** An earlier meeting's action, reviewed at a later meeting (migration 0025). */
export type ActionReviewStatus = 'completed' | 'in-progress' | 'not-started' | 'no-longer-needed';

export interface MaracActionReviewTable {
  id: Generated<string>;
  meeting_id: string;
  case_id: string;
  area_id: string;
  action_id: string;
  status: ActionReviewStatus;
  note: string | null;
  reviewed_at: Timestamp;
  reviewed_by_name: string;
}

export interface MaracTables {
  marac_meeting: MaracMeetingTable;
  marac_case: MaracCaseTable;
  marac_research: MaracResearchTable;
  marac_transfer: MaracTransferTable;
  marac_action_review: MaracActionReviewTable;
}
