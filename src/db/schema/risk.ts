import type { ColumnType, Generated } from 'kysely';
import type { RiskLevel } from '../../domain/instruments/bands.ts';
import type { AssessmentAnswers } from '../../domain/instruments/types.ts';
import type { DefaultedTimestamp, Json, Timestamp } from './common.ts';

type StringArray = ColumnType<string[], string[] | undefined, string[]>;

export interface RiskAssessmentTable {
  id: Generated<string>;
  area_id: string;
  instrument_id: string;
  instrument_version: string;
  victim_person_id: string;
  perpetrator_person_ids: StringArray;
  child_person_ids: StringArray;
  contact_id: string | null;
  incident_reference: string | null;
  assessed_at: Timestamp;
  answers: Json<AssessmentAnswers>;
  score: number;
  score_band: RiskLevel;
  judged_level: RiskLevel | null;
  judgement_reason: string | null;
  level: RiskLevel;
  prompts: StringArray;
  assessor_user_id: string | null;
  assessor_agency_id: string | null;
  created_at: DefaultedTimestamp;
}

export interface DashExpectationTable {
  id: Generated<string>;
  area_id: string;
  contact_id: string;
  person_ids: StringArray;
  officer_user_id: string | null;
  officer_name: string | null;
  supervisor_agency_id: string;
  awaited_since: Timestamp;
  due_at: Timestamp;
  escalate_at: Timestamp;
  status: ColumnType<'awaited' | 'received', 'awaited' | 'received' | undefined>;
  reminded_at: Timestamp | null;
  escalated_at: Timestamp | null;
  assessment_id: string | null;
  received_at: Timestamp | null;
  created_at: DefaultedTimestamp;
}

export interface DashAwaitedNoticeTable {
  id: Generated<string>;
  expectation_id: string;
  area_id: string;
  user_id: string;
  kind: 'reminder' | 'escalation';
  created_at: DefaultedTimestamp;
  read_at: Timestamp | null;
}

export interface RiskSummaryTable {
  id: Generated<string>;
  area_id: string;
  child_person_id: string;
  hash: string;
  level: RiskLevel;
  result: Json;
  created_at: DefaultedTimestamp;
}

export interface RiskChildStateTable {
  child_person_id: string;
  area_id: string;
  level: RiskLevel;
  latest_recorded_level: RiskLevel | null;
  raised_above_recorded: boolean;
  summary_id: string | null;
  computed_at: Timestamp;
}

export interface RiskReviewTaskTable {
  id: Generated<string>;
  area_id: string;
  child_person_id: string;
  status: ColumnType<'open' | 'closed', 'open' | 'closed' | undefined>;
  cumulative_level: RiskLevel;
  decision_level: RiskLevel;
  decision_event_id: string | null;
  summary_id: string | null;
  trigger_event_ids: StringArray;
  reasons: string;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
  closed_at: Timestamp | null;
  closed_by_user_id: string | null;
  closing_note: string | null;
}

export interface RiskTables {
  risk_assessment: RiskAssessmentTable;
  dash_expectation: DashExpectationTable;
  dash_awaited_notice: DashAwaitedNoticeTable;
  risk_summary: RiskSummaryTable;
  risk_child_state: RiskChildStateTable;
  risk_review_task: RiskReviewTaskTable;
}
