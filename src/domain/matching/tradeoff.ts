/**
 * What a partnership trades when it sets its thresholds, estimated without labels: each sampled
 * blocked pair carries EM's probability that it is one person, and its score and rule ceiling
 * under the model. At an auto-link threshold t the estimated precision is the mean probability of
 * the pairs that would link, the estimated recall their probability mass over all pairs' mass;
 * at a review threshold r the review queue is the pairs at or above r that would not link.
 */
import type { MatchResult } from './types.ts';

export interface TradeoffPair {
  score: number;
  /** EM's posterior probability that the two records are one person. */
  probability: number;
  /**
   * The highest band the rules allow whatever the thresholds: `auto-link` when only the score
   * stands in the way, `review` when a rule caps it, `no-match` when a rule rules it out.
   */
  ceiling: MatchResult['band'];
  /** Linked whatever the score (an agreeing NHS number that no rule caps). */
  forced: boolean;
}

/** Reads a pair's ceiling from a result scored with thresholds that every score passes. */
export function tradeoffPair(unbounded: MatchResult, probability: number): TradeoffPair {
  return {
    score: unbounded.score,
    probability,
    ceiling: unbounded.band,
    forced: unbounded.band === 'auto-link' && unbounded.reasons.some((r) => r.rule === 'nhs-decisive'),
  };
}

/** Thresholds that every score passes, for tradeoffPair. */
export const UNBOUNDED_THRESHOLDS = { autoLink: -1e9, review: -1e9 } as const;

export interface TradeoffRow {
  threshold: number;
  /** As an auto-link threshold: estimated share of automatic links that are right. */
  autoLinkPrecision: number;
  /** As an auto-link threshold: estimated share of true matches (among blocked pairs) linked. */
  autoLinkRecall: number;
  /** As a review threshold, with auto-link at `autoLink`: true matches linked or queued. */
  reviewRecall: number;
  /** As a review threshold: pairs queued per 1,000 records resolved. */
  reviewPerThousand: number;
}

export function tradeoffTable(
  pairs: readonly TradeoffPair[],
  queries: number,
  autoLink: number,
  thresholds: readonly number[],
): TradeoffRow[] {
  let mass = 0;
  for (const p of pairs) mass += p.probability;
  const links = (p: TradeoffPair, t: number) => p.ceiling === 'auto-link' && (p.forced || p.score >= t);
  return thresholds.map((t) => {
    let linked = 0;
    let linkedMass = 0;
    let kept = 0;
    let queued = 0;
    for (const p of pairs) {
      if (links(p, t)) {
        linked++;
        linkedMass += p.probability;
      }
      if (links(p, autoLink)) kept += p.probability;
      else if (p.ceiling !== 'no-match' && p.score >= t) {
        queued++;
        kept += p.probability;
      }
    }
    return {
      threshold: t,
      autoLinkPrecision: linked === 0 ? 1 : linkedMass / linked,
      autoLinkRecall: mass === 0 ? 0 : linkedMass / mass,
      reviewRecall: mass === 0 ? 0 : kept / mass,
      reviewPerThousand: queries === 0 ? 0 : (1000 * queued) / queries,
    };
  });
}

/** The thresholds the table shows: every 2 bits from 0 to 40. */
export const TRADEOFF_THRESHOLDS: readonly number[] = Array.from({ length: 21 }, (_, i) => i * 2);
