/**
 * How large a partnership the embedded database (PGlite: PostgreSQL compiled to 32-bit WASM, so
 * one process and a memory ceiling) holds comfortably. For each size: generate it (time, peak
 * memory), reopen it as the app would (time to open, memory once open), and time the person match
 * query and a 2,000-event chronology on it.
 *
 *   npx node bench/capacity.ts [sizes, default 100000,300000,500000]
 *
 * Writes bench/results/<date>-pglite-capacity.json. See docs/performance.md.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Random } from '../src/modules/synthetic/random.ts';
import { buildServices } from '../src/services.ts';
import { databaseBytes, openDataset, ROOT } from './lib/dataset.ts';
import { matchInput, sampleFamilies } from './lib/fixtures.ts';
import { machine } from './lib/report.ts';
import { timeSerial } from './lib/stats.ts';

const sizes = (process.argv[2] ?? '100000,300000,500000').split(',').map(Number);
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

/** Peak resident memory while `fn` runs, sampled every 250 ms. */
async function peakMemory<T>(fn: () => Promise<T>): Promise<{ value: T; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 250);
  try {
    const value = await fn();
    return { value, peakMb: mb(Math.max(peak, process.memoryUsage().rss)) };
  } finally {
    clearInterval(timer);
  }
}

/** The size's dataset on PGlite, generated on first use (ten years, seed 1) and reopened after. */
const openSize = (people: number, progress: boolean) =>
  openDataset({ backend: 'pglite', people, years: 10, seed: 1, fresh: false, progress });

const results: object[] = [];
for (const people of sizes) {
  process.stderr.write(`PGlite with ${people.toLocaleString('en-GB')} people\n`);
  const entry: Record<string, unknown> = { people, years: 10 };
  try {
    const generated = await peakMemory(async () => {
      const dataset = await openSize(people, true);
      const seconds = dataset.generatedSeconds;
      const bytes = await databaseBytes(dataset.deps);
      await dataset.deps.close();
      return { seconds, bytes };
    });
    entry.generateSeconds = generated.value.seconds;
    entry.generatePeakRssMb = generated.peakMb;
    entry.databaseMb = mb(generated.value.bytes);
    global.gc?.();
    const before = process.memoryUsage().rss;
    const t0 = performance.now();
    const opened = await peakMemory(async () => {
      const dataset = await openSize(people, false);
      entry.openSeconds = (performance.now() - t0) / 1000;
      entry.openRssMb = mb(process.memoryUsage().rss);
      const deps = dataset.deps;
      const random = new Random(7);
      const families = await sampleFamilies(deps.db, 50, random);
      const inputs = families.flatMap((f) => f.children).map((p) => matchInput(p, random));
      const people$ = buildServices(deps).people;
      const match = await timeSerial((i) => people$.findMatches(deps.db, inputs[i % inputs.length]!), {
        warmup: 10,
        iterations: 200,
        maxSeconds: 20,
      });
      const directory = buildServices(deps).directory;
      const heavyId = dataset.info.heavyChildIds[0]!;
      const heavy = await deps.db
        .selectFrom('person')
        .select('area_id')
        .where('id', '=', heavyId)
        .executeTakeFirstOrThrow();
      const area = await deps.db
        .selectFrom('area')
        .select('code')
        .where('id', '=', heavy.area_id)
        .executeTakeFirstOrThrow();
      const user = await directory.findUserByEmail(
        area.code === 'northbridge'
          ? 'front.door@harbour.example'
          : `${area.code}.front.door@harbour.example`,
      );
      const principal = (await directory.principalForUser(user!.id))!;
      const chronology = buildServices(deps).chronology;
      const chron = await timeSerial(() => chronology.forPerson({ principal }, heavyId, { pageSize: 100 }), {
        warmup: 5,
        iterations: 100,
        maxSeconds: 20,
      });
      entry.matchMs = { p50: match.summary.p50, p95: match.summary.p95, p99: match.summary.p99 };
      entry.chronologyMs = { p50: chron.summary.p50, p95: chron.summary.p95, p99: chron.summary.p99 };
      await deps.close();
    });
    entry.runPeakRssMb = opened.peakMb;
    entry.rssBeforeOpenMb = mb(before);
    entry.ok = true;
  } catch (error) {
    entry.ok = false;
    entry.error = String((error as Error).stack ?? error);
  }
  process.stderr.write(`${JSON.stringify(entry)}\n`);
  results.push(entry);
}

const file = path.join(
  ROOT,
  'bench',
  'results',
  `${new Date().toISOString().slice(0, 10)}-pglite-capacity.json`,
);
writeFileSync(
  file,
  `${JSON.stringify({ date: new Date().toISOString(), machine: machine(), results }, null, 2)}\n`,
);
console.log(JSON.stringify(results, null, 2));
