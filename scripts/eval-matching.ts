/**
 * Evaluates the person matcher: blocking, scoring and banding on a seeded synthetic population of
 * children (with twins and siblings) and, with --febrl, on the FEBRL benchmark data sets.
 *
 *   npm run eval:matching -- [--people N] [--records M] [--seed S] [--febrl] [--febrl-dir DIR] [--sweep]
 *
 * The FEBRL directory may also be given by FEBRL_DIR; it defaults to ../shared/data/febrl relative
 * to the repository root.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DEFAULT_MATCH_THRESHOLDS,
  DEFAULT_MATCH_WEIGHTS,
  type MatchOptions,
  type PersonRecord,
} from '../src/domain/matching.ts';
import { estimateWeights, nameFrequencies } from './eval/estimate.ts';
import { loadFebrl } from './eval/febrl.ts';
import { candidatePairs, type Metrics, pairMetrics, type ScoredPair, scorePairs } from './eval/pairs.ts';
import { generatePopulation } from './eval/synthetic.ts';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '5000' },
    records: { type: 'string', default: '12000' },
    seed: { type: 'string', default: '20240401' },
    febrl: { type: 'boolean', default: false },
    'febrl-dir': { type: 'string' },
    sweep: { type: 'boolean', default: false },
  },
});

const HEADER =
  '| run | true pairs | lost by blocking | candidate pairs | auto-links (false) | precision | recall | F1 | review queue (true) | recall auto+review | µs/pair |';

function row(name: string, m: Metrics, microseconds: number): string {
  return `| ${name} | ${m.truePairs} | ${m.lostByBlocking} (${((100 * m.lostByBlocking) / Math.max(1, m.truePairs)).toFixed(2)}%) | ${m.candidatePairs} | ${m.autoLinks} (${m.autoLinks - m.autoLinkTruePositives}) | ${m.precision.toFixed(4)} | ${m.recall.toFixed(4)} | ${m.f1.toFixed(4)} | ${m.reviewQueue} (${m.reviewTrue}) | ${m.recallWithReview.toFixed(4)} | ${microseconds.toFixed(1)} |`;
}

/** Best F1 over score thresholds alone (ignoring rules), for comparison with published best-F1 figures. */
function sweep(
  labels: readonly (string | number)[],
  scored: readonly ScoredPair[],
  truePairs: number,
): string {
  const sorted = [...scored].sort((x, y) => y.score - x.score);
  let tp = 0;
  let best = { f1: 0, threshold: 0, precision: 0, recall: 0 };
  for (let i = 0; i < sorted.length; i++) {
    if (labels[sorted[i]!.a] === labels[sorted[i]!.b]) tp++;
    if (i + 1 < sorted.length && sorted[i + 1]!.score === sorted[i]!.score) continue;
    const precision = tp / (i + 1);
    const recall = tp / truePairs;
    const f1 = (2 * precision * recall) / (precision + recall || 1);
    if (f1 > best.f1) best = { f1, threshold: sorted[i]!.score, precision, recall };
  }
  return `best F1 on score alone ${best.f1.toFixed(4)} at score >= ${best.threshold} (precision ${best.precision.toFixed(4)}, recall ${best.recall.toFixed(4)})`;
}

function runSynthetic(): void {
  const people = Number(values.people);
  const recordCount = Number(values.records);
  const seed = Number(values.seed);
  const { records, people: truth } = generatePopulation({ people, records: recordCount, seed });
  const twins = (x: number, y: number) => truth[x]!.twinOf === y || truth[y]!.twinOf === x;
  const personRecords = records.map((r) => r.record);
  const labels = records.map((r) => r.personId);
  const candidates = candidatePairs(personRecords);
  scorePairs(personRecords, candidates, {});
  // Second pass: records are already normalised, as a query's candidates are in a long-running app.
  const { scored, microsecondsPerPair } = scorePairs(personRecords, candidates, {});
  const metrics = pairMetrics(labels, candidates, scored);
  console.log(
    `Synthetic population: ${people} children, ${recordCount} agency records, seed ${seed}; default weights, thresholds auto-link >= ${DEFAULT_MATCH_THRESHOLDS.autoLink}, review >= ${DEFAULT_MATCH_THRESHOLDS.review}\n`,
  );
  console.log(HEADER);
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  console.log(row('synthetic', metrics, microsecondsPerPair));
  const falseLinks = { twin: 0, sibling: 0, unrelated: 0 };
  const reviewFalse = { twin: 0, sibling: 0, unrelated: 0 };
  for (const p of scored) {
    if (p.band === 'no-match' || labels[p.a] === labels[p.b]) continue;
    const a = records[p.a]!;
    const b = records[p.b]!;
    const relation =
      a.household !== b.household ? 'unrelated' : twins(a.personId, b.personId) ? 'twin' : 'sibling';
    if (p.band === 'auto-link') falseLinks[relation]++;
    else reviewFalse[relation]++;
  }
  console.log(
    `\nfalse auto-links: twins ${falseLinks.twin}, siblings ${falseLinks.sibling}, unrelated ${falseLinks.unrelated}`,
  );
  console.log(
    `false pairs in the review queue: twins ${reviewFalse.twin}, siblings ${reviewFalse.sibling}, unrelated ${reviewFalse.unrelated}`,
  );
  if (values.sweep) console.log(sweep(labels, scored, metrics.truePairs));
}

function febrlDirectory(): string {
  const root = resolve(import.meta.dirname, '..');
  return resolve(values['febrl-dir'] ?? process.env.FEBRL_DIR ?? resolve(root, '../shared/data/febrl'));
}

function log2Odds(p: number): number {
  return Math.log2(p / (1 - p));
}

function runFebrlTask(
  name: string,
  loaded: readonly { entity: string; record: PersonRecord }[],
  side: number[] | undefined,
): void {
  const records = loaded.map((r) => r.record);
  const labels = loaded.map((r) => r.entity);
  const base: MatchOptions = { validateIdentifiers: false };
  const candidates = candidatePairs(records, side, base);

  const production = scorePairs(records, candidates, base);
  const productionMetrics = pairMetrics(labels, candidates, production.scored, side);
  console.log(row(`${name}, Harbour defaults`, productionMetrics, production.microsecondsPerPair));

  // Re-fitted to the data set, unsupervised, with thresholds at match probability 0.99 (auto-link)
  // and 0.01 (review) given the estimated prior, and without the household rules (FEBRL has no
  // households).
  const estimate = estimateWeights(records, candidates, DEFAULT_MATCH_WEIGHTS, {
    ...base,
    ...(side ? { side } : {}),
  });
  const priorBits = log2Odds(estimate.prior);
  const fitted: MatchOptions = {
    ...base,
    weights: estimate.weights,
    householdRules: false,
    termFrequencies: {
      givenName: nameFrequencies(records.map((r) => r.givenName)),
      familyName: nameFrequencies(records.map((r) => r.familyName)),
      minimum: 1 / records.length,
    },
    thresholds: { autoLink: log2Odds(0.99) - priorBits, review: log2Odds(0.01) - priorBits },
  };
  const refit = scorePairs(records, candidates, fitted);
  const refitMetrics = pairMetrics(labels, candidates, refit.scored, side);
  console.log(row(`${name}, weights fitted by EM`, refitMetrics, refit.microsecondsPerPair));
  if (values.sweep) {
    console.log(`|  | defaults: ${sweep(labels, production.scored, productionMetrics.truePairs)} |`);
    console.log(
      `|  | fitted (prior ${estimate.prior.toExponential(2)}, auto-link >= ${fitted.thresholds!.autoLink.toFixed(1)}): ${sweep(labels, refit.scored, refitMetrics.truePairs)} |`,
    );
  }
}

function runFebrl(): void {
  const directory = febrlDirectory();
  if (!existsSync(directory)) {
    console.log(`\nFEBRL: no data at ${directory}; pass --febrl-dir or set FEBRL_DIR`);
    return;
  }
  console.log("\nFEBRL (Splink's published best F1: FEBRL4 0.9998, FEBRL3 0.9954)\n");
  console.log(HEADER);
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const withIdentifier of [true, false]) {
    const suffix = withIdentifier ? 'with soc_sec_id' : 'no identifier';
    const a = loadFebrl(directory, 'dataset4a.csv', withIdentifier);
    const b = loadFebrl(directory, 'dataset4b.csv', withIdentifier);
    runFebrlTask(`FEBRL4 ${suffix}`, [...a, ...b], [...a.map(() => 0), ...b.map(() => 1)]);
    runFebrlTask(`FEBRL3 ${suffix}`, loadFebrl(directory, 'dataset3.csv', withIdentifier), undefined);
  }
}

runSynthetic();
if (values.febrl) runFebrl();
