import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

/**
 * The reconciliation report of a bulk transfer (issue 15, F20), kept for every run: one row per
 * line of the file with its outcome. import_row keeps only the rows identity resolution took (by
 * the sender's reference, which is what makes a re-run change nothing); this table also keeps the
 * rows a run rejected, with the reason, and the rows a re-run found unchanged, so the report of any
 * run can be paged, filtered and downloaded later and its counts add up to the file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create table import_report_row (
      run_id uuid not null references import_run(id),
      line integer not null,
      source_reference text not null,
      outcome text not null check (outcome in ('matched', 'created', 'review', 'rejected', 'unchanged')),
      person_id uuid references person(id),
      score double precision,
      reason text,
      primary key (run_id, line),
      check ((outcome = 'rejected') = (reason is not null)),
      check ((outcome = 'rejected') = (person_id is null))
    );
    create index import_report_row_outcome on import_report_row(run_id, outcome, line);
    create index import_report_row_person on import_report_row(person_id) where person_id is not null;
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(db, 'drop table import_report_row;');
}
