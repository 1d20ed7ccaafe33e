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

export type HouseholdKind = 'single' | 'couple' | 'family' | 'single-parent' | 'shared';

/** Households in the person index, by kind (average size ≈ 2.4, about a fifth of people children). */
export const HOUSEHOLD_KINDS: readonly { value: HouseholdKind; weight: number }[] = [
  { value: 'single', weight: 30 },
  { value: 'couple', weight: 30 },
  { value: 'family', weight: 22 },
  { value: 'single-parent', weight: 10 },
  { value: 'shared', weight: 8 },
];

export const CHILDREN_PER_FAMILY: readonly { value: number; weight: number }[] = [
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
export const DAN_RISK_GRADES: readonly { value: 'standard' | 'medium' | 'high'; weight: number }[] = [
  { value: 'standard', weight: 62 },
  { value: 'medium', weight: 28 },
  { value: 'high', weight: 10 },
];

/**
 * Who makes contact about a child other than by a DAN. DANs (all police) are about a fifth of
 * contacts, so with these weights police make about a third of all contacts, the largest source,
 * then schools, health, the local authority's own services and individuals.
 */
export const CONTACT_SOURCES: readonly { value: AgencyKind | 'individual'; weight: number }[] = [
  { value: 'police', weight: 16 },
  { value: 'school', weight: 20 },
  { value: 'acute_trust', weight: 6 },
  { value: 'community_health', weight: 5 },
  { value: 'gp_practice', weight: 3 },
  { value: 'early_help', weight: 9 },
  { value: 'individual', weight: 8 },
  { value: 'housing', weight: 4 },
  { value: 'probation', weight: 3 },
  { value: 'youth_justice', weight: 2 },
  { value: 'adult_mental_health', weight: 2 },
  { value: 'adult_substance_misuse', weight: 2 },
  { value: 'idva_service', weight: 3 },
  { value: 'camhs', weight: 2 },
  { value: 'childrens_social_care', weight: 2 },
];

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

export const ETHNICITIES: readonly { value: string; weight: number }[] = [
  { value: 'WBRI', weight: 74 },
  { value: 'WOTH', weight: 6 },
  { value: 'WIRI', weight: 1 },
  { value: 'MWBC', weight: 2 },
  { value: 'MWBA', weight: 1 },
  { value: 'MWAS', weight: 1 },
  { value: 'AIND', weight: 3 },
  { value: 'APKN', weight: 3 },
  { value: 'ABAN', weight: 1 },
  { value: 'BAFR', weight: 3 },
  { value: 'BCRB', weight: 1 },
  { value: 'CHNE', weight: 1 },
  { value: 'OOTH', weight: 2 },
  { value: 'NOBT', weight: 1 },
];

export const LANGUAGES: readonly { value: string; weight: number }[] = [
  { value: 'English', weight: 90 },
  { value: 'Polish', weight: 2 },
  { value: 'Urdu', weight: 2 },
  { value: 'Punjabi', weight: 1 },
  { value: 'Romanian', weight: 1 },
  { value: 'Arabic', weight: 1 },
  { value: 'Bengali', weight: 1 },
  { value: 'Portuguese', weight: 1 },
  { value: 'Somali', weight: 1 },
];
