import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type App, buildApp } from '../../src/app.ts';
import { buildServices } from '../../src/services.ts';
import { onPostgres } from '../helpers/database.ts';
import { type TestDeps, testDeps } from '../helpers/deps.ts';
import { Browser, testApp } from '../helpers/http.ts';
import { app, appPerFile } from '../helpers/per-file.ts';
import { household, submitHouseholdDans } from './front-door-fixtures.ts';

const TOKEN = 'metrics-token-for-the-test-0123456789';
const backend = onPostgres ? 'PostgreSQL' : 'PGlite';

describe(`/metrics and /readyz (${backend})`, () => {
  appPerFile({ jobs: true, env: { HARBOUR_METRICS_TOKEN: TOKEN } });

  it('serves Prometheus metrics only to the configured bearer token', async () => {
    assert.equal((await app.inject({ url: '/metrics' })).statusCode, 401);
    const wrong = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}x` } });
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.headers['www-authenticate'], 'Bearer');
  });

  it('counts requests by route template, never by the URL asked for, and reports queues and the audit backlog', async () => {
    await app.inject({ url: '/healthz' });
    await app.inject({ url: '/healthz' });
    // A page that needs signing in: the search term must not become a label.
    await app.inject({ url: '/people?name=Zebedee-Quinton' });
    const response = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] as string, /^text\/plain; version=0\.0\.4/);
    const body = response.body;
    assert.match(body, /harbour_http_requests_total\{method="GET",route="\/healthz",status_code="200"\} 2/);
    assert.match(body, /harbour_http_requests_total\{method="GET",route="\/people",status_code="303"\} 1/);
    assert.match(
      body,
      /harbour_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/healthz"\}/,
    );
    assert.ok(!body.includes('Zebedee'), 'no query string reaches a label');
    assert.match(body, /^harbour_audit_unsealed_rows \d+$/m);
    assert.match(body, /^harbour_job_backlog \d+$/m);
    assert.match(body, /^harbour_job_failures_recent \d+$/m);
    assert.match(body, /harbour_process_resident_memory_bytes/);
  });

  it('is off when no token is configured', async () => {
    const plain = await testDeps({ seed: false });
    const other = await testApp(plain);
    try {
      assert.equal((await other.inject({ url: '/metrics' })).statusCode, 404);
      // And without a job runner the instance is not ready, though it is alive.
      const ready = await other.inject({ url: '/readyz' });
      assert.equal(ready.statusCode, 503);
      assert.deepEqual(ready.json(), {
        status: 'not ready',
        checks: { database: 'ok', jobs: 'not running' },
      });
      assert.equal((await other.inject({ url: '/healthz' })).statusCode, 200);
    } finally {
      await other.close();
      await plain.close();
    }
  });

  it('is ready when the database answers and the job runner runs', async () => {
    const ready = await app.inject({ url: '/readyz' });
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: 'ready', checks: { database: 'ok', jobs: 'ok' } });
    assert.equal(ready.headers['cache-control'], 'no-store');
  });
});

describe(`logs carry no personal data (${backend})`, () => {
  let deps: TestDeps;
  let loggingApp: App;
  const lines: string[] = [];

  before(async () => {
    deps = await testDeps({ env: { LOG_LEVEL: 'info' } });
    loggingApp = await buildApp(buildServices(deps), {
      logStream: { write: (line: string) => lines.push(line) },
    });
    await loggingApp.ready();
  });
  after(async () => {
    await loggingApp.close();
    await deps.close();
  });

  it('logs one line per request at info: method, route, path, status, duration and request id, no query string', async () => {
    const from = lines.length;
    const browser = new Browser(loggingApp);
    assert.equal((await browser.get('/sign-in')).statusCode, 200);
    assert.equal((await browser.signIn('social.worker@harbour.example')).statusCode, 303);
    assert.equal((await browser.get('/no-such-page?name=Someone')).statusCode, 404);
    assert.equal((await browser.get('/people?sort=nonsense&name=Someone')).statusCode, 400);
    const entries = lines.slice(from).map((line) => JSON.parse(line) as Record<string, unknown>);
    const byRequest = new Map<string, Record<string, unknown>[]>();
    for (const entry of entries) {
      assert.ok(typeof entry.reqId === 'string', `every line names its request: ${JSON.stringify(entry)}`);
      byRequest.set(entry.reqId, [...(byRequest.get(entry.reqId) ?? []), entry]);
    }
    // The four gets and the sign-in's post (the sign-in form is fetched first).
    assert.ok(byRequest.size >= 4, `requests seen: ${byRequest.size}`);
    for (const [id, logged] of byRequest) {
      const info = logged.filter((entry) => entry.level === 30);
      assert.equal(
        info.length,
        1,
        `request ${id} logged ${info.length} lines at info: ${JSON.stringify(logged)}`,
      );
      const line = info[0]!;
      assert.equal(typeof line.method, 'string');
      assert.equal(typeof line.path, 'string');
      assert.equal(typeof line.status, 'number');
      assert.equal(typeof line.durationMs, 'number');
      assert.doesNotMatch(String(line.path), /\?/, 'no query string');
    }
    const statuses = [...byRequest.values()].map((logged) => {
      const line = logged.find((entry) => entry.level === 30)!;
      return `${line.method} ${line.route ?? line.path} ${line.status}`;
    });
    assert.ok(statuses.includes('GET /sign-in 200'), statuses.join('; '));
    assert.ok(statuses.includes('GET /no-such-page 404'), statuses.join('; '));
    assert.ok(statuses.includes('GET /people 400'), statuses.join('; '));
    assert.doesNotMatch(lines.slice(from).join(''), /Someone|incoming request|request completed/);
  });

  it('a DAN about a child, a person page and searches leave no name, date of birth or postcode in the log', async () => {
    const home = household(3);
    const childId = (await submitHouseholdDans(loggingApp, deps, { home }, 'NB/24/00077')).childOf.home!;

    const browser = new Browser(loggingApp);
    assert.equal((await browser.signIn('social.worker@harbour.example')).statusCode, 303);
    assert.equal((await browser.get(`/people/${childId}`)).statusCode, 200);
    const searches = [
      `/people?name=${encodeURIComponent(`${home.girl.givenName} ${home.family}`)}`,
      `/people?dateOfBirth=${home.girl.dateOfBirth}`,
      '/people?postcode=NB2%207QT',
    ];
    for (const url of searches) assert.equal((await browser.get(url)).statusCode, 200, url);
    // A bad request and a refused one are logged too.
    await browser.get(`/people?dateOfBirth=${encodeURIComponent('not a date')}&name=${home.family}`);

    assert.ok(lines.length > 10, 'the flow was logged');
    const log = lines.join('');
    assert.match(log, /"route":"\/people\/:id"/, 'requests are logged by route');
    // Every person the database holds now: the demo's and the DAN's.
    const people = await deps.db
      .selectFrom('person')
      .select(['given_name', 'family_name', 'date_of_birth'])
      .execute();
    const postcodes = await deps.db.selectFrom('person_address').select('postcode').execute();
    const needles = new Set<string>(['NB2 7QT', 'NB2%207QT', 'NB2+7QT']);
    for (const p of people) {
      needles.add(p.given_name);
      needles.add(p.family_name);
      if (p.date_of_birth) needles.add(p.date_of_birth);
    }
    for (const a of postcodes) needles.add(a.postcode);
    assert.ok(needles.size > 30);
    const found = [...needles].filter((needle) =>
      new RegExp(`(^|[^A-Za-z])${needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^A-Za-z]|$)`).test(log),
    );
    assert.deepEqual(found, [], `personal data in the log: ${found.join(', ')}`);
  });
});
