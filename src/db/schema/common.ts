import type { ColumnType } from 'kysely';

/** Timestamps are written as Date and read back as Date on both backends. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** 'YYYY-MM-DD': see database.ts for why dates are strings. */
export type DateString = string;
export type Json<T = Record<string, unknown>> = ColumnType<T, string | T, string | T>;
