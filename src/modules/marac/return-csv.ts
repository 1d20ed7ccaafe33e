import type { SafeLivesReturn } from '../../domain/marac/safelives.ts';

/** The SafeLives return as a two-column CSV (measure, value): figures only, no person. */
export function csvOfReturn(quarter: string, figures: SafeLivesReturn): string {
  const rows: [string, string | number][] = [
    ['quarter', quarter],
    ['cases', figures.cases],
    ['repeat_cases', figures.repeats],
    ['repeat_percent', figures.repeatPercent],
    ['children_in_households', figures.children],
    ['police_referrals', figures.policeReferrals],
    ['non_police_referrals', figures.nonPoliceReferrals],
    ...Object.entries(figures.referralsByAgencyKind).map(
      ([kind, n]) => [`referrals_${kind}`, n] as [string, number],
    ),
    ['bme_victims', figures.bme],
    ['lgbt_victims', figures.lgbt],
    ['victims_with_disability', figures.disability],
    ['male_victims', figures.maleVictims],
    ['victims_aged_16_17', figures.victimsAged16To17],
    ['perpetrators_under_18', figures.perpetratorsUnder18],
  ];
  return `measure,value\n${rows.map(([k, v]) => `${k},${v}`).join('\n')}\n`;
}
