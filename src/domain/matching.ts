/**
 * Identity resolution: does this incoming record describe a child Harbour already knows?
 *
 * - `blockingKeys(record)` gives the strings to store with each person and to look candidates up by.
 * - `scoreCandidate(query, candidate)` scores one pair and explains the score field by field.
 * - `rankCandidates(query, candidates)` scores many and returns the plausible ones, best first.
 *
 * The method (Fellegi–Sunter weights plus a few safety rules) and its evaluation are described in
 * docs/matching.md.
 */
import { type MatchOptions, scoreCandidate } from './matching/score.ts';
import type { MatchResult, MatchThresholds, PersonRecord } from './matching/types.ts';
import { DEFAULT_MATCH_THRESHOLDS } from './matching/weights.ts';

export { BLOCKING_KEY_VERSION, type BlockingOptions, blockingKeys } from './matching/blocking.ts';
export {
  DEFAULT_NHS_NUMBER_DATE_TOLERANCE_DAYS,
  DEFAULT_TERM_FREQUENCY_MINIMUM,
  type MatchOptions,
  scoreCandidate,
  type TermFrequencies,
} from './matching/score.ts';
// Every type of the matching model is part of its public surface.
export type * from './matching/types.ts';
export {
  DEFAULT_MATCH_THRESHOLDS,
  DEFAULT_MATCH_WEIGHTS,
  DEFAULT_SIMILARITY,
  type LevelProbabilities,
  type MatchWeights,
} from './matching/weights.ts';

export interface RankedCandidate<T extends PersonRecord> extends MatchResult {
  candidate: T;
}

/**
 * Scores every candidate against the query and returns those in the auto-link or review band,
 * highest score first. Candidates may carry extra fields (such as a database id); they are
 * returned untouched.
 */
export function rankCandidates<T extends PersonRecord>(
  query: PersonRecord,
  candidates: readonly T[],
  thresholds: MatchThresholds = DEFAULT_MATCH_THRESHOLDS,
  options: Omit<MatchOptions, 'thresholds'> = {},
): RankedCandidate<T>[] {
  const scoringOptions: MatchOptions = { ...options, thresholds };
  const ranked: RankedCandidate<T>[] = [];
  for (const candidate of candidates) {
    const result = scoreCandidate(query, candidate, scoringOptions);
    if (result.band !== 'no-match') ranked.push({ candidate, ...result });
  }
  const order = { 'auto-link': 0, review: 1, 'no-match': 2 } as const;
  ranked.sort((a, b) => order[a.band] - order[b.band] || b.score - a.score);
  return ranked;
}
