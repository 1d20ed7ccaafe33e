import type { Sex } from '../sexes.ts';

/** A person as one agency recorded them. Every field except the names may be absent. */
export interface PersonRecord {
  givenName: string;
  familyName: string;
  /** Other names the person is or was known by: previous surnames, known-as names, full aliases. */
  otherNames?: string[];
  /** ISO date, YYYY-MM-DD. */
  dateOfBirth?: string;
  sex?: Sex;
  postcode?: string;
  addressLine?: string;
  nhsNumber?: string;
  upn?: string;
  localAuthorityId?: string;
  policeReference?: string;
  /** Identifiers of other types (police PNC id, probation CRN, partnership-defined), by scheme. */
  otherIdentifiers?: { scheme: string; value: string }[];
}

export type MatchBand = 'auto-link' | 'review' | 'no-match';

export type Agreement = 'exact' | 'partial' | 'disagree' | 'missing';

export type MatchField =
  | 'givenName'
  | 'familyName'
  | 'dateOfBirth'
  | 'sex'
  | 'postcode'
  | 'addressLine'
  | 'nhsNumber'
  | 'upn'
  | 'localAuthorityId'
  | 'policeReference'
  | 'otherIdentifier'
  | 'rule';

/** One line of the explanation shown to the person reviewing a match. */
export interface MatchReason {
  field: MatchField;
  agreement: Agreement;
  detail: string;
  /** Contribution to the score in bits (log2 of the likelihood ratio); 0 for rules and missing data. */
  weight: number;
  /** For field `rule`: which rule fired (stable, for tests, reports and the review page). */
  rule?: MatchRule;
}

/**
 * The rules applied after the score. Protective rules only ever lower the band; `nhs-decisive`
 * is the one rule that raises it.
 */
export type MatchRule =
  | 'nhs-decisive'
  | 'nhs-dates-apart'
  | 'nhs-given-differs'
  | 'nhs-conflict'
  | 'twin-given-differs'
  | 'given-differs'
  | 'given-sounds-alike'
  | 'household-given-typo'
  | 'given-keystroke-typo'
  | 'dob-differs'
  | 'dob-missing'
  | 'sex-and-given-differ'
  | 'twin-different-sex'
  | 'surname-differs';

export interface MatchResult {
  /** Sum of the field weights: log2 of how much likelier these values are for one person than two. */
  score: number;
  band: MatchBand;
  reasons: MatchReason[];
}

export interface MatchThresholds {
  /** Score at or above which a pair is linked without a person looking at it. */
  autoLink: number;
  /** Score at or above which a pair goes to the review queue. */
  review: number;
}
