import { scriptMigration } from '../sql-script.ts';
import { CASE_ROW_KEY, whoAndWhen } from './table-parts.ts';

/**
 * Operation Encompass (docs/encompass.md, decision 0019). A school is an agency of kind 'school'
 * (the directory's); encompass_school holds what Encompass needs of it: the DfE URN, phase and
 * statutory age range, its key adult (the DSL) and deputies, and where to reach it.
 * encompass_calendar_day holds term dates and INSET days an administrator adds on top of the
 * partnership file's. A notice is one child's, addressed to a school or (school_agency_id null) to
 * the local authority; its content is kept as sent, and each escalation is a row.
 */
export const { up } = scriptMigration({
  up: `
    create table encompass_school (
      agency_id uuid primary key references agency(id),
      area_id uuid not null references area(id),
      urn text not null unique check (urn ~ '^[0-9]{6,7}$'),
      phase text not null,
      statutory_low_age integer not null check (statutory_low_age between 0 and 25),
      statutory_high_age integer not null check (statutory_high_age between 0 and 25),
      postcode text not null,
      key_adult_user_id uuid references app_user(id),
      deputy_user_ids uuid[] not null default '{}',
      contact_email text,
      contact_phone text,
      address text,
      updated_at timestamptz not null default now(),
      updated_by_name text not null
    );
    create index encompass_school_area on encompass_school(area_id);

    create table encompass_calendar_day (
      ${CASE_ROW_KEY},
      kind text not null check (kind in ('term', 'inset')),
      starts_on date not null,
      ends_on date not null,
      note text,
      created_by_name text not null,
      created_at timestamptz not null default now(),
      check (ends_on >= starts_on)
    );
    create index encompass_calendar_day_area on encompass_calendar_day(area_id, starts_on);

    create table encompass_notice (
      id uuid primary key default gen_random_uuid(),
      reference text not null unique,
      area_id uuid not null references area(id),
      kind text not null check (kind in ('incident', 'custody', 'missing')),
      contact_id uuid,
      person_id uuid not null references person(id),
      school_agency_id uuid references agency(id),
      addressee_agency_id uuid not null references agency(id),
      la_reason text check (la_reason in ('home-educated', 'no-school', 'school-outside-partnership')),
      source_agency_id uuid references agency(id),
      police_reference text not null,
      occurred_at timestamptz not null,
      content jsonb not null,
      due_by timestamptz not null,
      status text not null check (status in ('awaiting-review', 'released', 'acknowledged')),
      release_by timestamptz,
      released_at timestamptz,
      reviewed_by_name text,
      ${whoAndWhen('acknowledged', 'nullable')},
      action_taken text,
      support_offered boolean,
      logged_on_school_system boolean,
      escalation_stage text check (escalation_stage in ('deputy', 'local-authority')),
      created_by_name text not null,
      created_at timestamptz not null default now(),
      check ((school_agency_id is null) = (la_reason is not null))
    );
    create index encompass_notice_addressee on encompass_notice(addressee_agency_id, status, due_by);
    create index encompass_notice_area on encompass_notice(area_id, created_at);
    create index encompass_notice_person on encompass_notice(person_id);
    create index encompass_notice_contact on encompass_notice(contact_id);

    create table encompass_escalation (
      id uuid primary key default gen_random_uuid(),
      notice_id uuid not null references encompass_notice(id),
      area_id uuid not null references area(id),
      stage text not null check (stage in ('deputy', 'local-authority')),
      notified_agency_ids uuid[] not null,
      notified_user_ids uuid[] not null default '{}',
      at timestamptz not null
    );
    create index encompass_escalation_notice on encompass_escalation(notice_id);
    `,
});
