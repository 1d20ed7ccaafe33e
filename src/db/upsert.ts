/**
 * What an upsert overwrites when its row is already there: the row's values for every column but
 * those named (the conflict key, and any column the first insert settles for good), as the
 * `doUpdateSet` of `insertInto(...).values(row).onConflict(...)`.
 */
export function overwriteExcept<Row extends object, Kept extends keyof Row>(
  row: Row,
  ...kept: Kept[]
): Omit<Row, Kept> {
  const rest: Partial<Row> = { ...row };
  for (const key of kept) delete rest[key];
  return rest as Omit<Row, Kept>;
}
