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
