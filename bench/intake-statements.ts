/**
 * Counts the statements one DAN intake sends, grouped by verb and table: one DAN about a family
 * Harbour already knows, one about a new family, on a small generated partnership (PGlite unless
 * DATABASE_URL is set). The job queue runs in this process, so the jobs an intake enqueues in its
 * transaction are counted too, as they are on the app’s request path. The partnership is generated
 * afresh each run (a second run would find the first run’s new family already known).
 *
 *   npx node bench/intake-statements.ts [--people 1000] [--seed 3] [--verbose]
 */
import { parseArgs } from 'node:util';
import { defineFrontDoorQueues } from '../src/modules/front-door/clock-jobs.ts';
import { Random } from '../src/modules/synthetic/random.ts';
import { startJobs } from '../src/platform/jobs.ts';
import { buildServices } from '../src/services.ts';
import { openDataset } from './lib/dataset.ts';
import { DanFactory, sampleFamilies } from './lib/fixtures.ts';
import { captureStatements, type Statement } from './lib/floor.ts';

const { values } = parseArgs({
  options: {
    people: { type: 'string' },
    seed: { type: 'string' },
    verbose: { type: 'boolean' },
  },
});
const people = Number(values.people ?? 1000);
const seed = Number(values.seed ?? 3);
const backend = process.env.DATABASE_URL ? ('postgres' as const) : ('pglite' as const);

/** The first table named at the top level of a statement (not inside a sub-select). */
function topLevelTable(text: string, keyword: RegExp): string | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0) {
      const m = keyword.exec(text.slice(i));
      if (m) return m[1];
    }
  }
  return undefined;
}

/** `insert into "person_name" ...` -> `insert person_name`: verb and top-level table. */
function label(s: Statement): string {
  const text = s.sql.replace(/\s+/g, ' ').trim();
  const verb = /^(\w+)/.exec(text)?.[1]?.toLowerCase() ?? '?';
  const keyword =
    {
      insert: /^insert into "?([\w.]+)"?/i,
      update: /^update "?([\w.]+)"?/i,
      delete: /^delete from "?([\w.]+)"?/i,
    }[verb] ?? /^from "?([\w.]+)"?/i;
  return `${verb} ${topLevelTable(text, keyword) ?? '(no table)'}`;
}

function report(title: string, statements: Statement[]) {
  const groups = new Map<string, number>();
  for (const s of statements) groups.set(label(s), (groups.get(label(s)) ?? 0) + 1);
  console.log(`\n${title}: ${statements.length} statements`);
  for (const [name, n] of [...groups].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])))
    console.log(`  ${String(n).padStart(3)}  ${name}`);
  if (values.verbose)
    for (const s of statements) console.log(`    ${s.sql.replace(/\s+/g, ' ').slice(0, 200)}`);
}

const dataset = await openDataset({ backend, people, years: 2, seed, fresh: true, progress: false });
const jobs = await startJobs(dataset.database, { supervise: false });
const deps = { ...dataset.deps, jobs };
try {
  await defineFrontDoorQueues(deps);
  const families = await sampleFamilies(deps.db, 5, new Random(seed + 1000));
  const districts = (await deps.db.selectFrom('area').select('postcode_districts').execute()).flatMap(
    (a) => a.postcode_districts,
  );
  const dans = new DanFactory(families, seed + 2000, districts);
  const directory = buildServices(deps).directory;
  const police = await directory.findUserByEmail('police.officer@harbour.example');
  const principal = police ? await directory.principalForUser(police.id) : null;
  if (!principal) throw new Error('No police officer in the generated partnership');
  const context = { principal, requestId: 'intake-statements' };
  const submit = (knownShare: number) => {
    const input = dans.next(knownShare);
    const named = 1 + input.suspects.length + input.children.length;
    return captureStatements(dataset.database, (db) =>
      buildServices({ ...deps, db }).frontDoor.submitDan(context, input),
    ).then((statements) => ({ statements, named }));
  };
  // One of each first, unmeasured: the per-process caches fill as they do in a running app.
  await submit(1);
  await submit(0);
  const known = await submit(1);
  report(`DAN about a known family (${known.named} people)`, known.statements);
  const fresh = await submit(0);
  report(`DAN about a new family (${fresh.named} people)`, fresh.statements);
} finally {
  await jobs.stop();
  await dataset.deps.close();
}
