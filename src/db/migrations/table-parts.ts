/**
 * Columns and statements that several tables declare alike, written once and interpolated into
 * the migrations' SQL. Released migrations render these, so the text each produces is part of
 * what those migrations did: add a new part for a new shape, never edit one in place.
 */

/** The key of a row of case data: its own id and the area whose partnership holds it. */
export const CASE_ROW_KEY = `id uuid primary key default gen_random_uuid(),
      area_id uuid not null references area(id)`;

/** The key of a fact recorded about a person: its own id, the person, and the person's area. */
export const PERSON_FACT_KEY = `id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person(id),
      area_id uuid not null references area(id)`;

/** Where a fact about a person came from and when it was written down. */
export const FACT_PROVENANCE = `source_agency_id uuid references agency(id),
      recorded_at timestamptz not null default now()`;

/** When a row was created and last changed. */
export const CREATED_AND_UPDATED = `created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()`;

/** A trigger that refuses every update and delete on a table whose rows are a permanent record. */
export function appendOnly(table: string): string {
  return `create function ${table}_is_append_only() returns trigger language plpgsql as $$
    begin
      raise exception '${table} is append-only';
    end $$;
    create trigger ${table}_append_only before update or delete on ${table}
      for each row execute function ${table}_is_append_only();`;
}

/**
 * Who did an act and when: `<act>_at`, the signed-in user (`<act>_by_user_id`) and the name shown
 * for them (`<act>_by_name`). 'not null' where the row is written by the act itself; 'nullable'
 * where the act comes later and the three stay empty until it does. Released migrations render
 * this, so changing its text changes what they did: write a new part instead.
 */
export function whoAndWhen(act: string, columns: 'not null' | 'nullable'): string {
  const required = columns === 'not null' ? ' not null' : '';
  return `${act}_at timestamptz${required},
      ${act}_by_user_id uuid references app_user(id),
      ${act}_by_name text${required}`;
}

/**
 * Who did an act for an agency: the agency (`<act>_by_agency_id`, 'nullable' where an operator
 * or the system may act for none) and the name of the person shown (`<act>_by_name`). Released
 * migrations render this, so changing its text changes what they did: write a new part instead.
 */
export function byAgencyAndName(act: string, agency: 'not null' | 'nullable'): string {
  return `${act}_by_agency_id uuid${agency === 'not null' ? ' not null' : ''} references agency(id),
      ${act}_by_name text not null`;
}
