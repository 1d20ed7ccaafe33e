import type {
  DeleteQueryBuilder,
  DeleteResult,
  Insertable,
  InsertObject,
  InsertQueryBuilder,
  InsertResult,
  Selectable,
  SelectQueryBuilder,
  UpdateQueryBuilder,
  UpdateResult,
} from 'kysely';
import type { DB } from './schema.ts';

/**
 * The statements every repository would otherwise write again for its own tables (issue 11):
 * rows of a table whose columns equal given values, in an order; one such row (by id, or by a key
 * with `… is null`); an update or delete of the matching rows that says how many changed; an
 * insert that returns the new id. Decision 0016 lets src/db/ hold SQL; these are the shapes, and
 * each repository still says what it asks.
 *
 * Every helper takes the query the caller started with Kysely's own `selectFrom`, `updateTable`,
 * `deleteFrom` or `insertInto`, so the table is named, and type-checked, where it always was:
 * the columns a caller may match, order by and select are that table's, and the architecture
 * test still sees which module reads or writes which table.
 */

type Table = keyof DB;
type Columns<T extends Table> = Selectable<DB[T]>;
type ColumnName<T extends Table> = keyof Columns<T> & string;

/**
 * Columns and the values they must hold: a value means `=`, `null` means `is null`, and a list
 * means `in` (an empty list matches nothing, so no statement is sent). A column whose own type is
 * an array cannot be matched with `=` here; write that query out.
 */
export type Match<T extends Table> = {
  readonly [C in keyof Columns<T>]?: Columns<T>[C] | readonly NonNullable<Columns<T>[C]>[];
};

/** A column to order by, ascending, or with ` desc` after it. */
export type Order<T extends Table> = ColumnName<T> | `${ColumnName<T>} desc`;

/**
 * What these helpers call on a Kysely builder, with the column as a plain string. The match's
 * keys are already checked against the table by `Match<T>`, but TypeScript cannot follow a
 * column name out of `Object.entries`, so the builder is seen through this view inside the
 * helpers (the casts below) and handed back with its own type.
 */
interface Narrowable {
  where(column: string, operator: '=' | 'in' | 'is', value: unknown): Narrowable;
  orderBy(column: string, direction: 'asc' | 'desc'): Narrowable;
}

/** The match's conditions, or null when a list in it is empty (nothing can match). */
function conditions(match: object): [string, '=' | 'in' | 'is', unknown][] | null {
  const out: [string, '=' | 'in' | 'is', unknown][] = [];
  for (const [column, value] of Object.entries(match)) {
    // An undefined value is a caller's slip (an id not yet known); matching every row would hide it.
    if (value === undefined) throw new Error(`No value to match for column ${column}`);
    if (Array.isArray(value)) {
      if (value.length === 0) return null;
      out.push([column, 'in', [...value]]);
    } else out.push([column, value === null ? 'is' : '=', value]);
  }
  return out;
}

function narrowed<Q>(query: Q, where: readonly [string, '=' | 'in' | 'is', unknown][]): Q {
  // The view described at Narrowable; the same builder comes back with its own type.
  let q = query as unknown as Narrowable;
  for (const [column, operator, value] of where) q = q.where(column, operator, value);
  return q as unknown as Q;
}

function ordered<Q>(query: Q, order: readonly string[]): Q {
  // As in narrowed: the columns were checked against the table by Order<T>.
  let q = query as unknown as Narrowable;
  for (const term of order) {
    const [column, direction] = term.endsWith(' desc')
      ? [term.slice(0, -5), 'desc' as const]
      : [term, 'asc' as const];
    q = q.orderBy(column, direction);
  }
  return q as unknown as Q;
}

/**
 * The rows of the query (its table and selection) whose columns match, in the order given. A
 * limit or a lock goes on the query passed in: Kysely writes each clause in its place whatever
 * the order of the calls.
 */
export async function rowsWhere<T extends Table, O>(
  query: SelectQueryBuilder<DB, T, O>,
  match: Match<T>,
  ...order: readonly Order<T>[]
): Promise<O[]> {
  const where = conditions(match);
  if (where === null) return [];
  return ordered(narrowed(query, where), order).execute();
}

/** The one row whose columns match (an id, or a key with `… is null`), if there is one. */
export async function rowWhere<T extends Table, O>(
  query: SelectQueryBuilder<DB, T, O>,
  match: Match<T>,
): Promise<O | undefined> {
  const where = conditions(match);
  if (where === null) return undefined;
  return narrowed(query, where).executeTakeFirst();
}

/** Runs an update or a delete on the rows that match; `changed` reads how many it changed. */
async function changedRows<R>(
  query: { executeTakeFirst(): Promise<R> },
  match: object,
  changed: (result: R) => bigint,
): Promise<number> {
  const where = conditions(match);
  if (where === null) return 0;
  return Number(changed(await narrowed(query, where).executeTakeFirst()));
}

/** Runs the update (its `set` given) on the rows that match: how many rows changed. */
export function updateWhere<T extends Table>(
  query: UpdateQueryBuilder<DB, T, T, UpdateResult>,
  match: Match<T>,
): Promise<number> {
  return changedRows(query, match, (result) => result.numUpdatedRows);
}

/**
 * The update applied once: to the one row that matches, typically by id with a column still
 * null (`{ id, reviewed_at: null }`), so a second attempt changes nothing. Whether it changed it.
 */
export async function updateOnce<T extends Table>(
  query: UpdateQueryBuilder<DB, T, T, UpdateResult>,
  match: Match<T>,
): Promise<boolean> {
  return (await updateWhere(query, match)) === 1;
}

/** Deletes the rows that match: how many went. */
export function deleteWhere<T extends Table>(
  query: DeleteQueryBuilder<DB, T, DeleteResult>,
  match: Match<T>,
): Promise<number> {
  return changedRows(query, match, (result) => result.numDeletedRows);
}

/** How many rows of the query's table match (other conditions may already be on the query). */
export async function countWhere<T extends Table, O>(
  query: SelectQueryBuilder<DB, T, O>,
  match: Match<T>,
): Promise<number> {
  const where = conditions(match);
  if (where === null) return 0;
  const row = await narrowed(query, where)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  // As in paging.ts: with the table left generic TypeScript cannot name the counted column.
  return Number((row as { n: number | string }).n);
}

/** Tables with an `id` column: the ones an insert or update can report the rows of. */
type TableWithId = { [T in Table]: 'id' extends keyof Columns<T> ? T : never }[Table];
type IdOf<T extends TableWithId> = Columns<T>['id' & keyof Columns<T>];

/**
 * Runs the update on the rows that match and returns their ids: what a merge moved, so an
 * unmerge can move exactly those back.
 */
export async function updatedIds<T extends TableWithId>(
  query: UpdateQueryBuilder<DB, T, T, UpdateResult>,
  match: Match<T>,
): Promise<IdOf<T>[]> {
  const where = conditions(match);
  if (where === null) return [];
  // `returning('id')` of a table left generic, as in insertReturningId below.
  const updated = narrowed(query, where) as unknown as {
    returning(column: 'id'): { execute(): Promise<{ id: unknown }[]> };
  };
  const rows = await updated.returning('id').execute();
  return rows.map((row) => row.id as IdOf<T>);
}

/** What `insertReturningId` calls on the insert, seen without the table's generic types. */
interface IdReturning {
  values(row: unknown): { returning(column: 'id'): { executeTakeFirstOrThrow(): Promise<{ id: unknown }> } };
}

/** Inserts one row (its values, or expressions such as a sub-select) and returns the id the database gave it. */
export async function insertReturningId<T extends TableWithId>(
  query: InsertQueryBuilder<DB, T, InsertResult>,
  row: InsertObject<DB, T>,
): Promise<IdOf<T>> {
  // TypeScript cannot resolve `values` and `returning('id')` for a table left generic; T is
  // constrained to tables with an id, and the id comes back with that table's type.
  const { id } = await (query as unknown as IdReturning)
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id as IdOf<T>;
}

/** Inserts these rows, if there are any (an empty insert is not valid SQL). */
export async function insertRows<T extends Table>(
  query: InsertQueryBuilder<DB, T, InsertResult>,
  rows: readonly Insertable<DB[T]>[],
): Promise<void> {
  if (rows.length === 0) return;
  // As in insertReturningId: `values` of a generic table; the rows were typed by the caller.
  await (query as unknown as { values(rows: unknown): { execute(): Promise<unknown> } })
    .values([...rows])
    .execute();
}
