/**
 * Trains the production model (src/domain/matching/model.ts) on an evaluation data set, unlabelled,
 * the way `harbour matching train` trains on a partnership's people: a random sample of records
 * for u and term frequencies, and the blocked candidate pairs of a random subset of records for EM.
 */
import { type MatchModel, seededRandom, trainModel } from '../../src/domain/matching/model.ts';
import type { PersonRecord } from '../../src/domain/matching.ts';
import { DEFAULT_MATCH_THRESHOLDS } from '../../src/domain/matching.ts';

export function learntModel(
  records: readonly PersonRecord[],
  candidates: ReadonlySet<number>,
  options: { sample?: number; queries?: number; seed?: number } = {},
): MatchModel {
  const n = records.length;
  const random = seededRandom(options.seed ?? 11);
  const indices = records.map((_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [indices[i], indices[j]] = [indices[j]!, indices[i]!];
  }
  const sample = indices.slice(0, Math.min(n, options.sample ?? 20_000)).map((i) => records[i]!);
  const queries = new Set(indices.slice(0, Math.min(n, options.queries ?? 5_000)));
  const blockedPairs: [PersonRecord, PersonRecord][] = [];
  for (const key of candidates) {
    const a = Math.floor(key / n);
    const b = key % n;
    if (queries.has(a) || queries.has(b)) blockedPairs.push([records[a]!, records[b]!]);
  }
  return trainModel({
    sample,
    blockedPairs,
    queries: queries.size,
    autoLink: DEFAULT_MATCH_THRESHOLDS.autoLink,
    seed: options.seed ?? 11,
  });
}
