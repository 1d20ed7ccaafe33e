import type { Selectable } from 'kysely';
import type { Db } from '../../src/db/database.ts';
import type { DB } from '../../src/db/schema.ts';

/** The tables whose rows have an `id` of their own. */
export type TableWithId = {
  [Table in keyof DB]: DB[Table] extends { id: unknown } ? Table : never;
}[keyof DB];

/** A row as it is stored, by its table and id; throws when there is none. */
export function rowById<Table extends TableWithId>(
  db: Db,
  table: Table,
  id: string,
): Promise<Selectable<DB[Table]>> {
  // Kysely cannot check a `where` on a table named by a type parameter; every table of the union
  // has `id`, so the query is written against one of them and its row typed as `Table`'s.
  return db
    .selectFrom(table as 'person')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow() as Promise<unknown> as Promise<Selectable<DB[Table]>>;
}
