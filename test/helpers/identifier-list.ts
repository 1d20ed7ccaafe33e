/**
 * A person's identifiers as the people service and its API take them, written as [scheme, value]
 * pairs: a test's list reads as the numbers it is about.
 */
export function identifierList(
  ...pairs: readonly (readonly [scheme: string, value: string])[]
): { scheme: string; value: string }[] {
  return pairs.map(([scheme, value]) => ({ scheme, value }));
}
