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
  | 'rule';

/** One line of the explanation shown to the person reviewing a match. */
export interface MatchReason {
  field: MatchField;
  agreement: Agreement;
  detail: string;
  /** Contribution to the score in bits (log2 of the likelihood ratio); 0 for rules and missing data. */
  weight: number;
}

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
