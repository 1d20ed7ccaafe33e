/**
 * Learning Fellegi–Sunter weights from a partnership's own records, the way Splink does, with no
 * labels: `u` (how often two different people fall in each comparison level) from random pairs,
 * which are almost all different people; `m` (how often one person's two records do) by
 * expectation–maximisation over blocked pairs with `u` held fixed; and per-value term
 * frequencies, so that sharing a rare surname or postcode counts for more than sharing "Smith".
 * Everything here is pure: the caller samples records and pairs (from the database or a file)
 * and hands over their comparison levels.
 */
import type { PreparedRecord } from './prepare.ts';
import { compareRecords, type MatchOptions } from './score.ts';
import type { LevelProbabilities, MatchWeights } from './weights.ts';

/** `table.level`, e.g. `dateOfBirth.exact`: the levels one pair fell in, missing values left out. */
export type LevelKey = string;

export function pairLevels(q: PreparedRecord, c: PreparedRecord, options: MatchOptions = {}): LevelKey[] {
  const keys: LevelKey[] = [];
  for (const { table, comparison } of compareRecords(q, c, options)) {
    if (comparison.level !== 'missing') keys.push(`${table}.${comparison.level}`);
  }
  return keys;
}

function tableOf(key: LevelKey): string {
  return key.slice(0, key.indexOf('.'));
}

function baseLevel(base: MatchWeights, key: LevelKey): LevelProbabilities | undefined {
  const dot = key.indexOf('.');
  const table = base[key.slice(0, dot) as keyof MatchWeights] as
    | Record<string, LevelProbabilities>
    | undefined;
  return table?.[key.slice(dot + 1)];
}

export interface EmOptions {
  /** Stop when no m moves by more than this between iterations (default 1e-5). */
  tolerance?: number;
  maxIterations?: number;
  /** Starting share of blocked pairs that are matches (default 0.5). */
  startShare?: number;
}

export interface EmResult {
  weights: MatchWeights;
  /** Share of the blocked pairs EM attributes to matches (lambda). */
  matchShare: number;
  /** Posterior probability that each blocked pair is one person, in input order. */
  probabilities: number[];
  iterations: number;
  converged: boolean;
}

/** u for each level: its share among the random pairs of its field, smoothed by half a count. */
export function estimateU(randomPairs: readonly LevelKey[][]): Map<LevelKey, number> {
  const counts = new Map<LevelKey, number>();
  const totals = new Map<string, number>();
  for (const pair of randomPairs) {
    for (const key of pair) {
      counts.set(key, (counts.get(key) ?? 0) + 1);
      totals.set(tableOf(key), (totals.get(tableOf(key)) ?? 0) + 1);
    }
  }
  const u = new Map<LevelKey, number>();
  for (const [key, count] of counts) u.set(key, (count + 0.5) / (totals.get(tableOf(key))! + 1));
  return u;
}

/**
 * EM for m with u fixed. Levels never seen among the random pairs keep the shipped u (they are
 * rare among different people, which is what an unseen level means); levels never seen among the
 * blocked pairs keep the shipped m and u. `base` is the starting point and the fallback.
 */
export function estimateWeights(
  randomPairs: readonly LevelKey[][],
  blockedPairs: readonly LevelKey[][],
  base: MatchWeights,
  options: EmOptions = {},
): EmResult {
  const tolerance = options.tolerance ?? 1e-5;
  const maxIterations = options.maxIterations ?? 100;
  const randomU = estimateU(randomPairs);
  const keys = new Set<LevelKey>();
  for (const pair of blockedPairs) for (const key of pair) keys.add(key);
  const u = new Map<LevelKey, number>();
  const m = new Map<LevelKey, number>();
  for (const key of keys) {
    const shipped = baseLevel(base, key);
    const uValue = randomU.get(key) ?? shipped?.u;
    if (uValue === undefined) throw new Error(`no level ${key} in the weights`);
    u.set(key, uValue);
    m.set(key, shipped?.m ?? 0.5);
  }
  // Interned indices keep the inner loop to array reads.
  const index = [...keys];
  const position = new Map(index.map((k, i) => [k, i]));
  const pairs = blockedPairs.map((p) => p.map((k) => position.get(k)!));
  const tables = index.map(tableOf);
  const mArray = index.map((k) => m.get(k)!);
  const uArray = index.map((k) => u.get(k)!);
  const probabilities = new Array<number>(pairs.length).fill(0);

  let share = options.startShare ?? 0.5;
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    const logRatio = mArray.map((value, i) => Math.log(value / uArray[i]!));
    const mCounts = new Array<number>(index.length).fill(0);
    const tableTotals = new Map<string, number>();
    let matchSum = 0;
    const priorLog = Math.log(share / (1 - share));
    for (let p = 0; p < pairs.length; p++) {
      let log = priorLog;
      for (const k of pairs[p]!) log += logRatio[k]!;
      const probability = log > 40 ? 1 : log < -40 ? 0 : 1 / (1 + Math.exp(-log));
      probabilities[p] = probability;
      matchSum += probability;
      for (const k of pairs[p]!) mCounts[k]! += probability;
    }
    for (let k = 0; k < index.length; k++) {
      tableTotals.set(tables[k]!, (tableTotals.get(tables[k]!) ?? 0) + mCounts[k]!);
    }
    let moved = 0;
    for (let k = 0; k < index.length; k++) {
      const total = tableTotals.get(tables[k]!) ?? 0;
      if (total <= 0) continue;
      // A small pseudo-count stops a level with no matches getting m = 0 (an infinite penalty).
      const next = (mCounts[k]! + 0.01) / (total + 0.01 * index.length);
      moved = Math.max(moved, Math.abs(next - mArray[k]!));
      mArray[k] = next;
    }
    share = Math.min(0.999, Math.max(1e-6, matchSum / Math.max(1, pairs.length)));
    if (moved < tolerance) {
      converged = true;
      break;
    }
  }

  const weights = structuredClone(base) as MatchWeights;
  for (let k = 0; k < index.length; k++) {
    const key = index[k]!;
    const dot = key.indexOf('.');
    const table = weights[key.slice(0, dot) as keyof MatchWeights] as Record<string, LevelProbabilities>;
    table[key.slice(dot + 1)] = { m: mArray[k]!, u: uArray[k]! };
  }
  return { weights, matchShare: share, probabilities, iterations, converged };
}

/**
 * One EM training session, as Splink runs them: only the blocked pairs that agree on the
 * session's fields, with those fields left out of the likelihood (they agree by construction, so
 * they say nothing) and their m not estimated here.
 */
export interface TrainingSession {
  name: string;
  /** Levels a pair must show to be in this session, e.g. `dateOfBirth.exact`. */
  requires: readonly LevelKey[];
  /** Tables whose m this session does not estimate (the ones it selects pairs on). */
  fixed: readonly string[];
}

/**
 * Household data needs these sessions. Blocked pairs on a surname and a postcode are mostly
 * siblings, who agree on everything but the given name and the birth date; a single EM over them
 * finds "same household" as its match class and learns that a different birth date is normal for
 * one person. Selecting pairs on an identical birth date (siblings drop out, twins and true
 * matches remain) estimates the name and address levels; selecting them on an identical full name
 * (siblings have different given names) estimates the birth date, sex and address levels.
 */
export const DEFAULT_TRAINING_SESSIONS: readonly TrainingSession[] = [
  { name: 'same birth date', requires: ['dateOfBirth.exact'], fixed: ['dateOfBirth'] },
  {
    name: 'same given name and surname',
    requires: ['givenName.exact', 'familyName.exact'],
    fixed: ['givenName', 'familyName'],
  },
];

/**
 * Levels that exist because two fields are not independent among different people: siblings
 * share a surname AND a home. EM and random-pair u both assume independence, so they cannot learn
 * these; they keep the shipped (hand-set) weights whatever the data.
 */
export const HOUSEHOLD_LEVELS: readonly LevelKey[] = [
  'postcode.exactSameSurname',
  'addressLine.exactSameSurname',
];

export interface SessionsResult extends EmResult {
  sessions: { name: string; pairs: number; matchShare: number; iterations: number; converged: boolean }[];
}

/**
 * EM in sessions: each estimates m for the tables it does not select on; a level estimated in
 * more than one session gets the mean of their estimates; a level no session saw keeps `base`,
 * and so do HOUSEHOLD_LEVELS.
 * The share of matches and each blocked pair's posterior are then taken over all blocked pairs
 * with the combined weights (m and u held, only the share iterated).
 */
export function estimateWeightsInSessions(
  randomPairs: readonly LevelKey[][],
  blockedPairs: readonly LevelKey[][],
  base: MatchWeights,
  sessions: readonly TrainingSession[] = DEFAULT_TRAINING_SESSIONS,
  options: EmOptions = {},
): SessionsResult {
  const estimates = new Map<LevelKey, { m: number[]; u: number }>();
  const ran: SessionsResult['sessions'] = [];
  for (const session of sessions) {
    const fixed = new Set(session.fixed);
    const selected = blockedPairs
      .filter((pair) => session.requires.every((key) => pair.includes(key)))
      .map((pair) => pair.filter((key) => !fixed.has(tableOf(key))));
    if (selected.length === 0) continue;
    const result = estimateWeights(
      randomPairs.map((pair) => pair.filter((key) => !fixed.has(tableOf(key)))),
      selected,
      base,
      options,
    );
    ran.push({
      name: session.name,
      pairs: selected.length,
      matchShare: result.matchShare,
      iterations: result.iterations,
      converged: result.converged,
    });
    const seen = new Set(selected.flat());
    for (const key of seen) {
      const level = baseLevel(result.weights, key)!;
      const entry = estimates.get(key) ?? { m: [], u: level.u };
      entry.m.push(level.m);
      estimates.set(key, entry);
    }
  }
  const weights = structuredClone(base) as MatchWeights;
  const randomU = estimateU(randomPairs);
  for (const [key, { m, u }] of estimates) {
    const dot = key.indexOf('.');
    const table = weights[key.slice(0, dot) as keyof MatchWeights] as Record<string, LevelProbabilities>;
    table[key.slice(dot + 1)] = { m: m.reduce((a, b) => a + b, 0) / m.length, u };
  }
  // Levels that only the session's own selecting fields showed keep their shipped m but take u
  // from the random pairs, like every other level.
  for (const pair of blockedPairs)
    for (const key of pair) {
      if (estimates.has(key)) continue;
      const level = baseLevel(weights, key);
      const u = randomU.get(key);
      if (level && u !== undefined) {
        const dot = key.indexOf('.');
        const table = weights[key.slice(0, dot) as keyof MatchWeights] as Record<string, LevelProbabilities>;
        table[key.slice(dot + 1)] = { m: level.m, u };
      }
    }
  for (const key of HOUSEHOLD_LEVELS) {
    const shipped = baseLevel(base, key);
    const dot = key.indexOf('.');
    const table = weights[key.slice(0, dot) as keyof MatchWeights] as Record<string, LevelProbabilities>;
    if (shipped && table) table[key.slice(dot + 1)] = { ...shipped };
  }
  const logRatio = (key: LevelKey) => {
    const level = baseLevel(weights, key);
    return level ? Math.log(level.m / level.u) : 0;
  };
  const pairLog = blockedPairs.map((pair) => pair.reduce((sum, key) => sum + logRatio(key), 0));
  let share = options.startShare ?? 0.5;
  const probabilities = new Array<number>(blockedPairs.length).fill(0);
  let iterations = 0;
  let converged = false;
  while (iterations < (options.maxIterations ?? 100)) {
    iterations++;
    const prior = Math.log(share / (1 - share));
    let sum = 0;
    for (let p = 0; p < pairLog.length; p++) {
      const log = prior + pairLog[p]!;
      probabilities[p] = log > 40 ? 1 : log < -40 ? 0 : 1 / (1 + Math.exp(-log));
      sum += probabilities[p]!;
    }
    const next = Math.min(0.999, Math.max(1e-6, sum / Math.max(1, pairLog.length)));
    const moved = Math.abs(next - share);
    share = next;
    if (moved < (options.tolerance ?? 1e-5)) {
      converged = true;
      break;
    }
  }
  return { weights, matchShare: share, probabilities, iterations, converged, sessions: ran };
}

/** Share of people holding each value, for the values at least `minimumCount` people hold. */
export interface FrequencyTable {
  /** Normalised value -> share of the sampled records (0..1). */
  values: Record<string, number>;
  /** Values not in the table are rarer than this (the share of `minimumCount` records). */
  rarerThan: number;
}

export function frequencyTable(
  values: readonly (string | null | undefined)[],
  options: { minimumCount?: number; maxValues?: number } = {},
): FrequencyTable {
  const minimumCount = options.minimumCount ?? 3;
  const maxValues = options.maxValues ?? 5000;
  const counts = new Map<string, number>();
  let total = 0;
  for (const value of values) {
    if (!value) continue;
    total++;
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const kept = [...counts].filter(([, n]) => n >= minimumCount).sort((a, b) => b[1] - a[1]);
  const table = kept.slice(0, maxValues);
  const cutoff = table.length === maxValues ? table[table.length - 1]![1] : minimumCount;
  return {
    values: Object.fromEntries(table.map(([v, n]) => [v, n / Math.max(1, total)])),
    rarerThan: cutoff / Math.max(1, total),
  };
}

/**
 * A lookup for MatchOptions.termFrequencies. A value missing from the table gets the level's
 * average weight (undefined), not a weight from the cut-off: the adjustment then only ever lowers
 * the weight of common values ("Smith", a hostel's postcode). Raising every rare value to the
 * cut-off's weight was measured to flood the review queue with siblings and neighbours.
 */
export function frequencyLookup(table: FrequencyTable): (value: string) => number | undefined {
  return (value) => table.values[value];
}
