import { scriptMigration } from '../sql-script.ts';
import { CASE_ROW_KEY, CREATED_AND_UPDATED, whoAndWhen } from './table-parts.ts';

/**
 * The front door: contacts and police domestic abuse notifications (one table, `kind` tells them
 * apart), the people each concerns, multi-agency enquiries, threshold decisions with manager
 * sign-off, the contact's history, in-app notifications, idempotency keys for the API, and
 * early-help step-up / step-down. Queue reads are "open contacts in an area by due time", so
 * the main index leads with area_id and status and carries decision_due_at.
 */
export const { up, down } = scriptMigration({
  up: `
    create sequence contact_reference_seq;

    create table contact (
      ${CASE_ROW_KEY},
      reference text not null unique default ('FD-' || lpad(nextval('contact_reference_seq')::text, 6, '0')),
      kind text not null check (kind in ('contact', 'dan')),
      status text not null check (status in ('screening', 'gathering', 'awaiting-sign-off', 'closed', 'duplicate', 'joined')),
      route text not null check (route in ('mash', 'early-help-triage')),
      route_reason text not null,
      source_code text not null,
      source_agency_id uuid references agency(id),
      submitted_by_user_id uuid references app_user(id),
      submitted_by_name text not null,
      channel text not null,
      referrer jsonb not null default '{}',
      received_at timestamptz not null,
      concerns text[] not null default '{}',
      details jsonb not null default '{}',
      incident_ref text,
      incident_date date,
      risk_grade text check (risk_grade in ('standard', 'medium', 'high')),
      dash_status text,
      rag text check (rag in ('red', 'amber', 'green', 'blue')),
      rag_source text,
      screened_at timestamptz,
      screened_by_name text,
      screening_due_at timestamptz not null,
      enquiries_due_at timestamptz,
      decision_due_at timestamptz not null,
      feedback_due_at timestamptz not null,
      screening_breached_at timestamptz,
      decision_breached_at timestamptz,
      assigned_user_id uuid references app_user(id),
      assigned_name text,
      duplicate_of_id uuid references contact(id),
      duplicate_count integer not null default 0,
      related_agency_ids uuid[] not null default '{}',
      level_of_need text,
      outcome text,
      decided_at timestamptz,
      feedback text,
      feedback_sent_at timestamptz,
      rescreen_requested_at timestamptz,
      rescreen_reason text,
      closed_at timestamptz,
      ${CREATED_AND_UPDATED}
    );
    create index contact_queue on contact(area_id, status, decision_due_at);
    create index contact_incident_ref on contact(lower(incident_ref)) where incident_ref is not null;
    create index contact_source on contact(source_agency_id, received_at desc);
    create index contact_source_incident_date on contact(source_agency_id, incident_date) where incident_date is not null;
    create index contact_duplicate_of on contact(duplicate_of_id) where duplicate_of_id is not null;
    create index contact_related_agencies on contact using gin (related_agency_ids);
    create index contact_assigned on contact(assigned_user_id) where assigned_user_id is not null;

    create table contact_person (
      contact_id uuid not null references contact(id),
      area_id uuid not null references area(id),
      position integer not null,
      person_id uuid not null references person(id),
      role text not null check (role in ('child', 'victim', 'suspect', 'adult')),
      match_outcome text not null check (match_outcome in ('linked', 'new', 'review')),
      match_score double precision,
      details jsonb not null default '{}',
      chronology_event_id uuid,
      primary key (contact_id, position)
    );
    create index contact_person_person on contact_person(person_id, role);

    create table enquiry (
      ${CASE_ROW_KEY},
      contact_id uuid not null references contact(id),
      agency_id uuid not null references agency(id),
      question text not null,
      status text not null check (status in ('open', 'responded', 'withdrawn')),
      ${whoAndWhen('requested', 'not null')},
      due_at timestamptz not null,
      breached_at timestamptz,
      response text,
      ${whoAndWhen('responded', 'nullable')},
      unique (contact_id, agency_id)
    );
    create index enquiry_inbox on enquiry(agency_id, status, due_at);
    create index enquiry_open_due on enquiry(area_id, status, due_at);

    create table decision (
      ${CASE_ROW_KEY},
      contact_id uuid not null unique references contact(id),
      level_of_need text not null,
      outcome text not null,
      rationale text not null,
      feedback text not null,
      risk_summary_seen jsonb,
      ${whoAndWhen('decided', 'not null')},
      sign_off_status text not null check (sign_off_status in ('not-required', 'awaiting', 'agreed', 'changed')),
      ${whoAndWhen('signed_off', 'nullable')},
      sign_off_reason text,
      final_level_of_need text,
      final_outcome text
    );
    create index decision_sign_off on decision(area_id, sign_off_status);

    create table contact_history (
      ${CASE_ROW_KEY},
      contact_id uuid not null references contact(id),
      at timestamptz not null,
      actor_name text not null,
      kind text not null,
      summary text not null
    );
    create index contact_history_contact on contact_history(contact_id, at);

    create table front_door_notification (
      ${CASE_ROW_KEY},
      contact_id uuid references contact(id),
      enquiry_id uuid references enquiry(id),
      kind text not null,
      audience_role text,
      audience_agency_id uuid references agency(id),
      message text not null,
      created_at timestamptz not null,
      read_at timestamptz,
      dedupe_key text not null unique
    );
    create index front_door_notification_unread on front_door_notification(area_id, read_at);

    create table idempotency_record (
      agency_id uuid not null references agency(id),
      key text not null,
      area_id uuid not null references area(id),
      endpoint text not null,
      request_hash text not null,
      status_code integer not null,
      response jsonb not null,
      created_at timestamptz not null default now(),
      primary key (agency_id, key)
    );

    create table early_help_episode (
      ${CASE_ROW_KEY},
      person_id uuid not null references person(id),
      lead_practitioner text not null,
      lead_agency_id uuid not null references agency(id),
      plan text not null,
      status text not null check (status in ('open', 'stepped-up', 'closed')),
      started_at timestamptz not null,
      from_contact_id uuid references contact(id),
      recorded_by_name text not null,
      closed_at timestamptz
    );
    create index early_help_episode_area on early_help_episode(area_id, status);

    create table early_help_transition (
      ${CASE_ROW_KEY},
      direction text not null check (direction in ('step-up', 'step-down')),
      person_id uuid not null references person(id),
      episode_id uuid not null references early_help_episode(id),
      contact_id uuid not null references contact(id),
      reason text not null,
      handover text not null,
      ${whoAndWhen('recorded', 'not null')}
    );
    create index early_help_transition_area on early_help_transition(area_id, direction, recorded_at);
  `,
  down: `drop table early_help_transition; drop table early_help_episode; drop table idempotency_record;
     drop table front_door_notification; drop table contact_history; drop table decision; drop table enquiry;
     drop table contact_person; drop table contact; drop sequence contact_reference_seq;`,
});
