/** Where one page of a list stands: how many rows in all, which page, how many to a page. */
export interface PageCounts {
  total: number;
  page: number;
  pageSize: number;
}

/** The counts a paged list's JSON answer carries beside its rows, without the rows themselves. */
export function pageCounts(result: PageCounts): PageCounts {
  return { total: result.total, page: result.page, pageSize: result.pageSize };
}
