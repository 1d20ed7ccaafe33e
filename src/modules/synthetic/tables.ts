/**
 * The tables the generator fills, column by column, with the PostgreSQL type each column is sent
 * as. Rows are held column-wise so that a batch goes to the database as one
 * `INSERT ... SELECT FROM unnest($1::type[], ...)` statement: one round trip and one parse for
 * thousands of rows, on PGlite and PostgreSQL alike.
 *
 * Array columns (`text[]`, `uuid[]`) cannot ride in a ragged two-dimensional parameter, so they are
 * sent as one string joined with ARRAY_SEPARATOR and split in SQL; `jsonb` is sent as text.
 */
export const ARRAY_SEPARATOR = '\x1f';

export type ColumnType = 'uuid' | 'text' | 'date' | 'timestamptz' | 'jsonb' | 'text[]' | 'uuid[]';

export interface TableSpec {
  readonly name: SyntheticTable;
  readonly columns: readonly (readonly [string, ColumnType])[];
}

export type SyntheticTable =
  | 'person'
  | 'person_name'
  | 'person_identifier'
  | 'person_address'
  | 'person_contact_detail'
  | 'person_relationship'
  | 'access_relationship'
  | 'chronology_event';

const PROVENANCE = [
  ['source_agency_id', 'uuid'],
  ['recorded_at', 'timestamptz'],
] as const;

/** Written parents first: TABLE_ORDER, the load order, is this record's order. */
export const TABLES: Record<SyntheticTable, TableSpec> = {
  person: {
    name: 'person',
    columns: [
      ['id', 'uuid'],
      ['area_id', 'uuid'],
      ['kind', 'text'],
      ['given_name', 'text'],
      ['family_name', 'text'],
      ['preferred_name', 'text'],
      ['date_of_birth', 'date'],
      ['expected_date', 'date'],
      ['sex', 'text'],
      ['ethnicity', 'text'],
      ['language', 'text'],
      ['disability', 'text'],
      ['nhs_number', 'text'],
      ['blocking_keys', 'text[]'],
      ['created_by_agency_id', 'uuid'],
      ['created_at', 'timestamptz'],
      ['updated_at', 'timestamptz'],
    ],
  },
  person_name: {
    name: 'person_name',
    columns: [
      ['id', 'uuid'],
      ['person_id', 'uuid'],
      ['area_id', 'uuid'],
      ['kind', 'text'],
      ['given_name', 'text'],
      ['family_name', 'text'],
      ['valid_from', 'date'],
      ['valid_to', 'date'],
      ...PROVENANCE,
    ],
  },
  person_identifier: {
    name: 'person_identifier',
    columns: [
      ['id', 'uuid'],
      ['person_id', 'uuid'],
      ['area_id', 'uuid'],
      ['scheme', 'text'],
      ['value', 'text'],
      ...PROVENANCE,
    ],
  },
  person_address: {
    name: 'person_address',
    columns: [
      ['id', 'uuid'],
      ['person_id', 'uuid'],
      ['area_id', 'uuid'],
      ['line1', 'text'],
      ['line2', 'text'],
      ['town', 'text'],
      ['postcode', 'text'],
      ['postcode_district', 'text'],
      ['from_date', 'date'],
      ['to_date', 'date'],
      ...PROVENANCE,
    ],
  },
  person_contact_detail: {
    name: 'person_contact_detail',
    columns: [
      ['id', 'uuid'],
      ['person_id', 'uuid'],
      ['area_id', 'uuid'],
      ['kind', 'text'],
      ['value', 'text'],
      ...PROVENANCE,
    ],
  },
  person_relationship: {
    name: 'person_relationship',
    columns: [
      ['id', 'uuid'],
      ['area_id', 'uuid'],
      ['person_id', 'uuid'],
      ['related_person_id', 'uuid'],
      ['kind', 'text'],
      ['incident_reference', 'text'],
      ['from_date', 'date'],
      ['to_date', 'date'],
      ...PROVENANCE,
    ],
  },
  access_relationship: {
    name: 'access_relationship',
    columns: [
      ['id', 'uuid'],
      ['person_id', 'uuid'],
      ['agency_id', 'uuid'],
      ['area_id', 'uuid'],
      ['basis', 'text'],
      ['granted_by_agency_id', 'uuid'],
      ['granted_by_name', 'text'],
      ['granted_at', 'timestamptz'],
    ],
  },
  chronology_event: {
    name: 'chronology_event',
    columns: [
      ['id', 'uuid'],
      ['area_id', 'uuid'],
      ['person_id', 'uuid'],
      ['type', 'text'],
      ['occurred_at', 'timestamptz'],
      ['recorded_at', 'timestamptz'],
      ['source_agency_id', 'uuid'],
      ['source_agency_kind', 'text'],
      ['significance', 'text'],
      ['summary', 'text'],
      ['data', 'jsonb'],
      ['subject_type', 'text'],
      ['subject_id', 'text'],
      ['recorded_by_user_id', 'uuid'],
      ['shared_with_agency_ids', 'uuid[]'],
    ],
  },
};

/** Load order: parents before the rows that reference them, as TABLES is written. */
export const TABLE_ORDER = Object.keys(TABLES) as readonly SyntheticTable[];

export type Cell = string | null;

/** Column-wise rows for one table, ready to become unnest parameters. */
export class ColumnBuffer {
  readonly spec: TableSpec;
  columns: Cell[][];
  length = 0;

  constructor(spec: TableSpec) {
    this.spec = spec;
    this.columns = spec.columns.map(() => []);
  }

  push(row: readonly Cell[]): void {
    for (let i = 0; i < row.length; i++) this.columns[i]!.push(row[i]!);
    this.length++;
  }

  take(): Cell[][] {
    const taken = this.columns;
    this.columns = this.spec.columns.map(() => []);
    this.length = 0;
    return taken;
  }
}
