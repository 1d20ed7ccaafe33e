import { scriptMigration } from '../sql-script.ts';

/**
 * Flags as data (issue 15, finding F19): a person's child-protection plan, looked-after status,
 * MARAC discussion and the partnership's own flag types, each with its owning agency and whom to
 * call. Case data, so it carries the person's area_id. Rows are never deleted: a flag ends with a
 * date and a reason, so what an emergency department was shown on a given day can be told later.
 * The type is not constrained here because a partnership adds its own types in its settings.
 */
export const { up, down } = scriptMigration({
  up: `
    create table person_flag (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person(id),
      area_id uuid not null,
      type text not null,
      start_date date not null,
      review_date date,
      end_date date,
      end_reason text,
      contact text not null,
      owning_agency_id uuid not null references agency(id),
      source_kind text,
      source_id text,
      raised_at timestamptz not null default now(),
      raised_by_user_id uuid,
      raised_by_name text not null,
      ended_at timestamptz,
      ended_by_user_id uuid,
      ended_by_name text,
      check ((end_date is null) = (end_reason is null)),
      check (review_date is null or review_date >= start_date),
      check (end_date is null or end_date >= start_date)
    );
    create index person_flag_person on person_flag(person_id, start_date desc);
    create index person_flag_agency_open on person_flag(owning_agency_id) where end_date is null;
  `,
  down: 'drop table person_flag;',
});
