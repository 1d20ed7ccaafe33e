import { scriptMigration } from '../sql-script.ts';

/**
 * Counters for requests that arrive before anyone is authenticated (decision 10). They live in the
 * database so that every app instance counts against the same limit, and each is one row per key
 * per window however many requests arrive: a flood updates a row, it does not append rows.
 */
export const { up, down } = scriptMigration({
  up: `
    create table rate_limit_counter (
      key text primary key,
      hits integer not null,
      expires_at timestamptz not null
    );
    create index rate_limit_counter_expires on rate_limit_counter(expires_at);

    create table api_auth_failure (
      address text not null,
      reason text not null,
      window_started_at timestamptz not null,
      window_ends_at timestamptz not null,
      failures integer not null,
      first_request_id text,
      last_path text not null,
      primary key (address, reason, window_started_at)
    );
    create index api_auth_failure_window_ends on api_auth_failure(window_ends_at);
    `,
  down: 'drop table api_auth_failure; drop table rate_limit_counter',
});
