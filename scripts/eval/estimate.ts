/**
 * Estimates Fellegi–Sunter m and u probabilities from unlabelled data, the way a partnership could
 * re-fit the defaults to its own records: u from random pairs (almost all of which are different
 * people), m by expectation–maximisation over the blocked candidate pairs with u held fixed. The
 * levels are exactly those the production scorer uses, so the fitted weights plug straight in.
 */

import { prepared, prepareName } from '../../src/domain/matching/prepare.ts';
import { compareRecords, type MatchOptions } from '../../src/domain/matching/score.ts';
import type { PersonRecord } from '../../src/domain/matching/types.ts';
import type { LevelProbabilities, MatchWeights } from '../../src/domain/matching/weights.ts';
import { seededRandom } from './synthetic.ts';

export interface Estimate {
  weights: MatchWeights;
  /** Share of candidate pairs EM attributes to matches. */
  candidateMatchShare: number;
  /** Estimated probability that two records drawn at random are one person. */
  prior: number;
}

type Key = string;

function levelKeys(records: readonly PersonRecord[], a: number, b: number, options: MatchOptions): Key[] {
  const keys: Key[] = [];
  for (const { table, comparison } of compareRecords(prepared(records[a]!), prepared(records[b]!), options)) {
    if (comparison.level !== 'missing') keys.push(`${table}.${comparison.level}`);
  }
  return keys;
}

function tableOf(key: Key): string {
  return key.slice(0, key.indexOf('.'));
}

export function estimateWeights(
  records: readonly PersonRecord[],
  candidates: ReadonlySet<number>,
  base: MatchWeights,
  options: MatchOptions & {
    side?: readonly number[];
    randomPairs?: number;
    iterations?: number;
    seed?: number;
  },
): Estimate {
  const n = records.length;
  const random = seededRandom(options.seed ?? 1);

  // u: level frequencies among random pairs.
  const uCounts = new Map<Key, number>();
  const uTotals = new Map<string, number>();
  const samples = options.randomPairs ?? 300_000;
  for (let s = 0; s < samples; s++) {
    const a = Math.floor(random() * n);
    const b = Math.floor(random() * n);
    if (a === b || (options.side && options.side[a] === options.side[b])) continue;
    for (const key of levelKeys(records, a, b, options)) {
      uCounts.set(key, (uCounts.get(key) ?? 0) + 1);
      uTotals.set(tableOf(key), (uTotals.get(tableOf(key)) ?? 0) + 1);
    }
  }

  const pairs = [...candidates].map((key) => levelKeys(records, Math.floor(key / n), key % n, options));
  const allKeys = new Set<Key>();
  for (const p of pairs) for (const k of p) allKeys.add(k);

  const baseLevel = (key: Key): LevelProbabilities => {
    const [table, level] = key.split('.') as [keyof MatchWeights, string];
    return (base[table] as Record<string, LevelProbabilities>)[level]!;
  };
  const u = new Map<Key, number>();
  for (const key of allKeys) {
    const total = uTotals.get(tableOf(key)) ?? 0;
    const count = uCounts.get(key) ?? 0;
    // Half a count of smoothing stops a level never seen among random pairs getting u = 0.
    u.set(key, total === 0 ? baseLevel(key).u : (count + 0.5) / (total + 1));
  }
  const m = new Map<Key, number>();
  for (const key of allKeys) m.set(key, baseLevel(key).m);

  let share = 0.5;
  for (let iteration = 0; iteration < (options.iterations ?? 25); iteration++) {
    const mCounts = new Map<Key, number>();
    const mTotals = new Map<string, number>();
    let matchSum = 0;
    for (const p of pairs) {
      let logRatio = 0;
      for (const k of p) logRatio += Math.log(m.get(k)! / u.get(k)!);
      const odds = (share / (1 - share)) * Math.exp(logRatio);
      const probability = Number.isFinite(odds) ? odds / (1 + odds) : 1;
      matchSum += probability;
      for (const k of p) {
        mCounts.set(k, (mCounts.get(k) ?? 0) + probability);
        mTotals.set(tableOf(k), (mTotals.get(tableOf(k)) ?? 0) + probability);
      }
    }
    share = Math.min(0.999, Math.max(0.001, matchSum / pairs.length));
    for (const key of allKeys) {
      const total = mTotals.get(tableOf(key)) ?? 0;
      if (total > 0) m.set(key, ((mCounts.get(key) ?? 0) + 0.01) / (total + 0.05));
    }
  }

  const weights = structuredClone(base) as MatchWeights;
  for (const key of allKeys) {
    const [table, level] = key.split('.') as [keyof MatchWeights, string];
    (weights[table] as Record<string, LevelProbabilities>)[level] = { m: m.get(key)!, u: u.get(key)! };
  }
  const totalPairs = options.side
    ? options.side.filter((s) => s === 0).length * options.side.filter((s) => s === 1).length
    : (n * (n - 1)) / 2;
  return { weights, candidateMatchShare: share, prior: (share * pairs.length) / totalPairs };
}

/** Relative frequency of each normalised name in the data, for term-frequency adjustment. */
export function nameFrequencies(values: readonly string[]): (name: string) => number | undefined {
  const counts = new Map<string, number>();
  for (const v of values) {
    const key = prepareName(v).joined;
    if (key !== '') counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const total = values.length;
  return (name) => {
    const count = counts.get(name);
    return count === undefined ? undefined : count / total;
  };
}
