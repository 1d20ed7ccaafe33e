import { scriptMigration } from '../sql-script.ts';

/**
 * The person indexes every match and search reads are GIN indexes. By default a GIN index
 * appends new entries to an unsorted pending list that every scan reads in full until vacuum or
 * the list's size limit merges it. With intake adding people all day the list sat at about 290
 * pages (7,220 entries) on the million-person bench data set, and the candidate query for one
 * record took 8.1 ms, nearly all of it reading that list; with the list merged, 0.55 ms
 * (docs/performance.md). Without fast update each insert puts its keys straight into the index: a
 * few hundredths of a millisecond more per person written, so the reads stay at their floor.
 */
export const { up, down } = scriptMigration({
  up: `
    alter index person_blocking_keys set (fastupdate = off);
    alter index person_given_trgm set (fastupdate = off);
    alter index person_family_trgm set (fastupdate = off);
  `,
  down: `alter index person_blocking_keys reset (fastupdate);
     alter index person_given_trgm reset (fastupdate);
     alter index person_family_trgm reset (fastupdate);`,
});
