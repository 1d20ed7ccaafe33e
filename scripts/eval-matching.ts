/**
 * Evaluates the person matcher: blocking, scoring and banding on a seeded synthetic population of
 * children (with twins and siblings) and, with --febrl, on the FEBRL benchmark data sets. Every
 * headline figure is at the SHIPPED thresholds (DEFAULT_MATCH_THRESHOLDS) with the production
 * rules, once with the shipped weights and once with a model learnt (unlabelled) from the data set
 * itself, as `harbour matching train` learns one from a partnership's people. --sweep adds, apart,
 * the best F1 over thresholds chosen with the labels, which a deployment cannot do.
 *
 *   npm run eval:matching -- [--people N] [--records M] [--seed S] [--twin-share P] [--febrl] [--febrl-dir DIR] [--sweep] [--through-database] [--explain [--examples N] [--example-rule NAME]]
 *
 * --explain counts, per run, what holds the true pairs that are not linked automatically (each
 * rule, or the score) and which rules hold back false pairs scoring over the auto-link threshold;
 * --examples N prints N true pairs below review (or held by --example-rule) and N lost by blocking.
 *
 * --through-database also sends the synthetic records through `resolvePerson` on a database (the
 * embedded one, or PostgreSQL when DATABASE_URL is set), the path the API takes.
 *
 * The FEBRL directory may also be given by FEBRL_DIR; it defaults to ../shared/data/febrl relative
 * to the repository root.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { modelOptions } from '../src/domain/matching/model.ts';
import { DEFAULT_MATCH_THRESHOLDS, type MatchOptions, type PersonRecord } from '../src/domain/matching.ts';
import { explain } from './eval/explain.ts';
import { loadFebrl } from './eval/febrl.ts';
import { learntModel } from './eval/learnt.ts';
import { candidatePairs, type Metrics, pairMetrics, type ScoredPair, scorePairs } from './eval/pairs.ts';
import { generatePopulation } from './eval/synthetic.ts';
import { evaluateThroughResolution } from './eval/through-resolution.ts';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '5000' },
    records: { type: 'string', default: '12000' },
    seed: { type: 'string', default: '20240401' },
    'twin-share': { type: 'string', default: '0.12' },
    febrl: { type: 'boolean', default: false },
    'febrl-dir': { type: 'string' },
    sweep: { type: 'boolean', default: false },
    'through-database': { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
    examples: { type: 'string', default: '0' },
    'example-rule': { type: 'string' },
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
  const twinShare = Number(values['twin-share']);
  const { records, people: truth } = generatePopulation({ people, records: recordCount, seed, twinShare });
  const twins = (x: number, y: number) => truth[x]!.twinOf === y || truth[y]!.twinOf === x;
  const twinPeople = truth.filter((p) => p.twinOf !== null).length * 2;
  const personRecords = records.map((r) => r.record);
  const labels = records.map((r) => r.personId);
  const candidates = candidatePairs(personRecords);
  console.log(
    `Synthetic population: ${people} children (${((100 * twinPeople) / people).toFixed(1)}% twins), ${recordCount} agency records, seed ${seed}; shipped thresholds auto-link >= ${DEFAULT_MATCH_THRESHOLDS.autoLink}, review >= ${DEFAULT_MATCH_THRESHOLDS.review}\n`,
  );
  console.log(HEADER);
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  const runs: [string, MatchOptions][] = [['shipped weights', {}]];
  const started = performance.now();
  const model = learntModel(personRecords, candidates);
  const trainSeconds = (performance.now() - started) / 1000;
  runs.push([`learnt model (trained in ${trainSeconds.toFixed(1)} s)`, modelOptions(model)]);
  const results: { name: string; scored: ScoredPair[]; truePairs: number }[] = [];
  for (const [name, options] of runs) {
    scorePairs(personRecords, candidates, options);
    // Second pass: records are already normalised, as a query's candidates are in a long-running app.
    const { scored, microsecondsPerPair } = scorePairs(personRecords, candidates, options);
    const metrics = pairMetrics(labels, candidates, scored);
    console.log(row(`synthetic, ${name}`, metrics, microsecondsPerPair));
    results.push({ name, scored, truePairs: metrics.truePairs });
    if (values.explain)
      console.log(
        `\n${explain(personRecords, labels, candidates, options, Number(values.examples), undefined, values['example-rule'])}\n`,
      );
  }
  for (const { name, scored } of results) {
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
      `\n${name}: false auto-links: twins ${falseLinks.twin}, siblings ${falseLinks.sibling}, unrelated ${falseLinks.unrelated}; false pairs in the review queue: twins ${reviewFalse.twin}, siblings ${reviewFalse.sibling}, unrelated ${reviewFalse.unrelated}`,
    );
  }
  if (values.sweep) {
    console.log('\nSwept against the labels (not available to a deployment):');
    for (const { name, scored, truePairs } of results)
      console.log(`- ${name}: ${sweep(labels, scored, truePairs)}`);
  }
}

function febrlDirectory(): string {
  const root = resolve(import.meta.dirname, '..');
  return resolve(values['febrl-dir'] ?? process.env.FEBRL_DIR ?? resolve(root, '../shared/data/febrl'));
}

function runFebrlTask(
  name: string,
  loaded: readonly { entity: string; record: PersonRecord }[],
  side: number[] | undefined,
  sweeps: string[],
): void {
  const records = loaded.map((r) => r.record);
  const labels = loaded.map((r) => r.entity);
  // FEBRL's soc_sec_id has no check digit; otherwise this is the production configuration.
  const base: MatchOptions = { validateIdentifiers: false };
  const candidates = candidatePairs(records, side, base);
  const model = learntModel(records, candidates);
  for (const [label, options] of [
    ['shipped weights', base],
    ['learnt model', { ...base, ...modelOptions(model) }],
  ] as const) {
    const result = scorePairs(records, candidates, options);
    const metrics = pairMetrics(labels, candidates, result.scored, side);
    console.log(row(`${name}, ${label}`, metrics, result.microsecondsPerPair));
    if (values.explain)
      console.log(
        `\n${explain(records, labels, candidates, options, Number(values.examples), side, values['example-rule'])}\n`,
      );
    if (values.sweep) sweeps.push(`- ${name}, ${label}: ${sweep(labels, result.scored, metrics.truePairs)}`);
  }
}

function runFebrl(): void {
  const directory = febrlDirectory();
  if (!existsSync(directory)) {
    console.log(`\nFEBRL: no data at ${directory}; pass --febrl-dir or set FEBRL_DIR`);
    return;
  }
  console.log(
    `\nFEBRL at the shipped thresholds (auto-link >= ${DEFAULT_MATCH_THRESHOLDS.autoLink}, review >= ${DEFAULT_MATCH_THRESHOLDS.review}), production rules\n`,
  );
  const sweeps: string[] = [];
  console.log(HEADER);
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const withIdentifier of [true, false]) {
    const suffix = withIdentifier ? 'with soc_sec_id' : 'no identifier';
    const a = loadFebrl(directory, 'dataset4a.csv', withIdentifier);
    const b = loadFebrl(directory, 'dataset4b.csv', withIdentifier);
    runFebrlTask(`FEBRL4 ${suffix}`, [...a, ...b], [...a.map(() => 0), ...b.map(() => 1)], sweeps);
    runFebrlTask(`FEBRL3 ${suffix}`, loadFebrl(directory, 'dataset3.csv', withIdentifier), undefined, sweeps);
  }
  if (sweeps.length > 0) {
    console.log(
      "\nSwept against the labels (not available to a deployment; Splink's published best F1: FEBRL4 0.9998, FEBRL3 0.9954):",
    );
    for (const line of sweeps) console.log(line);
  }
}

/**
 * The same synthetic records sent one by one through `resolvePerson` on a database, as the API
 * sends them: each person gathers the facts of the records linked to it, and the figure is per
 * record (was it put on the right person's record?), not per pair.
 */
async function runThroughDatabase(): Promise<void> {
  const { records } = generatePopulation({
    people: Number(values.people),
    records: Number(values.records),
    seed: Number(values.seed),
    twinShare: Number(values['twin-share']),
  });
  const databaseUrl = process.env.DATABASE_URL;
  const m = await evaluateThroughResolution(
    records.map((r) => ({ entity: r.personId, record: r.record })),
    databaseUrl ? { databaseUrl } : {},
  );
  console.log(
    `\nThrough resolvePerson on ${databaseUrl ? 'PostgreSQL' : 'the embedded database'}, shipped thresholds, ${m.records} records in order (${m.recordsPerSecond.toFixed(0)} records/s):\n`,
  );
  console.log(
    '| records | should link | true links | false links | precision | recall | F1 | to review with their person | needless reviews | recall auto+review | missed | resent without an invalid identifier | refused |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  console.log(
    `| ${m.records} | ${m.shouldLink} | ${m.trueLinks} | ${m.falseLinks} | ${m.precision.toFixed(4)} | ${m.recall.toFixed(4)} | ${m.f1.toFixed(4)} | ${m.reviewWithTruth} | ${m.reviewNeedless} | ${m.recallWithReview.toFixed(4)} | ${m.missed} | ${m.resentWithoutIdentifier} | ${m.rejected} |`,
  );
  for (const example of m.falseLinkExamples) {
    const held = records.filter((r) => example.heldEntities.includes(r.personId)).map((r) => r.record);
    console.log(
      `\nFalse link: ${JSON.stringify(example.record)}\n  put on the person holding: ${JSON.stringify(held)}`,
    );
  }
}

runSynthetic();
if (values.febrl) runFebrl();
if (values['through-database']) await runThroughDatabase();
