import type { ColumnType, Generated } from 'kysely';
import type { DateString, Timestamp } from './common.ts';

/** Break-glass access by a clinician (migration 0022); owned by the health module. */
export interface BreakGlassAccessTable {
  id: Generated<string>;
  area_id: string;
  person_id: string;
  agency_id: string;
  user_id: string | null;
  user_name: string;
  reason: string;
  granted_at: Timestamp;
  expires_at: Timestamp;
  reviewed_at: Timestamp | null;
  reviewed_by_name: string | null;
  review_outcome: 'appropriate' | 'inappropriate' | null;
  review_note: string | null;
}

/** A health event received by API, keyed by the sender's reference (idempotency). */
export interface HealthEventReceiptTable {
  agency_id: string;
  sender_reference: string;
  area_id: string;
  person_id: string;
  event_id: string;
  received_at: Timestamp;
}

/** Probation's child-safeguarding check with police before court (F27). */
export interface SafeguardingCheckTable {
  id: Generated<string>;
  area_id: string;
  person_id: string;
  requested_by_agency_id: string;
  requested_by_name: string;
  police_agency_id: string;
  court_date: DateString;
  due_by: DateString;
  question: string;
  requested_at: Timestamp;
  answered_at: Timestamp | null;
  answered_by_name: string | null;
  answer: string | null;
  escalated_at: Timestamp | null;
}

/** A bulk transfer run (F20); owned by the transfer module. */
export interface ImportRunTable {
  id: Generated<string>;
  agency_id: string;
  file_name: string;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  started_by_name: string;
  counts: ColumnType<Record<string, number>, string | undefined, string>;
}

/** A row a bulk transfer has resolved, by the sender's reference. */
export interface ImportRowTable {
  agency_id: string;
  source_reference: string;
  run_id: string;
  line: number;
  outcome: 'matched' | 'created' | 'review';
  person_id: string;
  area_id: string;
  score: number | null;
}

/** One line of a run's reconciliation report (migration 0027): every row of every run, rejected ones too. */
export interface ImportReportRowTable {
  run_id: string;
  line: number;
  source_reference: string;
  outcome: 'matched' | 'created' | 'review' | 'rejected' | 'unchanged';
  person_id: string | null;
  score: number | null;
  reason: string | null;
}

export interface HealthTables {
  import_run: ImportRunTable;
  import_row: ImportRowTable;
  import_report_row: ImportReportRowTable;
  break_glass_access: BreakGlassAccessTable;
  health_event_receipt: HealthEventReceiptTable;
  safeguarding_check: SafeguardingCheckTable;
}
