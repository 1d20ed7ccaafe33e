import { scriptMigration } from '../sql-script.ts';

/**
 * Learnt matching models (docs/matching.md, decision 0014): each training run stores a new
 * version with when it was trained, how many people it was trained on, the training parameters
 * and the model itself (weights, term frequencies, threshold trade-off). Resolution uses the
 * newest; older versions stay so a link can be explained by the model that made it.
 * matching_thresholds: the auto-link and review thresholds a manager set from the trade-off
 * table; the newest row overrides the partnership file's matching.autoLink and matching.review.
 * person_identifier.scheme: any identifier type (built-in or partnership-defined, validated by the
 * application against its type), no longer only the four first built in.
 */
export const { up, down } = scriptMigration({
  up: `
    alter table person_identifier drop constraint person_identifier_scheme_check;
    alter table person_identifier add constraint person_identifier_scheme_check
      check (scheme ~ '^[a-z][a-z0-9-]{1,30}$');
    create table matching_model (
      version integer generated always as identity primary key,
      trained_at timestamptz not null,
      record_count integer not null,
      parameters jsonb not null,
      model jsonb not null
    );
    create table matching_thresholds (
      id integer generated always as identity primary key,
      auto_link double precision not null,
      review double precision not null check (review <= auto_link),
      model_version integer references matching_model(version),
      set_at timestamptz not null,
      set_by_user_id uuid references app_user(id)
    );
  `,
  down: `drop table matching_thresholds; drop table matching_model;
     alter table person_identifier drop constraint person_identifier_scheme_check;
     alter table person_identifier add constraint person_identifier_scheme_check
       check (scheme in ('nhs', 'upn', 'la', 'police'));`,
});
