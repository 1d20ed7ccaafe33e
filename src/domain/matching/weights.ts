/**
 * Fellegi–Sunter weights. For each comparison level, `m` is the probability of seeing that level
 * when the two records are the same person and `u` when they are two different people; the
 * level's weight is log2(m / u) bits. The m values describe how agencies' records of one child
 * differ (typos, nicknames, moves, surname changes); the u values describe how often unrelated
 * children in one English local authority coincide. They are estimates, documented in
 * docs/matching.md; a partnership may replace them (for example with values estimated from its
 * own linked data) by passing `weights` in the match options.
 */
import type { MatchThresholds } from './types.ts';

export interface LevelProbabilities {
  /** P(level | same person) */
  m: number;
  /** P(level | different people) */
  u: number;
}

export interface MatchWeights {
  givenName: {
    exact: LevelProbabilities;
    /** Nickname or spelling variant (Bill/William), one name part of the other (Ella/Ella-Mae), alias. */
    variant: LevelProbabilities;
    /** Jaro–Winkler >= fuzzyHighSimilarity: a typo. */
    fuzzyHigh: LevelProbabilities;
    /** Jaro–Winkler >= fuzzyLowSimilarity, same sound, or an initial that fits. */
    fuzzyLow: LevelProbabilities;
    disagree: LevelProbabilities;
  };
  familyName: {
    exact: LevelProbabilities;
    /** One part of a hyphenated or double-barrelled name matches (Smith / Smith-Jones). */
    part: LevelProbabilities;
    /** Matches a previous or other surname recorded as an alias. */
    alias: LevelProbabilities;
    fuzzyHigh: LevelProbabilities;
    fuzzyLow: LevelProbabilities;
    disagree: LevelProbabilities;
  };
  dateOfBirth: {
    exact: LevelProbabilities;
    /** Day and month swapped: 03/04 written by one agency as 04/03. */
    swapped: LevelProbabilities;
    /** Same day and month, year one apart. */
    yearOffByOne: LevelProbabilities;
    /** One digit different or two adjacent digits transposed. */
    oneDigit: LevelProbabilities;
    disagree: LevelProbabilities;
  };
  sex: { agree: LevelProbabilities; disagree: LevelProbabilities };
  postcode: {
    exact: LevelProbabilities;
    /** Same postcode when the surnames also agree (siblings share both). */
    exactSameSurname: LevelProbabilities;
    /** Same postcode district (outward code): a move across the road or a typo in the inward code. */
    district: LevelProbabilities;
    disagree: LevelProbabilities;
  };
  /** Address line when the postcodes do not agree exactly (or one is missing). */
  addressLine: {
    exact: LevelProbabilities;
    exactSameSurname: LevelProbabilities;
    partial: LevelProbabilities;
    disagree: LevelProbabilities;
  };
  /** Address line when the postcodes already agree: only tells same house from same street. */
  addressLineSamePostcode: {
    exact: LevelProbabilities;
    partial: LevelProbabilities;
    disagree: LevelProbabilities;
  };
  nhsNumber: {
    agree: LevelProbabilities;
    /** One keystroke apart. Two valid NHS numbers can never be, so this only arises without validation. */
    nearly: LevelProbabilities;
    conflict: LevelProbabilities;
  };
  upn: { agree: LevelProbabilities; nearly: LevelProbabilities; conflict: LevelProbabilities };
  /** An agency's own person reference (local authority id, police reference). */
  localReference: { agree: LevelProbabilities; disagree: LevelProbabilities };
}

export const DEFAULT_MATCH_WEIGHTS: MatchWeights = {
  givenName: {
    // About one record in nine spells the given name differently from another agency's record.
    exact: { m: 0.88, u: 0.004 },
    variant: { m: 0.05, u: 0.002 },
    fuzzyHigh: { m: 0.035, u: 0.003 },
    fuzzyLow: { m: 0.02, u: 0.02 },
    // Kept small: a child whose given name truly differs between agencies is rare, and the rule
    // "different given names never auto-link" does the rest for twins.
    disagree: { m: 0.015, u: 0.971 },
  },
  familyName: {
    // u: chance two unrelated children share a surname, averaged over the English distribution
    // (Smith alone is about 1 in 80 people). Term frequencies refine this when supplied.
    exact: { m: 0.84, u: 0.003 },
    part: { m: 0.05, u: 0.001 },
    alias: { m: 0.03, u: 0.001 },
    fuzzyHigh: { m: 0.03, u: 0.002 },
    fuzzyLow: { m: 0.01, u: 0.01 },
    // Children's surnames change (new step-parent, a parent's maiden name); not all are aliased.
    disagree: { m: 0.04, u: 0.983 },
  },
  dateOfBirth: {
    // u: one birth date among about 18 years of children (1 / 6,575).
    exact: { m: 0.93, u: 0.00015 },
    swapped: { m: 0.02, u: 0.00015 },
    yearOffByOne: { m: 0.01, u: 0.0003 },
    oneDigit: { m: 0.025, u: 0.004 },
    disagree: { m: 0.015, u: 0.9954 },
  },
  sex: {
    agree: { m: 0.97, u: 0.5 },
    disagree: { m: 0.03, u: 0.5 },
  },
  postcode: {
    // Children move and agencies hold addresses of different ages, so m is well below 1. u is set
    // higher than the raw chance of a shared postcode unit (~1 in 7,000) because candidates that
    // share a surname often share a household: siblings, parents.
    exact: { m: 0.7, u: 0.003 },
    // When the surnames already agree, a shared postcode is far less surprising: brothers and
    // sisters live together. Summing independent weights would count the household twice.
    exactSameSurname: { m: 0.7, u: 0.04 },
    district: { m: 0.12, u: 0.08 },
    disagree: { m: 0.18, u: 0.917 },
  },
  addressLine: {
    exact: { m: 0.55, u: 0.002 },
    exactSameSurname: { m: 0.55, u: 0.03 },
    partial: { m: 0.15, u: 0.02 },
    disagree: { m: 0.3, u: 0.978 },
  },
  addressLineSamePostcode: {
    exact: { m: 0.8, u: 0.15 },
    partial: { m: 0.1, u: 0.15 },
    disagree: { m: 0.1, u: 0.7 },
  },
  nhsNumber: {
    // Agreement is decisive: a valid NHS number is issued once. Conflicts still happen when a
    // parent's or sibling's number is keyed against the child, hence m > 0.
    agree: { m: 0.97, u: 0.0000001 },
    nearly: { m: 0.01, u: 0.00001 },
    conflict: { m: 0.002, u: 0.9999 },
  },
  upn: {
    agree: { m: 0.95, u: 0.000001 },
    nearly: { m: 0.01, u: 0.00001 },
    // Schools sometimes issue a second UPN when the first is not passed on, so weaker than NHS.
    conflict: { m: 0.03, u: 0.999 },
  },
  localReference: {
    agree: { m: 0.9, u: 0.000001 },
    // One agency can hold duplicate records for a child, which is exactly what matching finds.
    disagree: { m: 0.1, u: 0.999 },
  },
};

/**
 * Default bands on the score (bits). The auto-link threshold sits where the evaluation found no
 * false links in the synthetic population (see docs/matching.md); the review threshold keeps at
 * least 98% of true matches in auto-link + review.
 */
export const DEFAULT_MATCH_THRESHOLDS: MatchThresholds = { autoLink: 20, review: 8 };

export const DEFAULT_SIMILARITY = {
  /** Jaro–Winkler at or above this is a typo-level name difference. */
  fuzzyHigh: 0.92,
  /** Jaro–Winkler at or above this (or the same phonetic key) is a weak name agreement. */
  fuzzyLow: 0.85,
} as const;

export function levelWeight(level: LevelProbabilities): number {
  return Math.log2(level.m / level.u);
}
