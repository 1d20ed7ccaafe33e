import { scriptMigration } from '../sql-script.ts';
import { CASE_ROW_KEY, CREATED_AND_UPDATED } from './table-parts.ts';

/**
 * Risk: stored instrument assessments, "DASH awaited" expectations with their reminders, the
 * cumulative-risk summaries workers were shown, each child's last computed level (the queue's
 * "history suggests higher risk" marker) and review tasks raised when the picture worsens.
 * contact_id has no foreign key: contacts belong to the front door and arrive in their own migration.
 */
export const { up, down } = scriptMigration({
  up: `
    create table risk_assessment (
      ${CASE_ROW_KEY},
      instrument_id text not null,
      instrument_version text not null,
      victim_person_id uuid not null references person(id),
      perpetrator_person_ids uuid[] not null default '{}',
      child_person_ids uuid[] not null default '{}',
      contact_id uuid,
      incident_reference text,
      assessed_at timestamptz not null,
      answers jsonb not null,
      score integer not null,
      score_band text not null check (score_band in ('standard', 'medium', 'high')),
      judged_level text check (judged_level in ('standard', 'medium', 'high')),
      judgement_reason text,
      level text not null check (level in ('standard', 'medium', 'high')),
      prompts text[] not null default '{}',
      assessor_user_id uuid,
      assessor_agency_id uuid references agency(id),
      created_at timestamptz not null default now()
    );
    create index risk_assessment_victim on risk_assessment(victim_person_id, assessed_at desc);
    create index risk_assessment_contact on risk_assessment(contact_id) where contact_id is not null;

    create table dash_expectation (
      ${CASE_ROW_KEY},
      contact_id uuid not null,
      person_ids uuid[] not null default '{}',
      officer_user_id uuid,
      officer_name text,
      supervisor_agency_id uuid not null references agency(id),
      awaited_since timestamptz not null,
      due_at timestamptz not null,
      escalate_at timestamptz not null,
      status text not null default 'awaited' check (status in ('awaited', 'received')),
      reminded_at timestamptz,
      escalated_at timestamptz,
      assessment_id uuid references risk_assessment(id),
      received_at timestamptz,
      created_at timestamptz not null default now()
    );
    create unique index dash_expectation_contact on dash_expectation(contact_id);
    create index dash_expectation_awaited on dash_expectation(supervisor_agency_id, awaited_since)
      where status = 'awaited';

    create table dash_awaited_notice (
      id uuid primary key default gen_random_uuid(),
      expectation_id uuid not null references dash_expectation(id),
      area_id uuid not null references area(id),
      user_id uuid not null references app_user(id),
      kind text not null check (kind in ('reminder', 'escalation')),
      created_at timestamptz not null default now(),
      read_at timestamptz,
      unique (expectation_id, user_id, kind)
    );
    create index dash_awaited_notice_user on dash_awaited_notice(user_id) where read_at is null;

    create table risk_summary (
      ${CASE_ROW_KEY},
      child_person_id uuid not null references person(id),
      hash text not null,
      level text not null,
      result jsonb not null,
      created_at timestamptz not null default now(),
      unique (child_person_id, hash)
    );

    create table risk_child_state (
      child_person_id uuid primary key references person(id),
      area_id uuid not null references area(id),
      level text not null,
      latest_recorded_level text,
      raised_above_recorded boolean not null,
      summary_id uuid references risk_summary(id),
      computed_at timestamptz not null
    );

    create table risk_review_task (
      ${CASE_ROW_KEY},
      child_person_id uuid not null references person(id),
      status text not null default 'open' check (status in ('open', 'closed')),
      cumulative_level text not null,
      decision_level text not null,
      decision_event_id uuid references chronology_event(id),
      summary_id uuid references risk_summary(id),
      trigger_event_ids uuid[] not null default '{}',
      reasons text not null,
      ${CREATED_AND_UPDATED},
      closed_at timestamptz,
      closed_by_user_id uuid,
      closing_note text
    );
    create unique index risk_review_task_open on risk_review_task(child_person_id) where status = 'open';
    create index risk_review_task_area on risk_review_task(area_id, created_at) where status = 'open';
  `,
  down: `drop table risk_review_task; drop table risk_child_state; drop table risk_summary;
     drop table dash_awaited_notice; drop table dash_expectation; drop table risk_assessment;`,
});
