import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import type { App } from '../../src/app.ts';
import { lockFiles } from '../../src/db/data-dir-lock.ts';
import type { PartnershipSettings } from '../../src/partnership-settings.ts';
import { auditClosedFailureWindows } from '../../src/platform/auth/failed-api-authentication.ts';
import type { Deps } from '../../src/platform/deps.ts';
import { onPostgres, secondPool } from '../helpers/database.ts';
import { withPartnershipSection } from '../helpers/deps.ts';
import { signedIn, testApp } from '../helpers/http.ts';
import { databasePerFile, deps } from '../helpers/per-file.ts';
import { rowWhere } from '../helpers/rows.ts';
import { freePort } from '../helpers/server-process.ts';
import { apiKeyFor } from './risk-helpers.ts';

/**
 * Replays the platform findings of issue 9 as an attacker would: 9 (requests before
 * authentication write rows; no API rate limit), 10 (the embedded database cannot restart after a
 * crash as PID 1), 11 (case data without Cache-Control: no-store).
 */
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const run = promisify(execFile);

databasePerFile();

function withApiSettings(base: Deps, api: Partial<PartnershipSettings['api']>): Deps {
  return withPartnershipSection(base, 'api', api);
}

/** Every table's row count, so a test can say exactly what a flood of requests wrote. */
async function rowCounts(): Promise<Record<string, number>> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(deps.db);
  const counts: Record<string, number> = {};
  for (const { table_name } of tables.rows) {
    const result = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table_name)}`.execute(
      deps.db,
    );
    counts[table_name] = result.rows[0]!.n;
  }
  return counts;
}

function changed(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const diff: Record<string, number> = {};
  for (const table of Object.keys(after)) {
    const delta = after[table]! - (before[table] ?? 0);
    if (delta !== 0) diff[table] = delta;
  }
  return diff;
}

/** Two app instances on one database: own connection pools on PostgreSQL, as in production. */
async function twoInstances(settings: Deps): Promise<{ first: App; second: App; close(): Promise<void> }> {
  const first = await testApp(settings);
  // PGlite is one process's database; there the second instance shares it, and holds no state of its own.
  const pool = await secondPool(settings);
  const second = await testApp(pool.deps);
  return {
    first,
    second,
    async close() {
      await first.close();
      await second.close();
      await pool.close();
    },
  };
}

function badKey(): string {
  return `hbr_${randomBytes(32).toString('base64url')}`;
}

/** Who the key is, asked from an address of the test's choosing (the app's default otherwise). */
function me(app: App, key: string, remoteAddress?: string) {
  return app.inject({
    method: 'GET',
    url: '/api/v1/me',
    headers: { authorization: `Bearer ${key}` },
    ...(remoteAddress ? { remoteAddress } : {}),
  });
}

async function flood(app: App, count: number, address: string) {
  const statuses: number[] = [];
  for (let start = 0; start < count; start += 50) {
    const batch = Array.from({ length: Math.min(50, count - start) }, () => me(app, badKey(), address));
    statuses.push(...(await Promise.all(batch)).map((r) => r.statusCode));
  }
  return statuses;
}

describe(`finding 9: no writes before authentication, API rate limits (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('500 bad keys write one counter row and one audit event, and the count is audited when the window closes', async () => {
    // A limit high enough that every request reaches authentication: the aggregation alone bounds the rows.
    const settings = withApiSettings(deps, { perAddress: { failedRequests: 100_000, windowSeconds: 300 } });
    const app = await testApp(settings);
    try {
      const before = await rowCounts();
      const statuses = await flood(app, 500, '203.0.113.9');
      assert.ok(
        statuses.every((s) => s === 401),
        'every bad key is refused',
      );
      assert.deepEqual(changed(before, await rowCounts()), { api_auth_failure: 1, audit_event: 1 });
      const counter = await deps.db.selectFrom('api_auth_failure').selectAll().executeTakeFirstOrThrow();
      assert.equal(counter.address, '203.0.113.9');
      assert.equal(counter.failures, 500);
      const first = await deps.db
        .selectFrom('audit_event')
        .selectAll()
        .where('action', '=', 'api.authenticate')
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      assert.equal(first.outcome, 'denied');
      assert.equal((first.details as { address: string }).address, '203.0.113.9');

      // The window closes: its count goes into the audit log and the counter is cleared.
      deps.setNow(new Date(Date.now() + 301_000));
      assert.equal(await auditClosedFailureWindows(deps), 1);
      const summary = await rowWhere(deps.db, 'audit_event', { action: 'api.authenticate.repeated' });
      assert.equal((summary.details as { failures: number }).failures, 500);
      assert.equal((summary.details as { address: string }).address, '203.0.113.9');
      assert.equal((await rowCounts()).api_auth_failure, 0);
    } finally {
      deps.setNow(new Date());
      await app.close();
    }
  });

  it('an address past its failed-request limit gets 429 on every instance, and its requests write nothing', async () => {
    const settings = withApiSettings(deps, { perAddress: { failedRequests: 4, windowSeconds: 300 } });
    const { first, second, close } = await twoInstances(settings);
    const goodKey = await apiKeyFor(deps, 'police');
    try {
      assert.deepEqual(await flood(first, 2, '198.51.100.7'), [401, 401]);
      assert.deepEqual(await flood(second, 2, '198.51.100.7'), [401, 401]);
      const before = await rowCounts();
      const refused = await flood(first, 100, '198.51.100.7');
      assert.ok(
        refused.every((s) => s === 429),
        'the fifth failure onward is refused on the first instance',
      );
      const withGoodKey = await me(second, goodKey, '198.51.100.7');
      assert.equal(withGoodKey.statusCode, 429, 'the address is refused on the second instance too');
      assert.equal(withGoodKey.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(withGoodKey.json().status, 429);
      const retryAfter = Number(withGoodKey.headers['retry-after']);
      assert.ok(
        retryAfter >= 1 && retryAfter <= 300,
        `Retry-After is the rest of the window (${retryAfter})`,
      );
      assert.deepEqual(changed(before, await rowCounts()), {}, 'a refused address writes nothing');

      const elsewhere = await me(second, goodKey, '192.0.2.44');
      assert.equal(elsewhere.statusCode, 200, 'another address is not affected');
    } finally {
      await close();
    }
  });

  it('a key past its limit gets 429 problem+json with Retry-After on either instance, other keys do not', async () => {
    const settings = withApiSettings(deps, { perKey: { requests: 5, windowSeconds: 60 } });
    const { first, second, close } = await twoInstances(settings);
    const police = await apiKeyFor(deps, 'police');
    const school = await apiKeyFor(deps, 'school-riverside-primary-school');
    const call = (app: App, key: string) => me(app, key);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await call(i % 2 === 0 ? first : second, police)).statusCode);
      assert.deepEqual(statuses, [200, 200, 200, 200, 200]);
      const sixth = await call(second, police);
      assert.equal(sixth.statusCode, 429, 'requests on both instances count against one limit');
      assert.equal(sixth.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(sixth.json().status, 429);
      assert.match(sixth.json().detail, /more than 5 requests in 60 seconds/);
      const retryAfter = Number(sixth.headers['retry-after']);
      assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After within the window (${retryAfter})`);
      assert.equal((await call(first, police)).statusCode, 429);
      assert.equal((await call(first, school)).statusCode, 200, 'each key has its own limit');

      deps.setNow(new Date(Date.now() + 61_000));
      assert.equal((await call(first, police)).statusCode, 200, 'a new window starts afresh');
    } finally {
      deps.setNow(new Date());
      await close();
    }
  });
});

/** The server as PID 1 of a new PID namespace, as in a container. */
function startAsPid1(dataDir: string, port: number): { child: ChildProcess; running: Promise<string> } {
  const asRoot = process.getuid?.() === 0 ? [] : ['--user', '--map-root-user'];
  const child = spawn(
    'unshare',
    [...asRoot, '--pid', '--fork', '--mount-proc', process.execPath, path.join(ROOT, 'src', 'main.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: '',
        HARBOUR_DATA_DIR: dataDir,
        HARBOUR_DEMO: '0',
        NODE_ENV: 'test',
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const running = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Harbour is running')) resolve(output);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`server exited (${code ?? signal}):\n${output}`)));
  });
  running.catch(() => {});
  return { child, running };
}

/** The host's PID of the namespace's PID 1: the only child of unshare. */
function serverPid(unshare: ChildProcess): number {
  const children = readFileSync(`/proc/${unshare.pid}/task/${unshare.pid}/children`, 'utf8').trim();
  return Number(children.split(/\s+/)[0]);
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

// The embedded database only; it runs in the PostgreSQL pass too, as the CLI test does.
describe('finding 10: the embedded database restarts after a crash as PID 1', () => {
  it('starts again after kill -9, and still refuses a second process while it runs', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'harbour-pid1-'));
    const port = await freePort();
    const started: ChildProcess[] = [];
    try {
      const crashing = startAsPid1(dataDir, port);
      started.push(crashing.child);
      await crashing.running;
      const holder = JSON.parse(readFileSync(lockFiles(dataDir).holder, 'utf8'));
      assert.equal(holder.pid, 1, 'the server ran as PID 1');
      process.kill(serverPid(crashing.child), 'SIGKILL');
      await exited(crashing.child);
      assert.ok(existsSync(lockFiles(dataDir).holder), 'the crash left its lock behind');

      const restarted = startAsPid1(dataDir, port);
      started.push(restarted.child);
      await restarted.running;
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { status: 'ok', database: 'pglite' });

      const before = readdirSync(dataDir).sort();
      const refused = await run(process.execPath, [path.join(ROOT, 'bin', 'harbour.js'), 'api-key', 'list'], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: '', HARBOUR_DATA_DIR: dataDir, NODE_ENV: 'test' },
      }).catch((error: { code: number; stderr: string }) => error);
      assert.equal((refused as { code: number }).code, 1);
      assert.match(
        (refused as { stderr: string }).stderr,
        new RegExp(`in use by another Harbour process \\(pid 1 on .+ serving http://localhost:${port}`),
      );
      assert.deepEqual(readdirSync(dataDir).sort(), before, 'the refused CLI changed nothing');

      process.kill(serverPid(restarted.child), 'SIGTERM');
      await exited(restarted.child);
      assert.equal(existsSync(lockFiles(dataDir).holder), false, 'a clean stop releases the lock');
    } finally {
      for (const child of started)
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/** Every registered route, read from Fastify's own route tree (one tree per method). */
function registeredRoutes(app: App, method: 'GET' | 'POST'): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ method }).split('\n')) {
    const at = line.indexOf('── ');
    if (at < 0) continue;
    // "└── " or "├── " after four characters per level.
    const depth = (at - 1) / 4;
    const node = line.slice(at + 3);
    const label = node.replace(/ \([A-Z, ]+\)$/, '');
    stack.length = depth;
    stack.push(label);
    if (label !== node) routes.push(stack.join(''));
  }
  return routes;
}

/** The brief's rule, stated here rather than read from the code under test: these carry no case data. */
const MAY_BE_CACHED = ['/healthz', '/api/openapi.json', '/api/docs'];

function concrete(route: string, personId: string): string {
  return route
    .replace(/^\/(people|api\/v1\/people)\/:id/, `/$1/${personId}`)
    .replace(/:id/g, '00000000-0000-4000-8000-000000000000')
    .replace(/:n/g, '1')
    .replace(/:[a-z]+/gi, 'x')
    .replace(/^\/assets\/govuk\/\*$/, '/assets/govuk/govuk-frontend.min.css')
    .replace(/^\/assets\/moj\/\*$/, '/assets/moj/all.bundle.js')
    .replace(/^\/assets\/harbour\/\*$/, '/assets/harbour/harbour.css')
    .replace(/^\/assets\/\*$/, '/assets/manifest.json')
    .replace(/\*$/, 'x');
}

describe(`finding 11: Cache-Control: no-store on everything that can carry case data (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('every registered route answers no-store, signed in or by key, except assets, /healthz and the OpenAPI document', async () => {
    const app = await testApp(deps);
    try {
      const browser = await signedIn(app, 'social.worker@harbour.example');
      await browser.get('/front-door');
      const key = await apiKeyFor(deps, 'northbridge-csc');
      const person = await deps.db.selectFrom('person').select('id').limit(1).executeTakeFirstOrThrow();
      const gets = registeredRoutes(app, 'GET');
      const posts = registeredRoutes(app, 'POST');
      assert.ok(
        gets.includes('/people/:id') && posts.includes('/api/v1/contacts'),
        'the route tree was read',
      );
      const answered: string[] = [];
      let ok = 0;
      let cacheable = 0;
      for (const [method, routes] of [
        ['GET', gets],
        ['POST', posts],
      ] as const) {
        for (const route of routes) {
          if (route === '/sign-out') continue;
          const url = concrete(route, person.id);
          const response = url.startsWith('/api/v1')
            ? await app.inject({
                method,
                url,
                headers: { authorization: `Bearer ${key}` },
                ...(method === 'POST' ? { payload: {} } : {}),
              })
            : method === 'GET'
              ? await browser.get(url)
              : await browser.post(url, {});
          if (response.statusCode === 200) ok++;
          const header = response.headers['cache-control'];
          if (route.startsWith('/assets/')) {
            // Static files may be cached; one that does not exist is a not-found answer, no-store.
            if (response.statusCode === 200) {
              assert.notEqual(header, 'no-store', `${method} ${url} may be cached`);
              cacheable++;
            }
          } else if (!MAY_BE_CACHED.some((exempt) => route === exempt || route.startsWith(`${exempt}/`))) {
            assert.equal(header, 'no-store', `${method} ${url} (${response.statusCode}) is no-store`);
          }
          answered.push(`${method} ${route}`);
        }
      }
      assert.ok(answered.length > 80, `walked ${answered.length} routes`);
      assert.ok(cacheable >= 4, `${cacheable} static assets may be cached`);
      assert.ok(ok > 30, `${ok} routes answered 200 with their content, case data included`);
      const person404 = await browser.get('/no-such-page');
      assert.equal(person404.headers['cache-control'], 'no-store', 'an unknown URL is no-store too');
      const unauthenticated = await app.inject({ method: 'GET', url: `/api/v1/people/${person.id}` });
      assert.equal(unauthenticated.statusCode, 401);
      assert.equal(unauthenticated.headers['cache-control'], 'no-store');
    } finally {
      await app.close();
    }
  });
});
