import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';

/** Row counts of every table in the given schemas, keyed `schema.table` (a backup's manifest). */
export async function tableCounts(
  conn: Db | Trx,
  schemas: readonly string[],
): Promise<Record<string, number>> {
  const { rows: tables } = await sql<{ table_schema: string; table_name: string }>`
    select table_schema, table_name from information_schema.tables
    where table_type = 'BASE TABLE' and table_schema = any(${[...schemas]}::text[])
    order by table_schema, table_name`.execute(conn);
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from ${sql.id(table.table_schema, table.table_name)}`.execute(conn);
    counts[`${table.table_schema}.${table.table_name}`] = rows[0]!.n;
  }
  return counts;
}

/** The schema Harbour's own tables live in on this connection (public, or a test's own). */
export async function currentSchema(conn: Db | Trx): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(conn);
  return rows[0]!.schema;
}
