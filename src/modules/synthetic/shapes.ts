/**
 * The shape of a synthetic partnership: how many people live in which kinds of household, how
 * often agencies make contact about children and from where, how domestic abuse clusters and
 * repeats, how often families move and how noisily agencies record people. The figures are
 * rounded from public statistics (DfE Children in Need census referral sources, ONS household
 * composition and Crime Survey repeat victimisation) so the data has the right skew; they are not
 * a model of any real place. See docs/performance.md.
 */
import type { AgencyKind } from '../../platform/roles.ts';

export interface SyntheticPreset {
  readonly name: string;
  readonly people: number;
  readonly years: number;
  readonly description: string;
}

export const PRESETS: Readonly<Record<string, SyntheticPreset>> = {
  'medium-unitary': {
    name: 'medium-unitary',
    people: 300_000,
    years: 10,
    description: 'a medium unitary authority: about 300,000 people and 15,000 contacts a year',
  },
  'large-county': {
    name: 'large-county',
    people: 1_500_000,
    years: 10,
    description: 'a large county: about 1.5 million people and 80,000 contacts a year',
  },
};

/** Contacts about children per resident per year: 300k → ≈15.8k, 1.5M → ≈79k. */
export const CONTACTS_PER_PERSON_YEAR = 0.0525;

/** People per postcode district and households per postcode unit, roughly as in England. */
export const PEOPLE_PER_DISTRICT = 25_000;
export const HOUSEHOLDS_PER_POSTCODE = 15;

/** What Random.weighted draws from: each value with its weight. */
export type Weights<T> = readonly { value: T; weight: number }[];

/**
 * A weight table written as `{ value: weight }`, in the order written (no key is an integer, so
 * the object keeps that order, and the draws of a seed stay the same).
 */
function byWeight<T extends string>(weights: Readonly<Record<T, number>>): Weights<T> {
  return (Object.entries(weights) as [T, number][]).map(([value, weight]) => ({ value, weight }));
}

export type HouseholdKind = 'single' | 'couple' | 'family' | 'single-parent' | 'shared';

/** Households in the person index, by kind (average size ≈ 2.4, about a fifth of people children). */
export const HOUSEHOLD_KINDS: Weights<HouseholdKind> = byWeight({
  single: 30,
  couple: 30,
  family: 22,
  'single-parent': 10,
  shared: 8,
});

export const CHILDREN_PER_FAMILY: Weights<number> = [
  { value: 1, weight: 42 },
  { value: 2, weight: 38 },
  { value: 3, weight: 14 },
  { value: 4, weight: 5 },
  { value: 5, weight: 1 },
];

/** Share of households with children where domestic abuse is recorded at some point in the window. */
export const DOMESTIC_ABUSE_HOUSEHOLD_RATE = 0.12;
/** After an incident, the chance of another in the same household (repeat victimisation). */
export const DOMESTIC_ABUSE_REPEAT_RATE = 0.7;
/** Officers' grades on DANs: most standard, a tenth high. */
export const DAN_RISK_GRADES: Weights<'standard' | 'medium' | 'high'> = byWeight({
  standard: 62,
  medium: 28,
  high: 10,
});

/**
 * Who makes contact about a child other than by a DAN. DANs (all police) are about a fifth of
 * contacts, so with these weights police make about a third of all contacts, the largest source,
 * then schools, health, the local authority's own services and individuals.
 */
export const CONTACT_SOURCES: Weights<AgencyKind | 'individual'> = byWeight({
  police: 16,
  school: 20,
  acute_trust: 6,
  community_health: 5,
  gp_practice: 3,
  early_help: 9,
  individual: 8,
  housing: 4,
  probation: 3,
  youth_justice: 2,
  adult_mental_health: 2,
  adult_substance_misuse: 2,
  idva_service: 3,
  camhs: 2,
  childrens_social_care: 2,
});

/** Pareto shape of a family's propensity to come to agencies' notice: small alpha, long tail. */
export const NEED_PARETO_ALPHA = 1.3;
/** Cap on one family's propensity, so one household cannot absorb a visible share of all contacts. */
export const NEED_CAP = 60;

/** Chance a household moves in a given year (DA households move twice as often). */
export const MOVE_RATE_PER_YEAR = 0.07;

/** Share of people recorded a second time by another agency, with that agency's noise. */
export const DUPLICATE_RATE = 0.035;
/** Children who carry a chronology this long, for the "heavy child" measurements: one per this many people (at least one). */
export const HEAVY_CHILD_EVENTS = 2000;
export const PEOPLE_PER_HEAVY_CHILD = 500_000;

export const ETHNICITIES: Weights<string> = byWeight({
  WBRI: 74,
  WOTH: 6,
  WIRI: 1,
  MWBC: 2,
  MWBA: 1,
  MWAS: 1,
  AIND: 3,
  APKN: 3,
  ABAN: 1,
  BAFR: 3,
  BCRB: 1,
  CHNE: 1,
  OOTH: 2,
  NOBT: 1,
});

export const LANGUAGES: Weights<string> = byWeight({
  English: 90,
  Polish: 2,
  Urdu: 2,
  Punjabi: 1,
  Romanian: 1,
  Arabic: 1,
  Bengali: 1,
  Portuguese: 1,
  Somali: 1,
});
