import { scriptMigration } from '../sql-script.ts';

/**
 * Person search and matching at a million people (docs/performance.md):
 * - prefix indexes (text_pattern_ops, so a range on the lowered name is an index range scan under
 *   any collation) on current and other names, and an index on identifier values alone, so that
 *   every branch of the search's candidate union is one index scan;
 * - blocking_key_size: the people behind each blocking key whose block is large, measured by
 *   `harbour matching measure-blocks` (and a nightly job), so the candidate query can leave out a key
 *   that would pull thousands of records it then has to rank;
 * - contact_open_due: the front-door queue's default order (due first) over open contacts only, so
 *   its first page is read in order and stops after a page instead of sorting every open contact.
 */
export const { up, down } = scriptMigration({
  up: `
    create index person_family_prefix on person(lower(family_name) text_pattern_ops);
    create index person_given_prefix on person(lower(given_name) text_pattern_ops);
    create index person_name_family_prefix on person_name(lower(family_name) text_pattern_ops);
    create index person_name_given_prefix on person_name(lower(given_name) text_pattern_ops);
    create index person_identifier_value_only on person_identifier(value);
    create index contact_open_due on contact(decision_due_at, id)
      where status in ('screening', 'gathering', 'awaiting-sign-off');
    create table blocking_key_size (
      key text primary key,
      people integer not null,
      measured_at timestamptz not null default now()
    );
  `,
  down: `drop table blocking_key_size; drop index contact_open_due; drop index person_identifier_value_only;
     drop index person_name_given_prefix; drop index person_name_family_prefix;
     drop index person_given_prefix; drop index person_family_prefix;`,
});
