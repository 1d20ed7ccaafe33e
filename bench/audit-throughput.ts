/**
 * Audited throughput through HTTP on PostgreSQL: how many audited reads and writes one app process
 * serves at a fixed concurrency. Written for decision 0009 (the audit log off the hot path) to
 * compare the global audit lock with the sealer; it only uses the CLI, the server and the API, so
 * the same file runs against an older checkout too.
 *
 *   DATABASE_URL=postgres://root@127.0.0.1:5432/test node bench/audit-throughput.ts [--seconds 10] [--connections 16]
 *
 * It creates (and drops) a database of its own next to the one in DATABASE_URL.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import pg from 'pg';
import { ROOT } from './lib/dataset.ts';
import { load, startApp } from './lib/http.ts';

const run = promisify(execFile);
const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '16' } },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
if (!process.env.DATABASE_URL) throw new Error('Set DATABASE_URL to a PostgreSQL server');

const name = `harbour_audit_bench_${randomBytes(4).toString('hex')}`;
const serverUrl = new URL(process.env.DATABASE_URL);
const databaseUrl = new URL(serverUrl);
databaseUrl.pathname = `/${name}`;
const env = { DATABASE_URL: databaseUrl.toString(), NODE_ENV: 'development' };

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl.toString() });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function harbour(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [path.join(ROOT, 'bin', 'harbour.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

await admin(`create database ${name}`);
try {
  await harbour(['seed', '--demo', '--households', '5']);
  const key = (await harbour(['api-key', 'create', '--agency', 'northbridge-csc', '--label', 'bench']))
    .trim()
    .split('\n')
    .at(-1)!;
  const client = new pg.Client({ connectionString: databaseUrl.toString() });
  await client.connect();
  const { rows } = await client.query<{ id: string }>(
    `select person.id from person join area on area.id = person.area_id
     where area.code = 'northbridge' and person.kind = 'child' order by person.id limit 50`,
  );
  await client.end();
  const children = rows.map((r) => r.id);

  const app = await startApp(env);
  try {
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    let i = 0;
    const operations = {
      'audited read (GET /api/v1/people/{id})': () => ({
        method: 'GET' as const,
        path: `/api/v1/people/${children[i++ % children.length]}`,
      }),
      'audited write (POST /api/v1/people, createAnyway)': () => ({
        method: 'POST' as const,
        path: '/api/v1/people',
        body: JSON.stringify({
          kind: 'adult',
          givenName: `Bench${randomBytes(4).toString('hex')}`,
          familyName: `Load${randomBytes(4).toString('hex')}`,
          addresses: [{ line1: `${i++ % 200} Bench Street`, postcode: 'NB1 1AA' }],
          createAnyway: true,
        }),
      }),
    };
    console.log(`${connections} connections, ${seconds} s each, one app process, database ${name}`);
    for (const [label, next] of Object.entries(operations)) {
      await load({ urls: [app.url], connections, seconds: 2, headers, next }); // warm-up
      const result = await load({ urls: [app.url], connections, seconds, headers, next });
      console.log(
        `${label}: ${result.throughput.toFixed(1)}/s, p50 ${result.summary.p50.toFixed(0)} ms, p95 ${result.summary.p95.toFixed(0)} ms, statuses ${JSON.stringify(result.statusCodes)}`,
      );
    }
  } finally {
    await app.stop();
  }
  console.log((await harbour(['audit', 'verify'])).trim());
} finally {
  await admin(`drop database if exists ${name} with (force)`);
}
