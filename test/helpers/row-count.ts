import type { Db } from '../../src/db/database.ts';
import type { DB } from '../../src/db/schema.ts';

/** How many rows a table holds: a test's before-and-after check that something changed nothing. */
export async function rowCount(db: Db, table: keyof DB): Promise<number> {
  const { n } = await db
    .selectFrom(table as 'person')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

/**
 * How many rows of a table hold every value given, column by column: a test's check of what one
 * request wrote (or, refused, did not). Generic over the table, so Kysely cannot check the column
 * names itself: they are typed as the table's own by `where`'s type and cast for the query.
 */
export async function rowCountWhere<T extends keyof DB>(
  db: Db,
  table: T,
  where: Partial<Record<keyof DB[T] & string, string>>,
): Promise<number> {
  let query = db.selectFrom(table as 'person').select((eb) => eb.fn.countAll<number>().as('n'));
  for (const [column, value] of Object.entries(where))
    query = query.where(column as 'id', '=', value as string);
  const { n } = await query.executeTakeFirstOrThrow();
  return Number(n);
}
