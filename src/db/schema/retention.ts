import type { Generated } from 'kysely';
import type { DateString, Timestamp } from './common.ts';

/** A listing of records due for removal (decision 0012); owned by the data-protection module. */
export interface RetentionRunTable {
  id: Generated<string>;
  listed_at: Timestamp;
  listed_by_name: string;
  as_of: DateString;
  status: 'listed' | 'confirmed' | 'superseded';
  confirmed_at: Timestamp | null;
  confirmed_by_user_id: string | null;
  confirmed_by_name: string | null;
}

export interface RetentionItemTable {
  run_id: string;
  record_type: 'person' | 'contact';
  record_id: string;
  area_id: string;
  rule: string;
  due_on: DateString;
  removed_at: Timestamp | null;
}

export interface RetentionTables {
  retention_run: RetentionRunTable;
  retention_item: RetentionItemTable;
}
