import { scriptMigration } from '../sql-script.ts';

/**
 * Sign-in (decision 0011): failure counters by account and by network address, kept in the database
 * so every instance throttles alike; TOTP secrets and hashed recovery codes for local accounts.
 * The old per-account lock columns on app_user stay for now and are no longer written.
 */
export const { up, down } = scriptMigration({
  up: `
    create table sign_in_throttle (
      kind text not null check (kind in ('account', 'address')),
      key text not null,
      failures integer not null,
      first_failure_at timestamptz not null,
      last_failure_at timestamptz not null,
      last_attempt_at timestamptz not null,
      blocked_until timestamptz,
      primary key (kind, key)
    );
    create index sign_in_throttle_blocked on sign_in_throttle(blocked_until) where blocked_until is not null;

    create table user_mfa (
      user_id uuid primary key references app_user(id) on delete cascade,
      totp_secret text not null,
      last_time_step bigint,
      enrolled_at timestamptz not null
    );

    create table user_recovery_code (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references app_user(id) on delete cascade,
      code_hash text not null unique,
      created_at timestamptz not null,
      used_at timestamptz
    );
    create index user_recovery_code_user on user_recovery_code(user_id);
  `,
  down: 'drop table user_recovery_code; drop table user_mfa; drop table sign_in_throttle;',
});
