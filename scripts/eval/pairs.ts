/**
 * Blocking, scoring and pairwise metrics shared by the synthetic and FEBRL evaluations.
 */
import {
  type BlockingOptions,
  blockingKeys,
  type MatchOptions,
  type PersonRecord,
  scoreCandidate,
} from '../../src/domain/matching.ts';

export interface ScoredPair {
  a: number;
  b: number;
  score: number;
  band: 'auto-link' | 'review' | 'no-match';
}

/** Pairs of record indices sharing at least one blocking key; for linkage, only pairs across sides. */
export function candidatePairs(
  records: readonly PersonRecord[],
  side?: readonly number[],
  options: BlockingOptions = {},
): Set<number> {
  const index = new Map<string, number[]>();
  records.forEach((record, i) => {
    for (const key of blockingKeys(record, options)) {
      const list = index.get(key);
      if (list) list.push(i);
      else index.set(key, [i]);
    }
  });
  const n = records.length;
  const pairs = new Set<number>();
  for (const list of index.values()) {
    for (let x = 0; x < list.length; x++) {
      for (let y = x + 1; y < list.length; y++) {
        const a = list[x]!;
        const b = list[y]!;
        if (side && side[a] === side[b]) continue;
        pairs.add(a < b ? a * n + b : b * n + a);
      }
    }
  }
  return pairs;
}

export function scorePairs(
  records: readonly PersonRecord[],
  pairs: Set<number>,
  options: MatchOptions,
): { scored: ScoredPair[]; microsecondsPerPair: number } {
  const n = records.length;
  const scored: ScoredPair[] = [];
  const started = performance.now();
  for (const key of pairs) {
    const a = Math.floor(key / n);
    const b = key % n;
    const result = scoreCandidate(records[a]!, records[b]!, options);
    scored.push({ a, b, score: result.score, band: result.band });
  }
  const elapsed = performance.now() - started;
  return { scored, microsecondsPerPair: pairs.size === 0 ? 0 : (elapsed * 1000) / pairs.size };
}

export interface Metrics {
  truePairs: number;
  candidatePairs: number;
  lostByBlocking: number;
  autoLinks: number;
  autoLinkTruePositives: number;
  precision: number;
  recall: number;
  f1: number;
  reviewQueue: number;
  reviewTrue: number;
  recallWithReview: number;
}

/** Counts true pairs from entity labels: every two records with the same label. */
export function countTruePairs(labels: readonly (string | number)[], side?: readonly number[]): number {
  const groups = new Map<string | number, number[]>();
  labels.forEach((label, i) => {
    const g = groups.get(label);
    if (g) g.push(i);
    else groups.set(label, [i]);
  });
  let total = 0;
  for (const g of groups.values()) {
    if (!side) total += (g.length * (g.length - 1)) / 2;
    else {
      const left = g.filter((i) => side[i] === 0).length;
      total += left * (g.length - left);
    }
  }
  return total;
}

export function pairMetrics(
  labels: readonly (string | number)[],
  candidates: Set<number>,
  scored: readonly ScoredPair[],
  side?: readonly number[],
): Metrics {
  const n = labels.length;
  const truePairs = countTruePairs(labels, side);
  let trueCandidates = 0;
  for (const key of candidates) if (labels[Math.floor(key / n)] === labels[key % n]) trueCandidates++;
  let autoLinks = 0;
  let autoTrue = 0;
  let review = 0;
  let reviewTrue = 0;
  for (const p of scored) {
    const same = labels[p.a] === labels[p.b];
    if (p.band === 'auto-link') {
      autoLinks++;
      if (same) autoTrue++;
    } else if (p.band === 'review') {
      review++;
      if (same) reviewTrue++;
    }
  }
  const precision = autoLinks === 0 ? 1 : autoTrue / autoLinks;
  const recall = truePairs === 0 ? 1 : autoTrue / truePairs;
  return {
    truePairs,
    candidatePairs: candidates.size,
    lostByBlocking: truePairs - trueCandidates,
    autoLinks,
    autoLinkTruePositives: autoTrue,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    reviewQueue: review,
    reviewTrue,
    recallWithReview: truePairs === 0 ? 1 : (autoTrue + reviewTrue) / truePairs,
  };
}
