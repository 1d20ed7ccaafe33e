/**
 * Optional answers as they are kept: a question left unanswered is stored as `null`, never as a
 * missing key, so a stored detail or an inserted row says "not given" the same way whoever wrote
 * it, and a column the database would otherwise default is set explicitly.
 */

/** A value that may be left out, as kept: null when it is absent (undefined) or already null. */
type Kept<V> = Exclude<V, undefined> | null;

/**
 * The named answers of `source`, each null where it was not given. Either a list of keys (kept
 * under the same names), or a map from the name it is kept under to the key it is read from
 * (`{ contact_id: 'contactId' }`, for a row whose columns are named otherwise).
 */
export function nullWhereAbsent<S extends object, const K extends keyof S>(
  source: S,
  keys: readonly K[],
): { [P in K]: Kept<S[P]> };
export function nullWhereAbsent<S extends object, const M extends Record<string, keyof S>>(
  source: S,
  keys: M,
): { [P in keyof M]: Kept<S[M[P]]> };
export function nullWhereAbsent(
  source: object,
  keys: readonly PropertyKey[] | Record<string, PropertyKey>,
): Record<PropertyKey, unknown> {
  const read = source as Record<PropertyKey, unknown>;
  const pairs: [PropertyKey, PropertyKey][] = Array.isArray(keys)
    ? keys.map((key) => [key, key])
    : Object.entries(keys);
  return Object.fromEntries(pairs.map(([keptAs, key]) => [keptAs, read[key] ?? null]));
}
