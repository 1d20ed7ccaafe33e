/**
 * Field-level differences between two versions of a record, for the change history beside the
 * audit log (decision 0016). Pure: no I/O. `before` null means the record was created, `after`
 * null that it was removed. Values compare by content (dates by instant, objects and arrays by
 * their JSON with keys sorted), so re-saving an unchanged value is not a change.
 */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export type RecordVersion = Readonly<Record<string, unknown>> | null;

function normalised(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(normalised);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, normalised(v)]),
    );
  }
  return value;
}

const same = (a: unknown, b: unknown) => JSON.stringify(normalised(a)) === JSON.stringify(normalised(b));

/** Every field whose value differs, in field-name order; `ignore` leaves out bookkeeping fields. */
export function diffRecords(
  before: RecordVersion,
  after: RecordVersion,
  ignore: readonly string[] = [],
): FieldChange[] {
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const field of ignore) fields.delete(field);
  return [...fields]
    .sort()
    .map((field) => ({ field, from: normalised(before?.[field]), to: normalised(after?.[field]) }))
    .filter((change) => !same(change.from, change.to));
}
