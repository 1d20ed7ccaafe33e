import type { ColumnType, Generated } from 'kysely';
import type { DefaultedTimestamp, Timestamp } from './common.ts';

export type ActionSourceKind = 'strategy-discussion' | 'marac-case' | 'panel-case';

export interface MultiAgencyActionTable {
  id: Generated<string>;
  source_kind: ActionSourceKind;
  source_id: string;
  /** The area of the meeting the action came from (retention and subject access go by area). */
  area_id: string;
  person_ids: ColumnType<string[], string[] | undefined, string[]>;
  owner_agency_id: string;
  owner_user_id: string | null;
  description: string;
  due_by: Timestamp;
  status: ColumnType<'open' | 'done', 'open' | 'done' | undefined, 'open' | 'done'>;
  created_by_agency_id: string | null;
  created_by_name: string;
  created_at: DefaultedTimestamp;
  done_at: Timestamp | null;
  done_by_user_id: string | null;
  done_by_name: string | null;
  done_note: string | null;
  chased_at: Timestamp | null;
}

export interface ActionTables {
  multi_agency_action: MultiAgencyActionTable;
}
