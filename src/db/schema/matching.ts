import type { ColumnType, Generated } from 'kysely';

export interface MatchingModelTable {
  version: Generated<number>;
  trained_at: ColumnType<Date, Date | string, never>;
  record_count: number;
  parameters: ColumnType<unknown, string, never>;
  model: ColumnType<unknown, string, never>;
}

export interface MatchingThresholdsTable {
  id: Generated<number>;
  auto_link: number;
  review: number;
  model_version: number | null;
  set_at: ColumnType<Date, Date | string, never>;
  set_by_user_id: string | null;
}

export interface MatchingTables {
  matching_model: MatchingModelTable;
  matching_thresholds: MatchingThresholdsTable;
}
