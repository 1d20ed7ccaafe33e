import { scriptMigration } from '../sql-script.ts';
import { appendOnly } from './table-parts.ts';

/**
 * Reference data, accounts, sessions, API keys and the audit log.
 * Case data tables (from 0002 on) all carry area_id, the key a national deployment shards on.
 */
export const { up, down } = scriptMigration({
  up: `
    create table area (
      id uuid primary key default gen_random_uuid(),
      code text not null unique,
      name text not null,
      postcode_districts text[] not null default '{}',
      created_at timestamptz not null default now()
    );

    create table agency (
      id uuid primary key default gen_random_uuid(),
      code text not null unique check (code ~ '^[a-z0-9][a-z0-9-]*$'),
      name text not null,
      kind text not null,
      ofsted_urn text,
      created_at timestamptz not null default now()
    );

    create table agency_area (
      agency_id uuid not null references agency(id),
      area_id uuid not null references area(id),
      primary key (agency_id, area_id)
    );

    create table team (
      id uuid primary key default gen_random_uuid(),
      agency_id uuid not null references agency(id),
      area_id uuid references area(id),
      code text not null unique,
      name text not null
    );

    create table app_user (
      id uuid primary key default gen_random_uuid(),
      email citext not null unique,
      display_name text not null,
      agency_id uuid not null references agency(id),
      team_id uuid references team(id),
      roles text[] not null,
      password_hash text,
      identity_provider text not null default 'local',
      external_subject text,
      is_system boolean not null default false,
      failed_sign_ins integer not null default 0,
      locked_until timestamptz,
      last_signed_in_at timestamptz,
      disabled_at timestamptz,
      created_at timestamptz not null default now(),
      unique (identity_provider, external_subject)
    );
    create index app_user_agency on app_user(agency_id);

    create table api_key (
      id uuid primary key default gen_random_uuid(),
      agency_id uuid not null references agency(id),
      system_user_id uuid not null references app_user(id),
      label text not null,
      key_prefix text not null,
      key_hash text not null unique,
      created_by text not null,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz,
      revoked_by text
    );

    create table http_session (
      sid text primary key,
      user_id uuid references app_user(id),
      data jsonb not null,
      expires_at timestamptz not null
    );
    create index http_session_expires on http_session(expires_at);

    create table audit_event (
      seq bigint generated always as identity primary key,
      id uuid not null unique,
      occurred_at timestamptz not null,
      actor_user_id uuid,
      actor_name text not null,
      actor_agency_id uuid,
      channel text not null check (channel in ('web', 'api', 'cli', 'system')),
      action text not null,
      outcome text not null check (outcome in ('allowed', 'denied', 'failed')),
      subject_type text,
      subject_id text,
      person_ids uuid[] not null default '{}',
      area_id uuid,
      reason text,
      request_id text,
      details jsonb not null default '{}',
      prev_hash text not null,
      hash text not null unique
    );
    create index audit_event_person_ids on audit_event using gin (person_ids);
    create index audit_event_actor on audit_event(actor_user_id, occurred_at);

    ${appendOnly('audit_event')}
  `,
  down: `
    drop table audit_event; drop function audit_event_is_append_only();
    drop table http_session; drop table api_key; drop table app_user; drop table team;
    drop table agency_area; drop table agency; drop table area;
  `,
});
