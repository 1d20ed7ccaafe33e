import { scriptMigration } from '../sql-script.ts';
import { byAgencyAndName } from './table-parts.ts';

/**
 * Health and partner information sharing (issue 15):
 * - break-glass: a clinician who needs more than a flag records a reason and gains a short,
 *   recorded relationship (a basis of access_relationship), each reviewed by the MASH health lead;
 * - health events received by API, idempotent by the sender's own reference;
 * - probation's child-safeguarding checks with police, due a set number of working days before court.
 * - bulk transfer of another provider's records (F20): each run, and each imported row by the
 *   sender's reference, so a second run of the same file changes nothing.
 * All case data carries area_id.
 */
export const { up, down } = scriptMigration({
  up: `
    alter table access_relationship drop constraint access_relationship_basis_check;
    alter table access_relationship add constraint access_relationship_basis_check check (basis in (
      'enquiry', 'strategy-discussion', 'marac', 'school-on-roll', 'registered-gp', 'health-visitor',
      'allocated-worker', 'break-glass'));

    create table break_glass_access (
      id uuid primary key default gen_random_uuid(),
      area_id uuid not null,
      person_id uuid not null references person(id),
      agency_id uuid not null references agency(id),
      user_id uuid,
      user_name text not null,
      reason text not null,
      granted_at timestamptz not null,
      expires_at timestamptz not null,
      reviewed_at timestamptz,
      reviewed_by_name text,
      review_outcome text check (review_outcome in ('appropriate', 'inappropriate')),
      review_note text
    );
    create index break_glass_unreviewed on break_glass_access(area_id, granted_at) where reviewed_at is null;

    create table health_event_receipt (
      agency_id uuid not null references agency(id),
      sender_reference text not null,
      area_id uuid not null,
      person_id uuid not null references person(id),
      event_id uuid not null,
      received_at timestamptz not null,
      primary key (agency_id, sender_reference)
    );

    create table safeguarding_check (
      id uuid primary key default gen_random_uuid(),
      area_id uuid not null,
      person_id uuid not null references person(id),
      ${byAgencyAndName('requested', 'not null')},
      police_agency_id uuid not null references agency(id),
      court_date date not null,
      due_by date not null,
      question text not null,
      requested_at timestamptz not null,
      answered_at timestamptz,
      answered_by_name text,
      answer text,
      escalated_at timestamptz
    );
    create index safeguarding_check_open on safeguarding_check(police_agency_id, due_by) where answered_at is null;

    create table import_run (
      id uuid primary key default gen_random_uuid(),
      agency_id uuid not null references agency(id),
      file_name text not null,
      started_at timestamptz not null,
      finished_at timestamptz,
      started_by_name text not null,
      counts jsonb not null default '{}'
    );
    create table import_row (
      agency_id uuid not null references agency(id),
      source_reference text not null,
      run_id uuid not null references import_run(id),
      line integer not null,
      outcome text not null check (outcome in ('matched', 'created', 'review')),
      person_id uuid not null references person(id),
      area_id uuid not null,
      score double precision,
      primary key (agency_id, source_reference)
    );
  `,
  down: `
    drop table import_row; drop table import_run; drop table safeguarding_check; drop table health_event_receipt; drop table break_glass_access;
    delete from access_relationship where basis = 'break-glass';
    alter table access_relationship drop constraint access_relationship_basis_check;
    alter table access_relationship add constraint access_relationship_basis_check check (basis in (
      'enquiry', 'strategy-discussion', 'marac', 'school-on-roll', 'registered-gp', 'health-visitor',
      'allocated-worker'));
  `,
});
