/**
 * Where the database's time goes in the bench's operations: every statement the match query, the
 * person search and a DAN intake send, as each really ran, with its `EXPLAIN (ANALYZE, BUFFERS)`.
 * The operations run on a Kysely whose connections load PostgreSQL's `auto_explain` with every
 * statement logged to the client (a notice per statement), so writes are explained where they
 * happened, in their own transaction, not replayed against keys they already used. Statements are
 * grouped by text; for each the medians over the samples of its execution time and of its shared
 * buffers (hit + read: the pages touched, which the machine's load does not change) and the plan
 * nodes that took the most of the time (their own, children's excluded).
 *
 * PostgreSQL only, on a bench dataset `npm run bench` made (the same sizes and seed select it):
 *
 *   DATABASE_URL=postgres://… npx node bench/explain.ts --people 300000 --years 5 \
 *     [--only match,search,intake] [--samples 20] [--plans] [--json out.json]
 *
 * `--plans` prints each statement's slowest plan as text; `--json` writes every figure.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { postgresSessionOptions } from '../src/db/database.ts';
import type { DB } from '../src/db/schema.ts';
import { Random } from '../src/modules/synthetic/random.ts';
import type { Principal } from '../src/platform/principal.ts';
import { buildServices } from '../src/services.ts';
import { datasetArgs, num, parseDatasetCommandLine } from './lib/args.ts';
import { openDataset } from './lib/dataset.ts';
import { DanFactory, matchInput, sampleFamilies, searchName } from './lib/fixtures.ts';
import { collecting, isTransactionControl, type Sink } from './lib/floor.ts';

const values = parseDatasetCommandLine({
  samples: { type: 'string' },
  plans: { type: 'boolean' },
  json: { type: 'string' },
});
if (!process.env.DATABASE_URL) throw new Error('bench/explain.ts needs DATABASE_URL (PostgreSQL)');
const { people, years, seed, only } = datasetArgs(values, { people: 1_000_000, years: 10 });
const samples = num(values.samples, 20);

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Total Time': number;
  'Actual Loops': number;
  'Actual Rows': number;
  'Shared Hit Blocks': number;
  'Shared Read Blocks': number;
  Plans?: PlanNode[];
}

interface Explained {
  text: string;
  ms: number;
  plan: PlanNode;
}

/** auto_explain's notice: "duration: 1.234 ms  plan:\n{json}". */
function parseNotice(message: string): Explained | null {
  const at = message.indexOf('plan:');
  const duration = /duration: ([\d.]+) ms/.exec(message);
  if (at < 0 || !duration) return null;
  const body = JSON.parse(message.slice(at + 5)) as { 'Query Text': string; Plan: PlanNode };
  return { text: body['Query Text'], ms: Number(duration[1]), plan: body.Plan };
}

const buffers = (n: PlanNode) => (n['Shared Hit Blocks'] ?? 0) + (n['Shared Read Blocks'] ?? 0);

function label(n: PlanNode): string {
  const on = n['Index Name'] ?? n['Relation Name'];
  return on ? `${n['Node Type']} ${on}` : n['Node Type'];
}

/** Each node's own time (its total times its loops, less its children's), summed by label. */
function selfTimes(root: PlanNode, into = new Map<string, number>()): Map<string, number> {
  const total = (n: PlanNode) => n['Actual Total Time'] * n['Actual Loops'];
  const walk = (n: PlanNode) => {
    const children = n.Plans ?? [];
    const own = total(n) - children.reduce((a, c) => a + total(c), 0);
    into.set(label(n), (into.get(label(n)) ?? 0) + Math.max(0, own));
    children.forEach(walk);
  };
  walk(root);
  return into;
}

/** Indented text of a plan: node, rows, loops, time, buffers. */
function planText(n: PlanNode, depth = 0): string {
  const line = `${'  '.repeat(depth)}-> ${label(n)}  rows=${n['Actual Rows']} loops=${n['Actual Loops']} time=${n['Actual Total Time'].toFixed(3)} buffers=${buffers(n)}`;
  return [line, ...(n.Plans ?? []).map((c) => planText(c, depth + 1))].join('\n');
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0
    ? 0
    : s.length % 2
      ? s[(s.length - 1) / 2]!
      : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const dataset = await openDataset({ backend: 'postgres', people, years, seed, fresh: false, progress: true });
const deps = dataset.deps;
const sink: Sink<Explained> = { into: null };
const pool = new pg.Pool({
  connectionString: dataset.env.DATABASE_URL,
  max: 4,
  options: postgresSessionOptions(),
});
pool.on('connect', (client) => {
  client.on('notice', (notice) => {
    const explained = parseNotice(notice.message ?? '');
    if (explained) sink.into?.push(explained);
  });
  void client.query(`load 'auto_explain';
    set auto_explain.log_min_duration = 0; set auto_explain.log_analyze = on;
    set auto_explain.log_buffers = on; set auto_explain.log_timing = on;
    set auto_explain.log_format = json; set auto_explain.log_level = notice;
    set client_min_messages = notice`);
});
const explaining = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
const services = buildServices({ ...deps, db: explaining });

async function explain(fn: (i: number) => Promise<unknown>): Promise<Explained[][]> {
  const runs: Explained[][] = [];
  await fn(0); // warm-up: caches, the pool's sessions
  for (let i = 1; i <= samples; i++) {
    const explained = await collecting(sink, () => fn(i));
    runs.push(explained.filter((e) => !isTransactionControl(e.text)));
  }
  return runs;
}

interface Row {
  statement: string;
  runs: number;
  perRun: number;
  ms: number;
  buffers: number;
  top: string;
  slowest: Explained;
}

function summarise(runs: Explained[][]): Row[] {
  const groups = new Map<string, Explained[]>();
  for (const run of runs)
    for (const e of run) {
      const key = e.text.replace(/\s+/g, ' ').trim();
      groups.set(key, [...(groups.get(key) ?? []), e]);
    }
  return [...groups].map(([statement, es]) => {
    const nodes = new Map<string, number>();
    for (const e of es) selfTimes(e.plan, nodes);
    const top = [...nodes]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([n, ms]) => `${n} ${(ms / es.length).toFixed(2)}`)
      .join('; ');
    return {
      statement,
      runs: new Set(runs.filter((r) => r.some((e) => e.text.replace(/\s+/g, ' ').trim() === statement))).size,
      perRun: es.length / runs.length,
      ms: median(es.map((e) => e.ms)),
      buffers: median(es.map((e) => buffers(e.plan))),
      top,
      slowest: es.reduce((a, b) => (b.ms > a.ms ? b : a)),
    };
  });
}

function report(title: string, runs: Explained[][]) {
  const rows = summarise(runs).sort((a, b) => b.ms * b.perRun - a.ms * a.perRun);
  const perRun = runs.map((r) => r.reduce((a, e) => a + e.ms, 0));
  const perRunBuffers = runs.map((r) => r.reduce((a, e) => a + buffers(e.plan), 0));
  console.log(
    `\n${title}: ${runs.length} runs, ${median(runs.map((r) => r.length))} statements a run; database time a run: median ${median(perRun).toFixed(1)} ms, max ${Math.max(...perRun).toFixed(1)} ms; buffers a run: median ${median(perRunBuffers)}; load ${loadavg()[0]!.toFixed(1)}`,
  );
  console.log('   ms p50  buffers p50  per run  statement  |  most own time (ms a run)');
  for (const r of rows)
    console.log(
      `${r.ms.toFixed(2).padStart(9)}  ${String(r.buffers).padStart(11)}  ${r.perRun.toFixed(1).padStart(7)}  ${r.statement.slice(0, 110)}  |  ${r.top}`,
    );
  if (values.plans)
    for (const r of rows.slice(0, 6))
      console.log(`\n${r.statement.slice(0, 300)}\nslowest ${r.slowest.ms} ms:\n${planText(r.slowest.plan)}`);
  return {
    title,
    runs: runs.length,
    medianMs: median(perRun),
    medianBuffers: median(perRunBuffers),
    load: loadavg()[0],
    statements: rows.map(({ slowest: _, ...r }) => r),
  };
}

const wanted = (id: string) => !only || only.has(id);
const principalOf = async (email: string): Promise<Principal> => {
  const user = await services.directory.findUserByEmail(email);
  const principal = user ? await services.directory.principalForUser(user.id) : null;
  if (!principal) throw new Error(`No demo user ${email}`);
  return principal;
};
try {
  // The same inputs as npm run bench (its random stream, seed + 1000).
  const random = new Random(seed + 1000);
  const families = await sampleFamilies(deps.db, 200, random);
  const known = families.flatMap((f) => [...f.children.filter((c) => c.kind !== 'unborn'), ...f.parents]);
  const matchInputs = known.map((p) => matchInput(p, random));
  const out: unknown[] = [];
  if (wanted('match'))
    out.push(
      report(
        'person match query (findMatches)',
        await explain((i) => services.people.findMatches(explaining, matchInputs[i % matchInputs.length]!)),
      ),
    );
  if (wanted('search')) {
    const areas = await deps.db.selectFrom('area').select(['id', 'code']).execute();
    const mash = new Map<string, Principal>();
    for (const a of areas)
      mash.set(
        a.id,
        await principalOf(
          a.code === 'northbridge' ? 'front.door@harbour.example' : `${a.code}.front.door@harbour.example`,
        ),
      );
    out.push(
      report(
        'person search (first page of 20, MASH practitioner)',
        await explain((i) => {
          const p = known[i % known.length]!;
          return services.people.search(
            { principal: mash.get(p.area_id)!, requestId: 'explain' },
            { name: searchName(p), page: 1, pageSize: 20 },
          );
        }),
      ),
    );
  }
  if (wanted('intake')) {
    const districts = (await deps.db.selectFrom('area').select('postcode_districts').execute()).flatMap(
      (a) => a.postcode_districts,
    );
    const dans = new DanFactory(families, seed + 2000, districts);
    const police = await principalOf('police.officer@harbour.example');
    out.push(
      report(
        'DAN intake (3 in 4 about a known family)',
        await explain(() =>
          services.frontDoor.submitDan({ principal: police, requestId: 'explain' }, dans.next()),
        ),
      ),
    );
  }
  if (values.json) writeFileSync(values.json, `${JSON.stringify(out, null, 2)}\n`);
} finally {
  await explaining.destroy();
  await deps.close();
}
