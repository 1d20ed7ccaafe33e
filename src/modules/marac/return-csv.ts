import { CASE_MEASURES, PEOPLE_MEASURES, type ReturnMeasure } from '../../domain/marac/return-measures.ts';
import type { SafeLivesReturn } from '../../domain/marac/safelives.ts';

/** The SafeLives return as a two-column CSV (measure, value): figures only, no person. */
export function csvOfReturn(quarter: string, figures: SafeLivesReturn): string {
  const measureRows = (measures: readonly ReturnMeasure[]) =>
    measures.map((m): [string, number] => [m.name, figures[m.figure]]);
  const rows: [string, string | number][] = [
    ['quarter', quarter],
    ...measureRows(CASE_MEASURES),
    ...Object.entries(figures.referralsByAgencyKind).map(
      ([kind, n]) => [`referrals_${kind}`, n] as [string, number],
    ),
    ...measureRows(PEOPLE_MEASURES),
  ];
  return `measure,value\n${rows.map(([k, v]) => `${k},${v}`).join('\n')}\n`;
}
