/** "1 message", "3 messages": a count with its noun, for the sentences rules, pages and panels show. */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}
