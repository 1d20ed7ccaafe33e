import type { SelectQueryBuilder } from 'kysely';

/** Which page of a list: by page number (from 1) and size, or as a limit and offset. */
export type PageWindow = { page: number; pageSize: number } | { limit: number; offset: number };

/** A page of rows and how many rows the whole list has. */
export interface PageWithTotal<Row> {
  rows: Row[];
  total: number;
}

/**
 * One page of a filtered list and the list's total, the two statements every paged list sends
 * (issue 11: written once instead of in each repository). `base` holds the joins and conditions
 * both share; `rows` adds what the page shows and its order (end the order on a unique column so
 * pages do not overlap); the total counts `base` alone.
 */
export async function pageWithTotal<D, TB extends keyof D, O, RD, RTB extends keyof RD, Row>(
  base: SelectQueryBuilder<D, TB, O>,
  window: PageWindow,
  rows: (base: SelectQueryBuilder<D, TB, O>) => SelectQueryBuilder<RD, RTB, Row>,
): Promise<PageWithTotal<Row>> {
  const { limit, offset } =
    'limit' in window ? window : { limit: window.pageSize, offset: (window.page - 1) * window.pageSize };
  const [page, count] = await Promise.all([
    rows(base).limit(limit).offset(offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  // With the tables left generic TypeScript cannot name the counted column's type; it is the
  // `total` selected on the line above (a bigint count, which the drivers give as number or string).
  return { rows: page, total: Number((count as { total: number | string }).total) };
}
