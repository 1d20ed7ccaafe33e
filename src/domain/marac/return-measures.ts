import type { SafeLivesReturn } from './safelives.ts';

/** The figures of a return that are one number each (the referrals by agency are one per kind). */
type Figure = Exclude<keyof SafeLivesReturn, 'referralsByAgencyKind'>;

/**
 * One measure of the SafeLives return, written once for both the CSV and the return page, so the
 * two cannot drift apart: its name in the CSV, its label on the page and which figure it is.
 */
export interface ReturnMeasure {
  /** The measure's name in the CSV. */
  readonly name: string;
  /** The page's row label; null where the page shows the figure within another row. */
  readonly label: string | null;
  readonly figure: Figure;
  /** What the page shows, where it says more than the figure alone. */
  readonly shown?: (figures: SafeLivesReturn) => string;
}

/**
 * The measures of the cases and who referred them. The CSV follows them with one row per
 * referring agency kind; the page lists those under its own heading.
 */
export const CASE_MEASURES: readonly ReturnMeasure[] = [
  { name: 'cases', label: 'Cases', figure: 'cases' },
  {
    name: 'repeat_cases',
    label: 'Repeat cases',
    figure: 'repeats',
    shown: (f) => `${f.repeats} (${f.repeatPercent}%)`,
  },
  // The page gives the percentage beside the repeat cases, not in a row of its own.
  { name: 'repeat_percent', label: null, figure: 'repeatPercent' },
  { name: 'children_in_households', label: 'Children in the households', figure: 'children' },
  { name: 'police_referrals', label: 'Police referrals', figure: 'policeReferrals' },
  { name: 'non_police_referrals', label: 'Referrals from other agencies', figure: 'nonPoliceReferrals' },
];

/** The measures of the victims and perpetrators (the equality figures), after the referrals. */
export const PEOPLE_MEASURES: readonly ReturnMeasure[] = [
  { name: 'bme_victims', label: 'Black, Asian or minority ethnic victims', figure: 'bme' },
  { name: 'lgbt_victims', label: 'LGBT victims', figure: 'lgbt' },
  { name: 'victims_with_disability', label: 'Victims with a disability', figure: 'disability' },
  { name: 'male_victims', label: 'Male victims', figure: 'maleVictims' },
  { name: 'victims_aged_16_17', label: 'Victims aged 16 or 17', figure: 'victimsAged16To17' },
  { name: 'perpetrators_under_18', label: 'Perpetrators under 18', figure: 'perpetratorsUnder18' },
];
