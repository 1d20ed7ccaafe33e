import type { Generated } from 'kysely';
import type { DateString, DefaultedTimestamp, Timestamp } from './common.ts';

/** A flag on a person (migration 0021); owned by the flags module. */
export interface PersonFlagTable {
  id: Generated<string>;
  person_id: string;
  area_id: string;
  type: string;
  start_date: DateString;
  review_date: DateString | null;
  end_date: DateString | null;
  end_reason: string | null;
  contact: string;
  owning_agency_id: string;
  source_kind: string | null;
  source_id: string | null;
  raised_at: DefaultedTimestamp;
  raised_by_user_id: string | null;
  raised_by_name: string;
  ended_at: Timestamp | null;
  ended_by_user_id: string | null;
  ended_by_name: string | null;
}

export interface FlagTables {
  person_flag: PersonFlagTable;
}
