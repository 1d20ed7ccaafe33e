import type { ColumnType, Generated } from 'kysely';
import type { DateString, DefaultedTimestamp, Json, Timestamp } from './common.ts';

export type NoticeKind = 'incident' | 'custody' | 'missing';
export type NoticeStatus = 'awaiting-review' | 'released' | 'acknowledged';
export type LocalAuthorityReason = 'home-educated' | 'no-school' | 'school-outside-partnership';
export type EscalationStageColumn = 'deputy' | 'local-authority';

/** What a notice tells the key adult (the guidance's content), kept as it was sent. */
export interface NoticeContent {
  childName: string;
  dateOfBirth: string | null;
  policeReference: string;
  occurredAt: string;
  place: string;
  present: boolean | null;
  witnessed: boolean | null;
  childSaid: string | null;
  summary: string;
  doNotApproachParents: true;
  /** The addressee's name as it was when the notice was made. */
  addresseeName: string;
}

export interface EncompassSchoolTable {
  agency_id: string;
  area_id: string;
  urn: string;
  phase: string;
  statutory_low_age: number;
  statutory_high_age: number;
  postcode: string;
  key_adult_user_id: string | null;
  deputy_user_ids: ColumnType<string[], string[] | undefined, string[]>;
  contact_email: string | null;
  contact_phone: string | null;
  address: string | null;
  updated_at: DefaultedTimestamp;
  updated_by_name: string;
}

export interface EncompassCalendarDayTable {
  id: Generated<string>;
  area_id: string;
  kind: 'term' | 'inset';
  starts_on: DateString;
  ends_on: DateString;
  note: string | null;
  created_by_name: string;
  created_at: DefaultedTimestamp;
}

export interface EncompassNoticeTable {
  id: Generated<string>;
  reference: string;
  area_id: string;
  kind: NoticeKind;
  contact_id: string | null;
  person_id: string;
  school_agency_id: string | null;
  addressee_agency_id: string;
  la_reason: LocalAuthorityReason | null;
  source_agency_id: string | null;
  police_reference: string;
  occurred_at: Timestamp;
  content: Json<NoticeContent>;
  due_by: Timestamp;
  status: NoticeStatus;
  release_by: Timestamp | null;
  released_at: Timestamp | null;
  reviewed_by_name: string | null;
  acknowledged_at: Timestamp | null;
  acknowledged_by_user_id: string | null;
  acknowledged_by_name: string | null;
  action_taken: string | null;
  support_offered: boolean | null;
  logged_on_school_system: boolean | null;
  escalation_stage: EscalationStageColumn | null;
  created_by_name: string;
  created_at: DefaultedTimestamp;
}

export interface EncompassEscalationTable {
  id: Generated<string>;
  notice_id: string;
  area_id: string;
  stage: EscalationStageColumn;
  notified_agency_ids: ColumnType<string[], string[], string[]>;
  notified_user_ids: ColumnType<string[], string[] | undefined, string[]>;
  at: Timestamp;
}

export interface EncompassTables {
  encompass_school: EncompassSchoolTable;
  encompass_calendar_day: EncompassCalendarDayTable;
  encompass_notice: EncompassNoticeTable;
  encompass_escalation: EncompassEscalationTable;
}
