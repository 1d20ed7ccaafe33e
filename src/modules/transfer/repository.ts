import type { Insertable } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import type { ImportRowTable } from '../../db/schema/health.ts';

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
