import { scriptMigration } from '../sql-script.ts';
import { CASE_ROW_KEY, FACT_PROVENANCE, PERSON_FACT_KEY } from './table-parts.ts';

/**
 * Identity resolution on top of the person index (docs/people.md):
 * - person.field_sources: which agency supplied a single-valued fact (sex, ethnicity, ...) and when,
 *   for facts filled in after the record was created; otherwise the creator supplied it.
 * - person_incident_role: a person's domestic-abuse role in one incident (victim, perpetrator or
 *   suspect, child in the household).
 * - match_review: pairs of records that may be one person, waiting for MASH staff; one row per
 *   pair ever (a unique index on the unordered pair), so a pair judged "not the same person" is
 *   never offered again.
 * - person_merge: every merge, with exactly which rows moved, so an unmerge can put them back.
 */
export const { up, down } = scriptMigration({
  up: `
    alter table person add column field_sources jsonb not null default '{}';

    create table person_incident_role (
      ${PERSON_FACT_KEY},
      incident_reference text not null,
      role text not null check (role in ('victim', 'perpetrator', 'suspect', 'child-in-household')),
      occurred_on date,
      ${FACT_PROVENANCE}
    );
    create index person_incident_role_person on person_incident_role(person_id);
    create index person_incident_role_incident on person_incident_role(incident_reference);

    create table match_review (
      ${CASE_ROW_KEY},
      person_id uuid not null references person(id),
      candidate_id uuid not null references person(id),
      score double precision not null,
      band text not null check (band in ('auto-link', 'review')),
      reasons jsonb not null,
      origin text not null,
      status text not null default 'pending' check (status in ('pending', 'merged', 'not-same')),
      created_by_agency_id uuid references agency(id),
      created_at timestamptz not null default now(),
      decided_at timestamptz,
      decided_by_user_id uuid,
      decided_by_name text,
      decision_note text,
      check (person_id <> candidate_id)
    );
    create unique index match_review_pair on match_review(least(person_id, candidate_id), greatest(person_id, candidate_id));
    create index match_review_status on match_review(status, created_at);
    create index match_review_candidate on match_review(candidate_id);

    create table person_merge (
      ${CASE_ROW_KEY},
      survivor_id uuid not null references person(id),
      merged_id uuid not null references person(id),
      review_id uuid references match_review(id),
      reason text not null,
      moved jsonb not null,
      merged_at timestamptz not null default now(),
      merged_by_user_id uuid,
      merged_by_name text not null,
      unmerged_at timestamptz,
      unmerged_by_user_id uuid,
      unmerged_by_name text,
      unmerge_reason text
    );
    create index person_merge_survivor on person_merge(survivor_id);
    create index person_merge_merged on person_merge(merged_id);
    create index person_merge_time on person_merge(merged_at desc);
  `,
  down: `drop table person_merge; drop table match_review; drop table person_incident_role;
     alter table person drop column field_sources;`,
});
