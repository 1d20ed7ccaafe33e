import type { Selectable } from 'kysely';
import type { Db } from '../../src/db/database.ts';
import type { DB } from '../../src/db/schema.ts';

/** The tables whose rows have an `id`. */
export type TableWithId = { [K in keyof DB]: DB[K] extends { id: unknown } ? K : never }[keyof DB];

/** Column-by-column values a row must hold, each compared with `=`. */
export type RowMatch<T extends keyof DB> = Partial<Record<keyof DB[T] & string, string | number>>;

/**
 * Every row of a table that holds the values given, column by column: a test reading back what a
 * request stored. Generic over the table, which Kysely's builder is not: the query is built on
 * one table's type and its rows are given the named table's type (the casts below, and only here).
 */
export async function rowsWhere<T extends keyof DB>(
  db: Db,
  table: T,
  where: RowMatch<T>,
): Promise<Selectable<DB[T]>[]> {
  let query = db.selectFrom(table as 'person').selectAll();
  for (const [column, value] of Object.entries(where))
    query = query.where(column as 'id', '=', value as string);
  return (await query.execute()) as unknown as Selectable<DB[T]>[];
}

/** The first row of a table that holds the values given; there must be one. */
export async function rowWhere<T extends keyof DB>(
  db: Db,
  table: T,
  where: RowMatch<T>,
): Promise<Selectable<DB[T]>> {
  const [row] = await rowsWhere(db, table, where);
  if (!row) throw new Error(`No ${table} row with ${JSON.stringify(where)}`);
  return row;
}

/** The row of a table with this id; there must be one. */
export function rowById<T extends TableWithId>(db: Db, table: T, id: string): Promise<Selectable<DB[T]>> {
  return rowWhere(db, table, { id } as RowMatch<T>);
}
