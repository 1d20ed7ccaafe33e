/**
 * A partnership's learnt matching model: weights estimated from its own records (training.ts),
 * term frequencies, and the threshold trade-off table a manager sets the bands from. Stored as
 * JSON (versioned by MODEL_FORMAT) and turned back into scoring options by `modelOptions`.
 */
import { prepared } from './prepare.ts';
import { type MatchOptions, scorePrepared, type TermFrequencies } from './score.ts';
import {
  TRADEOFF_THRESHOLDS,
  type TradeoffRow,
  tradeoffPair,
  tradeoffTable,
  UNBOUNDED_THRESHOLDS,
} from './tradeoff.ts';
import {
  estimateWeightsInSessions,
  type FrequencyTable,
  frequencyLookup,
  frequencyTable,
  type LevelKey,
  pairLevels,
} from './training.ts';
import type { PersonRecord } from './types.ts';
import { DEFAULT_MATCH_WEIGHTS, type MatchWeights } from './weights.ts';

export const MODEL_FORMAT = 1;

export interface MatchModel {
  format: typeof MODEL_FORMAT;
  weights: MatchWeights;
  termFrequencies: { givenName: FrequencyTable; familyName: FrequencyTable; postcode: FrequencyTable };
  /** Share of blocked pairs EM attributes to matches. */
  matchShare: number;
  iterations: number;
  converged: boolean;
  /** The EM sessions that estimated the weights (training.ts); absent on models trained before them. */
  sessions?: { name: string; pairs: number; matchShare: number; iterations: number; converged: boolean }[];
  sample: { records: number; randomPairs: number; blockedPairs: number; queries: number };
  /** Estimated consequences of each threshold under this model (tradeoff.ts). */
  tradeoff: TradeoffRow[];
}

export interface TrainingInput {
  /** A random sample of the partnership's people, as the matcher sees them. */
  sample: readonly PersonRecord[];
  /** Pairs that share a blocking key: each sampled query with the candidates blocking found for it. */
  blockedPairs: readonly (readonly [PersonRecord, PersonRecord])[];
  /** How many sampled records the blocked pairs were found for. */
  queries: number;
  randomPairs?: number;
  seed?: number;
  /** The auto-link threshold the review columns of the trade-off table assume. */
  autoLink: number;
}

/** A small seeded generator (mulberry32), so training on one sample is reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function trainModel(input: TrainingInput, base: MatchWeights = DEFAULT_MATCH_WEIGHTS): MatchModel {
  const random = seededRandom(input.seed ?? 1);
  const sample = input.sample.map(prepared);
  const randomPairs: LevelKey[][] = [];
  const wanted = input.randomPairs ?? 200_000;
  if (sample.length >= 2) {
    for (let s = 0; s < wanted; s++) {
      const a = Math.floor(random() * sample.length);
      const b = Math.floor(random() * sample.length);
      if (a !== b) randomPairs.push(pairLevels(sample[a]!, sample[b]!));
    }
  }
  const blocked = input.blockedPairs.map(([q, c]) => pairLevels(prepared(q), prepared(c)));
  const em = estimateWeightsInSessions(randomPairs, blocked, base);
  const model: MatchModel = {
    format: MODEL_FORMAT,
    weights: em.weights,
    termFrequencies: {
      givenName: frequencyTable(sample.map((r) => r.given.joined)),
      familyName: frequencyTable(sample.map((r) => r.family.joined)),
      postcode: frequencyTable(sample.map((r) => r.postcode)),
    },
    matchShare: em.matchShare,
    iterations: em.iterations,
    converged: em.converged,
    sessions: em.sessions,
    sample: {
      records: sample.length,
      randomPairs: randomPairs.length,
      blockedPairs: blocked.length,
      queries: input.queries,
    },
    tradeoff: [],
  };
  const options = { ...modelOptions(model), thresholds: UNBOUNDED_THRESHOLDS };
  const pairs = input.blockedPairs.map(([q, c], i) =>
    tradeoffPair(scorePrepared(prepared(q), prepared(c), options), em.probabilities[i]!),
  );
  model.tradeoff = tradeoffTable(pairs, input.queries, input.autoLink, TRADEOFF_THRESHOLDS);
  return model;
}

const optionsCache = new WeakMap<MatchModel, MatchOptions>();

/** Scoring options for a model: its weights and its term frequencies. Cached per model object. */
export function modelOptions(model: MatchModel): Pick<MatchOptions, 'weights' | 'termFrequencies'> {
  let options = optionsCache.get(model);
  if (!options) {
    const termFrequencies: TermFrequencies = {
      givenName: frequencyLookup(model.termFrequencies.givenName),
      familyName: frequencyLookup(model.termFrequencies.familyName),
      postcode: frequencyLookup(model.termFrequencies.postcode),
    };
    options = { weights: model.weights, termFrequencies };
    optionsCache.set(model, options);
  }
  return options;
}

/** Each level's weight in bits, for the chart and table on the model page. */
export function levelWeights(
  weights: MatchWeights,
): { field: string; level: string; m: number; u: number; bits: number }[] {
  const rows: { field: string; level: string; m: number; u: number; bits: number }[] = [];
  for (const [field, levels] of Object.entries(weights)) {
    for (const [level, p] of Object.entries(levels as Record<string, { m: number; u: number }>)) {
      rows.push({ field, level, m: p.m, u: p.u, bits: Math.log2(p.m / p.u) });
    }
  }
  return rows;
}
