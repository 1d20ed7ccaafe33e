import type { Insertable } from 'kysely';
import {
  insertReturningId,
  insertRows as insertRowsOf,
  rowsWhere,
  rowWhere,
  updateWhere,
} from '../../db/common-queries.ts';
import type { Db, Trx } from '../../db/database.ts';
import { pageWithTotal } from '../../db/paging.ts';
import type { ImportReportRowTable, ImportRowTable } from '../../db/schema/health.ts';

type Conn = Db | Trx;

export function startRun(conn: Conn, run: { agencyId: string; fileName: string; at: Date; by: string }) {
  return insertReturningId(conn.insertInto('import_run'), {
    agency_id: run.agencyId,
    file_name: run.fileName,
    started_at: run.at,
    started_by_name: run.by,
  });
}

export async function finishRun(conn: Conn, id: string, at: Date, counts: Record<string, number>) {
  await updateWhere(conn.updateTable('import_run').set({ finished_at: at, counts: JSON.stringify(counts) }), {
    id,
  });
}

/** Rows of this agency already imported, by the sender's reference. */
export function importedRows(conn: Conn, agencyId: string, references: readonly string[]) {
  return rowsWhere(conn.selectFrom('import_row').selectAll(), {
    agency_id: agencyId,
    source_reference: references,
  });
}

export function insertRows(trx: Trx, rows: readonly Insertable<ImportRowTable>[]) {
  return insertRowsOf(trx.insertInto('import_row'), rows);
}

export function runsOf(conn: Conn, agencyIds: readonly string[]) {
  return rowsWhere(
    conn.selectFrom('import_run').selectAll().limit(50),
    { agency_id: agencyIds },
    'started_at desc',
  );
}

export async function insertReportRows(conn: Conn, rows: readonly Insertable<ImportReportRowTable>[]) {
  // A 100,000-row file is written a batch at a time; each statement stays well under the
  // driver's parameter limit (7 columns a row).
  for (let i = 0; i < rows.length; i += 5000)
    await conn
      .insertInto('import_report_row')
      .values(rows.slice(i, i + 5000))
      .execute();
}

export function runById(conn: Conn, runId: string) {
  return rowWhere(conn.selectFrom('import_run').selectAll(), { id: runId });
}

export type ReportSort = 'line' | 'outcome' | 'score' | 'reference';
const SORT_COLUMN = {
  line: 'line',
  outcome: 'outcome',
  score: 'score',
  reference: 'source_reference',
} as const;

/** One page of a run's report, optionally of one outcome, with the total of that filter. */
export function reportPage(
  conn: Conn,
  runId: string,
  query: {
    outcome: ImportReportRowTable['outcome'] | null;
    sort: ReportSort;
    order: 'asc' | 'desc';
    limit: number;
    offset: number;
  },
) {
  let base = conn.selectFrom('import_report_row').where('run_id', '=', runId);
  if (query.outcome) base = base.where('outcome', '=', query.outcome);
  return pageWithTotal(base, query, (q) =>
    q
      .selectAll()
      .orderBy(SORT_COLUMN[query.sort], (ob) => (query.order === 'asc' ? ob.asc() : ob.desc()).nullsLast())
      .orderBy('line'),
  );
}

/** Every line of a run's report, in file order (the download). */
export function reportRows(conn: Conn, runId: string) {
  return rowsWhere(conn.selectFrom('import_report_row').selectAll(), { run_id: runId }, 'line');
}
