/**
 * Evaluates the person matcher: blocking, scoring and banding on a seeded synthetic population of
 * children (with twins and siblings) and, with --febrl, on the FEBRL benchmark data sets.
 *
 *   npm run eval:matching -- [--people N] [--records M] [--seed S] [--febrl] [--febrl-dir DIR]
 *
 * The FEBRL directory may also be given by FEBRL_DIR; it defaults to ../shared/data/febrl relative
 * to the repository root.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_MATCH_THRESHOLDS, type MatchOptions } from '../src/domain/matching.ts';
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

const percent = (x: number) => `${(x * 100).toFixed(2)}%`;

function printMetrics(title: string, m: Metrics, microseconds: number): void {
  console.log(`\n${title}`);
  console.log(`  true pairs                 ${m.truePairs}`);
  console.log(`  candidate pairs (blocking) ${m.candidatePairs}`);
  console.log(
    `  true pairs lost by blocking ${m.lostByBlocking} (${percent(m.lostByBlocking / Math.max(1, m.truePairs))})`,
  );
  console.log(`  auto-links                 ${m.autoLinks} (${m.autoLinks - m.autoLinkTruePositives} false)`);
  console.log(`  auto-link precision        ${m.precision.toFixed(5)}`);
  console.log(`  auto-link recall           ${m.recall.toFixed(5)}`);
  console.log(`  auto-link F1               ${m.f1.toFixed(5)}`);
  console.log(`  review queue               ${m.reviewQueue} (${m.reviewTrue} true matches)`);
  console.log(`  recall, auto-link + review ${m.recallWithReview.toFixed(5)}`);
  console.log(`  scoring cost               ${microseconds.toFixed(2)} µs per pair`);
}

/** Best F1 over auto-link thresholds, for comparison with published best-F1 figures. */
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
  return `best F1 by score alone ${best.f1.toFixed(5)} at score >= ${best.threshold} (P ${best.precision.toFixed(5)}, R ${best.recall.toFixed(5)})`;
}

function runSynthetic(): void {
  const people = Number(values.people);
  const recordCount = Number(values.records);
  const seed = Number(values.seed);
  const { records } = generatePopulation({ people, records: recordCount, seed });
  const personRecords = records.map((r) => r.record);
  const labels = records.map((r) => r.personId);
  const candidates = candidatePairs(personRecords);
  const options: MatchOptions = {};
  const { scored, microsecondsPerPair } = scorePairs(personRecords, candidates, options);
  const metrics = pairMetrics(labels, candidates, scored);
  printMetrics(
    `Synthetic: ${people} children, ${recordCount} agency records, seed ${seed}, thresholds auto-link >= ${DEFAULT_MATCH_THRESHOLDS.autoLink}, review >= ${DEFAULT_MATCH_THRESHOLDS.review}`,
    metrics,
    microsecondsPerPair,
  );
  const falseLinks = { twin: 0, sibling: 0, unrelated: 0 };
  const reviewFalse = { twin: 0, sibling: 0, unrelated: 0 };
  for (const p of scored) {
    if (p.band === 'no-match' || labels[p.a] === labels[p.b]) continue;
    const a = records[p.a]!;
    const b = records[p.b]!;
    const relation =
      a.household !== b.household
        ? 'unrelated'
        : a.record.dateOfBirth !== undefined && a.record.dateOfBirth === b.record.dateOfBirth
          ? 'twin'
          : 'sibling';
    if (p.band === 'auto-link') {
      falseLinks[relation]++;
      if (process.env.EVAL_VERBOSE)
        console.log('FALSE LINK', p.score, JSON.stringify(a.record), JSON.stringify(b.record));
    } else reviewFalse[relation]++;
  }
  console.log(
    `  false auto-links by relation: twins ${falseLinks.twin}, siblings ${falseLinks.sibling}, unrelated ${falseLinks.unrelated}`,
  );
  console.log(
    `  false pairs in review:        twins ${reviewFalse.twin}, siblings ${reviewFalse.sibling}, unrelated ${reviewFalse.unrelated}`,
  );
  if (process.env.EVAL_VERBOSE) {
    for (const p of scored) {
      if (p.band === 'no-match' && labels[p.a] === labels[p.b]) {
        console.log(
          'MISSED',
          p.score,
          JSON.stringify(records[p.a]!.record),
          JSON.stringify(records[p.b]!.record),
        );
      }
    }
  }
  if (values.sweep) console.log(`  ${sweep(labels, scored, metrics.truePairs)}`);
}

function febrlDirectory(): string {
  const root = resolve(import.meta.dirname, '..');
  return resolve(values['febrl-dir'] ?? process.env.FEBRL_DIR ?? resolve(root, '../shared/data/febrl'));
}

function runFebrl(): void {
  const directory = febrlDirectory();
  if (!existsSync(directory)) {
    console.log(`\nFEBRL: no data at ${directory}; pass --febrl-dir or set FEBRL_DIR`);
    return;
  }
  const febrlOptions: MatchOptions = { validateIdentifiers: false };
  for (const withIdentifier of [true, false]) {
    const suffix = withIdentifier ? 'with soc_sec_id as the strong identifier' : 'without the identifier';

    const a = loadFebrl(directory, 'dataset4a.csv', withIdentifier);
    const b = loadFebrl(directory, 'dataset4b.csv', withIdentifier);
    const link = [...a, ...b];
    const side = [...a.map(() => 0), ...b.map(() => 1)];
    const linkRecords = link.map((r) => r.record);
    const linkLabels = link.map((r) => r.entity);
    const linkCandidates = candidatePairs(linkRecords, side, febrlOptions);
    const linkScored = scorePairs(linkRecords, linkCandidates, febrlOptions);
    const linkMetrics = pairMetrics(linkLabels, linkCandidates, linkScored.scored, side);
    printMetrics(
      `FEBRL4 (link 5,000 to 5,000), ${suffix}; Splink's published F1 0.9998`,
      linkMetrics,
      linkScored.microsecondsPerPair,
    );
    if (values.sweep) console.log(`  ${sweep(linkLabels, linkScored.scored, linkMetrics.truePairs)}`);

    const dedupe = loadFebrl(directory, 'dataset3.csv', withIdentifier);
    const dedupeRecords = dedupe.map((r) => r.record);
    const dedupeLabels = dedupe.map((r) => r.entity);
    const dedupeCandidates = candidatePairs(dedupeRecords, undefined, febrlOptions);
    const dedupeScored = scorePairs(dedupeRecords, dedupeCandidates, febrlOptions);
    const dedupeMetrics = pairMetrics(dedupeLabels, dedupeCandidates, dedupeScored.scored);
    printMetrics(
      `FEBRL3 (dedupe 5,000), ${suffix}; Splink's published F1 0.9954`,
      dedupeMetrics,
      dedupeScored.microsecondsPerPair,
    );
    if (values.sweep) console.log(`  ${sweep(dedupeLabels, dedupeScored.scored, dedupeMetrics.truePairs)}`);
  }
}

runSynthetic();
if (values.febrl) runFebrl();
