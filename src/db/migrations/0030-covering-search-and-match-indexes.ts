import { scriptMigration } from '../sql-script.ts';

/**
 * Index-only reads for search and matching at a million people (docs/performance.md, "Statement
 * costs at scale"). A plain index on an expression or a key still visits the table for every row
 * it finds, and at scale those visits are the statement: the search's prefix branch for a common
 * surname visited 12,000 table pages to return 30,000 ids its index already ordered, and the
 * candidate query read each candidate's names, identifiers and addresses through the table.
 * - the prefix indexes carry the id (and the name itself: PostgreSQL answers an expression index
 *   from the index alone only when the columns the expression reads are in it too);
 * - person_name_other: a person's other names (the current one is on the person row), only those
 *   rows, with the names, so the matcher's per-candidate read of them touches no table page and
 *   the common case (no other names) one small index's pages;
 * - person_address_person and person_identifier_facts carry what the matcher reads.
 * Index-only scans skip the table for pages vacuum has marked all-visible: on a busy partnership
 * autovacuum keeps that true for all but the newest rows.
 */
export const { up, down } = scriptMigration({
  up: `
    drop index person_family_prefix;
    create index person_family_prefix on person(lower(family_name) text_pattern_ops) include (family_name, id);
    drop index person_given_prefix;
    create index person_given_prefix on person(lower(given_name) text_pattern_ops) include (given_name, id);
    drop index person_name_family_prefix;
    create index person_name_family_prefix on person_name(lower(family_name) text_pattern_ops)
      include (family_name, person_id);
    drop index person_name_given_prefix;
    create index person_name_given_prefix on person_name(lower(given_name) text_pattern_ops)
      include (given_name, person_id);
    create index person_name_other on person_name(person_id) include (given_name, family_name)
      where kind <> 'current';
    drop index person_address_person;
    create index person_address_person on person_address(person_id) include (line1, postcode, from_date, to_date);
    create index person_identifier_facts on person_identifier(person_id) include (scheme, value, recorded_at, id);
  `,
  down: `
    drop index person_identifier_facts;
    drop index person_address_person;
    create index person_address_person on person_address(person_id);
    drop index person_name_other;
    drop index person_name_given_prefix;
    create index person_name_given_prefix on person_name(lower(given_name) text_pattern_ops);
    drop index person_name_family_prefix;
    create index person_name_family_prefix on person_name(lower(family_name) text_pattern_ops);
    drop index person_given_prefix;
    create index person_given_prefix on person(lower(given_name) text_pattern_ops);
    drop index person_family_prefix;
    create index person_family_prefix on person(lower(family_name) text_pattern_ops);
  `,
});
