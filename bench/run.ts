/**
 * `npm run bench [-- options]`: measures Harbour on a generated partnership.
 *
 *   --quick            small partnership, short runs: finishes in well under 3 minutes (CI smoke run)
 *   --people N         partnership size (default 300,000 on PGlite, 1,000,000 on PostgreSQL)
 *   --years Y          years of history (default 10)
 *   --seed S           generator seed (default 1)
 *   --fresh            regenerate the partnership even if it exists
 *   --seconds S        HTTP load per operation (default 15; quick 3)
 *   --connections C    concurrent HTTP connections (default 16; quick 8)
 *   --only a,b         only these operations (ids as printed)
 *   --no-scale-out     skip the 1-vs-2-process intake run (PostgreSQL only)
 *   --open-contacts N  open contacts on the queue page (default 5,000; quick 50), made once per dataset
 *
 * PGlite by default; PostgreSQL when DATABASE_URL is set (the bench makes its own database on that
 * server). Prints a table and writes bench/results/<date>-<backend>[-quick][-partial].json. See
 * docs/performance.md for what each figure means.
 */
import { readFileSync as readProcFile } from 'node:fs';
import type { Request } from 'autocannon';
import { sql } from 'kysely';
import type { Db } from '../src/db/database.ts';
import { MEASURED_FROM, measureBlockSizes } from '../src/modules/people/block-sizes.ts';
import { cumulativeRisk } from '../src/modules/risk/cumulative.ts';
import { formatDuration, ProgressBar } from '../src/modules/synthetic/progress.ts';
import { Random } from '../src/modules/synthetic/random.ts';
import type { AuditContext } from '../src/platform/audit.ts';
import { cliPrincipal, type Principal } from '../src/platform/principal.ts';
import { buildServices, type Services } from '../src/services.ts';
import { datasetArgs, num, parseDatasetCommandLine } from './lib/args.ts';
import { type Dataset, databaseBytes, openDataset, ROOT } from './lib/dataset.ts';
import { DanFactory, matchInput, sampleFamilies, searchName } from './lib/fixtures.ts';
import {
  captureStatements,
  type FloorKind,
  measureConcurrentFloor,
  measureFloor,
  replayer,
  type Statement,
} from './lib/floor.ts';
import { type AppProcess, load, signIn, startApp } from './lib/http.ts';
import { judge, machine, type OperationResult, type Target, table, writeResults } from './lib/report.ts';
import { timeSerial } from './lib/stats.ts';

const values = parseDatasetCommandLine({
  quick: { type: 'boolean' },
  fresh: { type: 'boolean' },
  seconds: { type: 'string' },
  connections: { type: 'string' },
  'no-scale-out': { type: 'boolean' },
  'open-contacts': { type: 'string' },
});

const started = performance.now();
const backend = process.env.DATABASE_URL ? ('postgres' as const) : ('pglite' as const);
const quick = Boolean(values.quick);
const { people, years, seed, only } = datasetArgs(values, {
  people: quick ? 2000 : backend === 'postgres' ? 1_000_000 : 300_000,
  years: quick ? 3 : 10,
});
const httpSeconds = num(values.seconds, quick ? 3 : 15);
const connections = num(values.connections, quick ? 8 : 16);
const serial = quick
  ? { warmup: 3, iterations: 40, maxSeconds: 4 }
  : { warmup: 30, iterations: 400, maxSeconds: 30 };
/** The in-process operation whose statements are an HTTP operation's floor (its `% of c floor`). */
const FLOOR_OF: Record<string, string> = {
  'match-api': 'match',
  'search-page': 'search',
  'chronology-api': 'chronology',
  'risk-api': 'risk',
};
// Selecting an HTTP operation selects the in-process one that gives its floor: without it the
// ratio the HTTP row is judged on would be empty.
const wanted = (id: string) =>
  !only || only.has(id) || Object.entries(FLOOR_OF).some(([http, floor]) => floor === id && only.has(http));

/** The figures each capability's issue set, reported against (never asserted). */
const TARGETS: Record<string, Target> = {
  match:
    backend === 'postgres'
      ? { text: 'p95 < 10 ms at 1M', p95Ms: 10 }
      : { text: 'p95 < 20 ms at 300k', p95Ms: 20 },
  'match-api': { text: '≥ 50% of c floor', minOfConcurrentFloor: 0.5 },
  intake:
    backend === 'postgres'
      ? {
          text: '≥ 100/s, ≥ 50% of c floor, p95 < 250 ms',
          p95Ms: 250,
          minThroughput: 100,
          minOfConcurrentFloor: 0.5,
        }
      : { text: '≥ 30/s at 300k', minThroughput: 30 },
  search: { text: 'p95 < 200 ms at 1M', p95Ms: 200 },
  chronology: { text: 'p95 < 50 ms', p95Ms: 50 },
  'chronology-api': { text: 'p95 < 50 ms, ≥ 50% of c floor', p95Ms: 50, minOfConcurrentFloor: 0.5 },
  risk: { text: '< 10 ms', p95Ms: 10 },
  queue: { text: '< 300 ms, 5,000 open', p95Ms: 300 },
  scaleOut: { text: '≥ 1.3× 1 process' },
};

const log = (message: string) => process.stderr.write(`${message}\n`);

function notAvailable(
  id: string,
  name: string,
  via: OperationResult['via'],
  note: string,
  target?: Target,
): OperationResult {
  return { id, name, via, status: 'not available yet', note, ...(target ? { target } : {}) };
}

async function principalOf(dataset: Dataset, email: string): Promise<Principal> {
  const directory = buildServices(dataset.deps).directory;
  const user = await directory.findUserByEmail(email);
  const principal = user ? await directory.principalForUser(user.id) : null;
  if (!principal) throw new Error(`No demo user ${email} in the bench partnership`);
  return principal;
}

async function areaCode(db: Db, areaId: string): Promise<string> {
  const row = await db.selectFrom('area').select('code').where('id', '=', areaId).executeTakeFirstOrThrow();
  return row.code;
}

/** Serial in-process timing plus, when `capture` is given, the floor of the same statements. */
async function inProcess(
  dataset: Dataset,
  spec: {
    id: string;
    name: string;
    target?: Target;
    note?: string;
    run: (i: number) => Promise<unknown>;
    capture?: { kind: FloorKind; samples: number; fn: (db: Db, i: number) => Promise<unknown> };
  },
): Promise<OperationResult> {
  if (!wanted(spec.id))
    return {
      id: spec.id,
      name: spec.name,
      via: 'in-process',
      status: 'not applicable',
      note: 'not selected',
    };
  log(`  ${spec.name} (in-process)`);
  try {
    const { summary, seconds } = await timeSerial(spec.run, serial);
    const result: OperationResult = {
      id: spec.id,
      name: spec.name,
      via: 'in-process',
      status: 'measured',
      latency: summary,
      throughput: summary.n / seconds,
      ...(spec.target ? { target: spec.target } : {}),
      ...(spec.note ? { note: spec.note } : {}),
    };
    if (spec.capture) {
      const sets: Statement[][] = [];
      for (let i = 0; i < spec.capture.samples; i++)
        sets.push(await captureStatements(dataset.database, (db) => spec.capture!.fn(db, i)));
      result.floor = await floorOf(dataset, sets, spec.capture.kind);
      result.ratio = summary.p50 / result.floor.p50;
    }
    return judge(result);
  } catch (error) {
    return {
      id: spec.id,
      name: spec.name,
      via: 'in-process',
      status: 'failed',
      note: String((error as Error).message ?? error),
    };
  }
}

/** The serial floor (one connection, one replay at a time) and the concurrent floor (`connections` at once). */
async function floorOf(dataset: Dataset, sets: Statement[][], kind: FloorKind) {
  const replay = await replayer(dataset.database);
  let floor: { p50: number; p95: number; statements: number };
  try {
    const { summary, statements } = await measureFloor(replay, sets, kind, serial);
    floor = { p50: summary.p50, p95: summary.p95, statements };
  } finally {
    await replay.close();
  }
  const concurrent = await measureConcurrentFloor(dataset.database, sets, kind, {
    connections,
    seconds: quick ? 1 : 5,
  });
  return { ...floor, concurrent };
}

async function main() {
  log(
    `Harbour bench: ${backend}, ${people.toLocaleString('en-GB')} people, ${years} years, seed ${seed}${quick ? ', quick' : ''}`,
  );
  const dataset = await openDataset({ backend, people, years, seed, fresh: quick, progress: true });
  const deps = dataset.deps;
  const bytes = await databaseBytes(deps);
  log(
    `Dataset ${dataset.name}: ${dataset.generatedSeconds === null ? 'reused' : `generated in ${formatDuration(dataset.generatedSeconds)}`}, ${(bytes / 2 ** 20).toFixed(0)} MB`,
  );
  const random = new Random(seed + 1000);
  const families = await sampleFamilies(deps.db, quick ? 25 : 200, random);
  const known = families.flatMap((f) => [...f.children.filter((c) => c.kind !== 'unborn'), ...f.parents]);
  const heavyId = dataset.info.heavyChildIds[0]!;
  const heavy = await deps.db
    .selectFrom('person')
    .select(['id', 'area_id'])
    .where('id', '=', heavyId)
    .executeTakeFirstOrThrow();
  const heavyArea = await areaCode(deps.db, heavy.area_id);
  const mashEmail = (code: string) =>
    code === 'northbridge' ? 'front.door@harbour.example' : `${code}.front.door@harbour.example`;
  const mash = new Map<string, Principal>();
  const mashEmails = new Map<string, string>();
  for (const area of await deps.db.selectFrom('area').select(['id', 'code']).execute()) {
    mash.set(area.id, await principalOf(dataset, mashEmail(area.code)));
    mashEmails.set(area.id, mashEmail(area.code));
  }
  const police = await principalOf(dataset, 'police.officer@harbour.example');
  const ctx = (principal: Principal): AuditContext => ({ principal, requestId: 'bench' });
  const matchInputs = known.map((p) => matchInput(p, random));
  const daChildren = await typicalChildren(deps.db, quick ? 10 : 100, random);

  // Block sizes as the nightly job leaves them, so matching skips the over-large keys.
  const measuring = performance.now();
  const blocks = await measureBlockSizes(deps.db);
  log(
    `Blocking keys measured in ${formatDuration((performance.now() - measuring) / 1000)}: ${blocks.keys} over ${MEASURED_FROM} people, the largest ${blocks.largest}`,
  );

  // The queue page is measured with the open contacts a busy front door holds: made through the
  // front-door service (as DANs about new families, so each opens a contact), once per dataset.
  const districts = (await deps.db.selectFrom('area').select('postcode_districts').execute()).flatMap(
    (a) => a.postcode_districts,
  );
  const dans = new DanFactory(families, seed + 2000, districts);
  const wantedOpen = num(values['open-contacts'], quick ? 50 : 5000);
  const already = await countOpenContacts(deps.db);
  if (already < wantedOpen) {
    const frontDoor = buildServices(deps).frontDoor;
    const bar = new ProgressBar('open contacts', wantedOpen - already, { enabled: true });
    for (let i = 0; i < wantedOpen - already; i++) {
      await frontDoor.submitDan(ctx(police), dans.next(0));
      bar.update(i + 1);
    }
    bar.finish();
  }

  const results: OperationResult[] = [];
  log('In-process measurements:');
  const people$ = buildServices(deps).people;
  // Each operation once, for both the timed runs (on the app's services) and the statement capture.
  const matchOn = (people: Services['people'], db: Db, i: number) =>
    people.findMatches(db, matchInputs[i % matchInputs.length]!);
  const searchOn = (people: Services['people'], i: number) => {
    const p = known[i % known.length]!;
    return people.search(ctx(mash.get(p.area_id)!), { name: searchName(p), page: 1, pageSize: 20 });
  };
  results.push(
    await inProcess(dataset, {
      id: 'match',
      name: 'person match query',
      target: TARGETS.match!,
      note: 'blocking-key candidate query and scoring (findMatches), an agency’s noisy record of a known person',
      run: (i) => matchOn(people$, deps.db, i),
      capture: {
        kind: 'reads',
        samples: 20,
        fn: (db, i) => matchOn(buildServices({ ...deps, db }).people, db, i),
      },
    }),
  );
  results.push(
    await inProcess(dataset, {
      id: 'search',
      name: 'person search',
      target: TARGETS.search!,
      note: 'given name and surname as typed, first page of 20, MASH practitioner of the area; audited',
      run: (i) => searchOn(people$, i),
      capture: {
        kind: 'reads',
        samples: 10,
        fn: (db, i) => searchOn(buildServices({ ...deps, db }).people, i),
      },
    }),
  );
  const chronology$ = buildServices(deps).chronology;
  results.push(
    await inProcess(dataset, {
      id: 'chronology',
      name: 'chronology, 2,000-event child',
      target: TARGETS.chronology!,
      note: 'first page of 100 with the total and agency filter list, MASH view (every agency); audited',
      run: () => chronology$.forPerson(ctx(mash.get(heavy.area_id)!), heavyId, { pageSize: 100 }),
      capture: {
        kind: 'reads',
        samples: 1,
        fn: (db) =>
          buildServices({ ...deps, db }).chronology.forPerson(ctx(mash.get(heavy.area_id)!), heavyId, {
            pageSize: 100,
          }),
      },
    }),
  );
  const risk$ = cumulativeRisk(deps, buildServices(deps));
  results.push(
    await inProcess(dataset, {
      id: 'risk',
      name: 'risk computation, typical child',
      target: TARGETS.risk!,
      note: 'cumulative-risk engine over the child’s and linked adults’ chronologies, children with domestic abuse history',
      run: (i) => risk$.assess(deps.db, daChildren[i % daChildren.length]!, new Date()),
      capture: {
        kind: 'reads',
        samples: 10,
        fn: (db, i) =>
          cumulativeRisk({ ...deps, db }, buildServices({ ...deps, db })).assess(
            db,
            daChildren[i % daChildren.length]!,
            new Date(),
          ),
      },
    }),
  );
  results.push(
    await inProcess(dataset, {
      id: 'risk-heavy',
      name: 'risk computation, 2,000-event child',
      target: TARGETS.risk!,
      run: () => risk$.assess(deps.db, heavyId, new Date()),
      capture: {
        kind: 'reads',
        samples: 1,
        fn: (db) =>
          cumulativeRisk({ ...deps, db }, buildServices({ ...deps, db })).assess(db, heavyId, new Date()),
      },
    }),
  );

  // The intake's floor: the statements one DAN sends, replayed in a rolled-back transaction.
  let intakeFloor: OperationResult['floor'];
  if (wanted('intake')) {
    log('  DAN intake floor (captured statements)');
    // One set per connection, so the concurrent floor's writes do not all insert the same keys.
    const sets: Statement[][] = [];
    for (let i = 0; i < Math.max(5, connections); i++)
      sets.push(
        await captureStatements(dataset.database, (db) =>
          buildServices({ ...deps, db }).frontDoor.submitDan(ctx(police), dans.next()),
        ),
      );
    intakeFloor = await floorOf(dataset, sets, 'writes');
  }

  // API keys and sessions for the HTTP runs.
  const directory = buildServices(deps).directory;
  const cli = { principal: cliPrincipal('bench') };
  const policeKey = (await directory.createApiKey(cli, 'police', `bench ${new Date().toISOString()}`)).key;
  const cscKey = (await directory.createApiKey(cli, `${heavyArea}-csc`, `bench ${new Date().toISOString()}`))
    .key;
  const openContacts = await countOpenContacts(deps.db);
  await deps.close();

  log('HTTP measurements (app processes on 127.0.0.1):');
  const app = await startApp(dataset.env);
  const apps: AppProcess[] = [app];
  try {
    const sessions = new Map<string, string>();
    for (const [areaId, email] of mashEmails) sessions.set(areaId, await signIn(app.url, email));
    const managerSession = await signIn(app.url, 'mash.manager@harbour.example');
    const paths = await openApiPaths(app.url, policeKey);

    const http = async (
      id: string,
      name: string,
      next: () => Request,
      options: {
        headers?: Record<string, string>;
        target?: Target;
        note?: string;
        floor?: OperationResult['floor'] | undefined;
        urls?: string[];
      } = {},
    ): Promise<OperationResult> => {
      log(`  ${name} (HTTP)`);
      try {
        const urls = options.urls ?? [app.url];
        await load({
          urls,
          connections,
          seconds: Math.min(3, httpSeconds),
          headers: options.headers ?? {},
          next,
        });
        const base = { urls, headers: options.headers ?? {}, next };
        let used = connections;
        const cpuBefore = appCpuMs(app.child.pid);
        let r = await load({ ...base, connections, seconds: httpSeconds });
        // The app's own CPU per response: what a cut on the request path lowers, whatever the load.
        if (cpuBefore > 0)
          log(
            `    app CPU ${((appCpuMs(app.child.pid) - cpuBefore) / Math.max(1, r.summary.n)).toFixed(2)} ms per response (${r.summary.n})`,
          );
        if (r.summary.n === 0 && !quick) {
          // Nothing finished within the window at full concurrency: measure one request at a time.
          log('    no response in time at full concurrency; again with one connection per process');
          await new Promise((resolve) => setTimeout(resolve, 30_000));
          used = urls.length;
          r = await load({ ...base, connections: used, seconds: Math.max(httpSeconds, 30) });
        }
        const result: OperationResult = {
          id,
          name,
          via: 'http',
          status: r.summary.n > 0 ? 'measured' : 'failed',
          latency: r.summary,
          throughput: r.throughput,
          concurrency: used,
          errors: r.errors + r.non2xx,
          ...(options.target ? { target: options.target } : {}),
          note: [
            options.note,
            used !== connections
              ? `nothing answered within ${httpSeconds} s at ${connections} connections, so measured at ${used}`
              : '',
            r.non2xx || r.errors || r.summary.n === 0
              ? `status codes ${JSON.stringify(r.statusCodes)}, ${r.errors} errors or timeouts`
              : '',
          ]
            .filter(Boolean)
            .join('; '),
        };
        if (options.floor && r.summary.n > 0) {
          result.floor = options.floor;
          result.ratio = r.summary.p50 / options.floor.p50;
          if (options.floor.concurrent)
            result.ofConcurrentFloor = r.throughput / options.floor.concurrent.throughput;
        }
        return judge(result);
      } catch (error) {
        return { id, name, via: 'http', status: 'failed', note: String((error as Error).message ?? error) };
      }
    };
    const floorOfResult = (id: string) => results.find((r) => r.id === id)?.floor;
    const json = { 'content-type': 'application/json' };
    /** The next DAN the police's system sends, and the headers it sends it with. */
    const danRequest = (): Request => ({
      method: 'POST',
      path: '/api/v1/domestic-abuse-notifications',
      body: JSON.stringify(dans.next()),
    });
    const asPolice = { ...json, authorization: `Bearer ${policeKey}` };

    if (wanted('intake'))
      results.push(
        await http('intake', 'DAN intake', danRequest, {
          headers: asPolice,
          target: TARGETS.intake!,
          note: 'police API, 3 in 4 about a known family (identity resolution links them), 1 in 4 new',
          floor: intakeFloor,
        }),
      );
    if (wanted('match-api')) {
      results.push(
        paths.has('/api/v1/people/match')
          ? await http(
              'match-api',
              'person match API',
              () => {
                const input = matchInputs[random.int(0, matchInputs.length - 1)]!;
                return { method: 'POST', path: '/api/v1/people/match', body: JSON.stringify(input) };
              },
              {
                headers: { ...json, authorization: `Bearer ${policeKey}` },
                target: TARGETS['match-api']!,
                floor: floorOfResult('match'),
              },
            )
          : notAvailable(
              'match-api',
              'person match API',
              'http',
              'POST /api/v1/people/match is not in the API yet',
            ),
      );
    }
    if (wanted('search-page'))
      results.push(
        await http(
          'search-page',
          'person search page',
          () => {
            const p = known[random.int(0, known.length - 1)]!;
            return {
              method: 'GET',
              path: `/people?name=${encodeURIComponent(searchName(p))}`,
              headers: { cookie: sessions.get(p.area_id)! },
            };
          },
          { note: 'GOV.UK page, MASH practitioner session', floor: floorOfResult('search') },
        ),
      );
    if (wanted('chronology-api'))
      results.push(
        await http(
          'chronology-api',
          'chronology API, 2,000-event child',
          () => ({ method: 'GET', path: `/api/v1/people/${heavyId}/chronology?pageSize=100` }),
          {
            headers: { authorization: `Bearer ${cscKey}` },
            target: TARGETS['chronology-api']!,
            note: 'first page of 100, children’s social care API key',
            floor: floorOfResult('chronology'),
          },
        ),
      );
    if (wanted('risk-api'))
      results.push(
        await http(
          'risk-api',
          'risk API, typical child',
          () => ({
            method: 'GET',
            path: `/api/v1/people/${daChildren[random.int(0, daChildren.length - 1)]}/risk`,
          }),
          {
            headers: { authorization: `Bearer ${cscKey}` },
            note: 'computes, stores the summary snapshot and audits; children of the key’s area and others (403s excluded)',
            floor: floorOfResult('risk'),
          },
        ),
      );
    for (const page of PAGES) {
      if (!wanted(page.id)) continue;
      const status = await pageStatus(app.url, page.path, managerSession).catch(() => 0);
      results.push(
        status === 200
          ? await http(
              page.id,
              page.name,
              () => ({ method: 'GET', path: page.path, headers: { cookie: managerSession } }),
              {
                ...(page.target ? { target: page.target } : {}),
                note: `${page.path}, MASH manager session; ${openContacts.toLocaleString('en-GB')} open contacts`,
              },
            )
          : status === 0
            ? { id: page.id, name: page.name, via: 'http', status: 'failed', note: 'the app did not answer' }
            : notAvailable(
                page.id,
                page.name,
                'http',
                `GET ${page.path} answered ${status}: the page is not in the app yet`,
                page.target,
              ),
      );
    }

    // Scale-out: the same intake load against two app processes sharing one PostgreSQL.
    if (backend === 'postgres' && !values['no-scale-out'] && wanted('intake')) {
      log('Scale-out: DAN intake with 2 app processes');
      const second = await startApp(dataset.env);
      apps.push(second);
      const two = await http('intake-2', 'DAN intake, 2 processes', danRequest, {
        headers: asPolice,
        target: TARGETS.scaleOut!,
        urls: [app.url, second.url],
        floor: intakeFloor,
      });
      const one = results.find((r) => r.id === 'intake');
      if (one?.throughput && two.throughput) {
        two.scaleOut = two.throughput / one.throughput;
        two.met = two.scaleOut >= 1.3;
        two.note = `${two.scaleOut.toFixed(2)}× the 1-process throughput`;
      }
      results.push(two);
    } else if (wanted('intake')) {
      results.push({
        id: 'intake-2',
        name: 'DAN intake, 2 processes',
        via: 'http',
        status: 'not applicable',
        note:
          backend === 'pglite' ? 'the embedded database belongs to one process' : 'skipped (--no-scale-out)',
      });
    }
  } finally {
    for (const a of apps) await a.stop();
  }

  const document = {
    harbour: 'bench',
    date: new Date().toISOString(),
    backend,
    quick,
    command: `npm run bench --${quick ? ' --quick' : ''}${values.people ? ` --people ${people}` : ''}`,
    machine: machine(),
    dataset: {
      name: dataset.name,
      people,
      years,
      seed,
      generatedSeconds: dataset.generatedSeconds,
      databaseMegabytes: Math.round(bytes / 2 ** 20),
      stats: dataset.info.stats,
      rows: dataset.info.rows,
      openContacts,
    },
    load: { httpSeconds, connections, serial },
    results,
    seconds: Math.round((performance.now() - started) / 1000),
  };
  const file = writeResults(ROOT, backend, `${quick ? '-quick' : ''}${only ? '-partial' : ''}`, document);
  console.log(
    `\nHarbour bench — ${backend}, ${people.toLocaleString('en-GB')} people, ${years} years (${dataset.name})\n`,
  );
  console.log(table(results));
  for (const r of results.filter((r) => r.note)) console.log(`  ${r.id}: ${r.note}`);
  console.log(
    `\nWritten to ${file.slice(ROOT.length + 1)} in ${formatDuration((performance.now() - started) / 1000)}.`,
  );
}

const PAGES: { id: string; name: string; path: string; target?: Target }[] = [
  { id: 'queue-page', name: 'front-door queue page', path: '/front-door', target: TARGETS.queue! },
  { id: 'dashboard-page', name: 'manager dashboard page', path: '/front-door/manager' },
];

async function pageStatus(url: string, path: string, cookie: string): Promise<number> {
  const response = await fetch(`${url}${path}`, { headers: { cookie }, redirect: 'manual' });
  await response.arrayBuffer();
  return response.status;
}

async function openApiPaths(url: string, key: string): Promise<Set<string>> {
  const response = await fetch(`${url}/api/openapi.json`, {
    headers: { authorization: `Bearer ${key}` },
  }).catch(() => null);
  if (!response?.ok) return new Set();
  const document = (await response.json()) as { paths?: Record<string, unknown> };
  return new Set(Object.keys(document.paths ?? {}));
}

/** Children with a domestic-abuse history: what the risk engine is mostly asked about. */
async function typicalChildren(db: Db, count: number, random: Random): Promise<string[]> {
  const ids: string[] = [];
  for (let attempt = 0; ids.length < count && attempt < count * 20; attempt++) {
    const row = await db
      .selectFrom('chronology_event')
      .select('person_id')
      .where('type', '=', 'dan')
      .where('id', '>=', random.uuid())
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    if (row && !ids.includes(row.person_id)) ids.push(row.person_id);
  }
  return ids;
}

async function countOpenContacts(db: Db): Promise<number> {
  try {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from contact where status in ('screening', 'gathering', 'awaiting-sign-off')`.execute(
      db,
    );
    return rows[0]?.n ?? 0;
  } catch {
    return 0;
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

/** User + system CPU milliseconds the app process has used so far (Linux /proc, 100 ticks a second; 0 elsewhere). */
function appCpuMs(pid: number | undefined): number {
  try {
    const fields = readProcFile(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}
