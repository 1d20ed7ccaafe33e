/** Where one page of a list stands: how many rows in all, which page, how many to a page. */
export interface PageCounts {
  total: number;
  page: number;
  pageSize: number;
}

/** How many pages a listing has: at least one, so an empty listing still shows its first page. */
export const pagesOf = (total: number, pageSize: number) => Math.max(1, Math.ceil(total / pageSize));

/** The counts a paged list's JSON answer carries beside its rows, without the rows themselves. */
export function pageCounts(result: PageCounts): PageCounts {
  return { total: result.total, page: result.page, pageSize: result.pageSize };
}

/** A paged list's JSON answer: its rows under the list's name, each as `toJson` gives it, and the counts. */
export function pagedAnswer<K extends string, R, J>(
  name: K,
  result: PageCounts & { rows: readonly R[] },
  toJson: (row: R) => J,
): Record<K, J[]> & PageCounts {
  // A computed key is typed as a string index; the object has exactly `name` and the counts.
  return { [name]: result.rows.map(toJson), ...pageCounts(result) } as Record<K, J[]> & PageCounts;
}
