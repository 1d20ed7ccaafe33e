import type { ColumnType, Generated } from 'kysely';
import type { ChronologyEventData } from '../../domain/chronology-event.ts';
import type { DefaultedTimestamp, Json, Timestamp } from './common.ts';

/** One entry on a person's chronology; see docs/chronology-and-risk.md. */
export interface ChronologyEventTable {
  id: Generated<string>;
  area_id: string;
  person_id: string;
  type: string;
  occurred_at: Timestamp;
  recorded_at: DefaultedTimestamp;
  source_agency_id: string | null;
  source_agency_kind: string | null;
  significance: 'low' | 'medium' | 'high';
  summary: string;
  data: Json<ChronologyEventData>;
  subject_type: string | null;
  subject_id: string | null;
  recorded_by_user_id: string | null;
  /** Agencies outside the source's sharing group that the event was shared with (a school told of a custody episode). */
  shared_with_agency_ids: ColumnType<string[], string[] | undefined, string[]>;
}

export interface ChronologyTables {
  chronology_event: ChronologyEventTable;
}
