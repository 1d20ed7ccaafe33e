import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from './common.ts';

type UuidArray = ColumnType<string[], string[] | undefined, string[]>;
export type StrategyDiscussionStatus = 'requested' | 'scheduled' | 'declined' | 'held';
export type ParticipantWhy = 'minimum' | 'referrer' | 'school' | 'known-to-family' | 'chosen';

export interface StrategyDiscussionTable {
  id: Generated<string>;
  area_id: string;
  child_person_ids: UuidArray;
  status: ColumnType<
    StrategyDiscussionStatus,
    StrategyDiscussionStatus | undefined,
    StrategyDiscussionStatus
  >;
  source_contact_id: string | null;
  requested_by_agency_id: string | null;
  requested_by_name: string;
  requested_at: Timestamp;
  reason: string;
  known_information: ColumnType<string, string | undefined, string>;
  decided_by_name: string | null;
  decided_at: Timestamp | null;
  decline_reason: string | null;
  scheduled_for: Timestamp | null;
  joining_detail: string | null;
  held_at: Timestamp | null;
  attendee_agency_ids: UuidArray;
  information_shared: string | null;
  section_47: boolean | null;
  conference: boolean | null;
  level_of_need: string | null;
  rationale: string | null;
  recorded_by_name: string | null;
  outcome_due_at: Timestamp | null;
  outcome_shared_at: Timestamp | null;
  breach_alerted_at: Timestamp | null;
  icpc_due_at: Timestamp | null;
}

export interface StrategyDiscussionParticipantTable {
  discussion_id: string;
  /** The discussion's area, copied so every case-data row carries its area (retention, subject access). */
  area_id: string;
  agency_id: string;
  why: ParticipantWhy;
  invited_at: Timestamp;
}

export interface StrategyDiscussionContributionTable {
  id: Generated<string>;
  discussion_id: string;
  /** The discussion's area (as on the participant rows). */
  area_id: string;
  agency_id: string | null;
  author_name: string;
  information: string;
  created_at: Timestamp;
}

export interface StrategyDiscussionTables {
  strategy_discussion: StrategyDiscussionTable;
  strategy_discussion_participant: StrategyDiscussionParticipantTable;
  strategy_discussion_contribution: StrategyDiscussionContributionTable;
}
