import type { Insertable } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import type { ImportReportRowTable, ImportRowTable } from '../../db/schema/health.ts';

type Conn = Db | Trx;

export async function startRun(
  conn: Conn,
  run: { agencyId: string; fileName: string; at: Date; by: string },
) {
  const { id } = await conn
    .insertInto('import_run')
    .values({ agency_id: run.agencyId, file_name: run.fileName, started_at: run.at, started_by_name: run.by })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function finishRun(conn: Conn, id: string, at: Date, counts: Record<string, number>) {
  await conn
    .updateTable('import_run')
    .set({ finished_at: at, counts: JSON.stringify(counts) })
    .where('id', '=', id)
    .execute();
}

/** Rows of this agency already imported, by the sender's reference. */
export function importedRows(conn: Conn, agencyId: string, references: readonly string[]) {
  if (references.length === 0) return Promise.resolve([]);
  return conn
    .selectFrom('import_row')
    .selectAll()
    .where('agency_id', '=', agencyId)
    .where('source_reference', 'in', [...references])
    .execute();
}

export async function insertRows(trx: Trx, rows: readonly Insertable<ImportRowTable>[]) {
  if (rows.length === 0) return;
  await trx
    .insertInto('import_row')
    .values([...rows])
    .execute();
}

export function runsOf(conn: Conn, agencyIds: readonly string[]) {
  if (agencyIds.length === 0) return Promise.resolve([]);
  return conn
    .selectFrom('import_run')
    .selectAll()
    .where('agency_id', 'in', [...agencyIds])
    .orderBy('started_at', 'desc')
    .limit(50)
    .execute();
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
  return conn.selectFrom('import_run').selectAll().where('id', '=', runId).executeTakeFirst();
}

export type ReportSort = 'line' | 'outcome' | 'score' | 'reference';
const SORT_COLUMN = {
  line: 'line',
  outcome: 'outcome',
  score: 'score',
  reference: 'source_reference',
} as const;

/** One page of a run's report, optionally of one outcome, with the total of that filter. */
export async function reportPage(
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
  const [{ total }, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
    base
      .selectAll()
      .orderBy(SORT_COLUMN[query.sort], (ob) => (query.order === 'asc' ? ob.asc() : ob.desc()).nullsLast())
      .orderBy('line')
      .limit(query.limit)
      .offset(query.offset)
      .execute(),
  ]);
  return { total: Number(total), rows };
}

/** Every line of a run's report, in file order (the download). */
export function reportRows(conn: Conn, runId: string) {
  return conn
    .selectFrom('import_report_row')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('line')
    .execute();
}
