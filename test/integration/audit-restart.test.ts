import assert from 'node:assert/strict';
import { type ChildProcess, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { createDatabase, type Database } from '../../src/db/database.ts';
import { verifyAuditChain } from '../../src/platform/audit-verify.ts';
import { appUrlFor, ensureAppRole, onPostgres } from '../helpers/database.ts';
import { childIdsIn } from '../helpers/deps.ts';
import { spawnHarbour } from '../helpers/server-process.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const REQUESTS = 40;
/** The audited action: a valid key refused a child's record it may not see, one row per request. */
const DENIED_READ = 'person:view';

/**
 * Where the spawned processes keep their data: an embedded data directory of their own, or on
 * PostgreSQL a database of their own, migrated by the owner and served through the app role.
 */
interface Store {
  ownerEnv: Record<string, string>;
  appEnv: Record<string, string>;
  open(): Promise<Database>;
  remove(): Promise<void>;
}

async function embeddedStore(): Promise<Store> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'harbour-audit-restart-'));
  const env = { DATABASE_URL: '', HARBOUR_DATA_DIR: dataDir };
  return {
    ownerEnv: env,
    appEnv: env,
    open: () => createDatabase({ dataDir }),
    async remove() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function serverStore(): Promise<Store> {
  const name = `harbour_restart_${randomBytes(5).toString('hex')}`;
  const admin = await createDatabase({ dataDir: '', databaseUrl: process.env.DATABASE_URL!, poolSize: 1 });
  await sql.raw(`create database ${name}`).execute(admin.db);
  await ensureAppRole(admin);
  const ownerUrl = new URL(process.env.DATABASE_URL!);
  ownerUrl.pathname = `/${name}`;
  return {
    ownerEnv: { DATABASE_URL: ownerUrl.toString() },
    appEnv: { DATABASE_URL: appUrlFor(name) },
    open: () => createDatabase({ dataDir: '', databaseUrl: ownerUrl.toString(), poolSize: 2 }),
    async remove() {
      await sql.raw(`drop database if exists ${name} with (force)`).execute(admin.db);
      await admin.close();
    },
  };
}

async function harbour(args: string[], env: Record<string, string>) {
  const { stdout } = await run(process.execPath, [path.join(ROOT, 'bin', 'harbour.js'), ...args], {
    env: { ...process.env, NODE_ENV: 'test', ...env },
    cwd: ROOT,
  });
  return stdout;
}

/** Starts the real server in its own process and waits until it answers. */
function startServer(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  return spawnHarbour(
    {
      HARBOUR_DEMO: '0',
      // Long enough that nothing is sealed by the loop while the test runs: only start-up seals.
      HARBOUR_AUDIT_SEAL_INTERVAL_MS: '60000',
      ...env,
    },
    300,
  );
}

async function killHard(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

async function eventsOf(database: Database, action: string) {
  return database.db
    .selectFrom('audit_event')
    .select(['seq', 'chain_seq'])
    .where('action', '=', action)
    .where('outcome', '=', 'denied')
    .execute();
}

/** Reads a child's record with a key that may not see it; every refusal is audited, one row each. */
function deniedReads(url: string, key: string, child: string) {
  return Promise.all(
    Array.from({ length: REQUESTS }, () =>
      fetch(`${url}/api/v1/people/${child}`, { headers: { authorization: `Bearer ${key}` } }),
    ),
  );
}

describe(`audit log across a killed server (${onPostgres ? 'PostgreSQL, app role' : 'embedded'})`, () => {
  let store: Store;
  let key: string;
  let child: string;
  before(async () => {
    store = onPostgres ? await serverStore() : await embeddedStore();
    await harbour(['migrate', ...(onPostgres ? ['--app-role', 'harbour_app'] : [])], store.ownerEnv);
    await harbour(['seed', '--demo', '--households', '1'], store.ownerEnv);
    // Bad keys would not do: failures are counted per address and window and audited once a window.
    const created = await harbour(
      ['api-key', 'create', '--agency', 'police', '--label', 'Restart'],
      store.ownerEnv,
    );
    key = created.trim().split('\n').at(-1)!.trim();
    const database = await store.open();
    try {
      [child] = (await childIdsIn(database, undefined, 1)) as [string];
    } finally {
      await database.close();
    }
  });
  after(() => store.remove());

  it('loses nothing when killed with -9 between commit and sealing, and seals it on restart', async () => {
    const first = await startServer(store.appEnv);
    const responses = await deniedReads(first.url, key, child);
    assert.deepEqual([...new Set(responses.map((r) => r.status))], [403]);
    await killHard(first.child);

    let database = await store.open();
    try {
      const committed = await eventsOf(database, DENIED_READ);
      assert.equal(committed.length, REQUESTS, 'every answered request left its committed audit row');
      assert.equal(
        committed.filter((e) => e.chain_seq === null).length,
        REQUESTS,
        'and the process died before sealing them',
      );
      const beforeRestart = await verifyAuditChain(database.db, { unsealedMaxAgeSeconds: 600 });
      assert.equal(beforeRestart.ok, true, 'the sealed part is intact');
      assert.ok(beforeRestart.unsealed.count >= REQUESTS);
    } finally {
      await database.close();
    }

    const second = await startServer(store.appEnv);
    await killHard(second.child);

    database = await store.open();
    try {
      const events = await eventsOf(database, DENIED_READ);
      assert.equal(events.length, REQUESTS);
      assert.equal(events.filter((e) => e.chain_seq === null).length, 0, 'sealed at start-up');
      const result = await verifyAuditChain(database.db, { unsealedMaxAgeSeconds: 600 });
      assert.equal(result.ok, true, result.problem?.message);
      assert.equal(result.unsealed.count, 0);
    } finally {
      await database.close();
    }
    const verified = await harbour(['audit', 'verify'], store.appEnv);
    assert.match(verified, /Audit log intact: \d+ events checked, matching the anchor/);
  });

  it('seals what committed before a clean shutdown, without waiting for the next start', async () => {
    const server = await startServer(store.appEnv);
    const responses = await deniedReads(server.url, key, child);
    assert.deepEqual([...new Set(responses.map((r) => r.status))], [403]);
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    assert.equal(await exited, 0, 'a clean exit');
    const database = await store.open();
    try {
      const events = await eventsOf(database, DENIED_READ);
      assert.equal(events.length, 2 * REQUESTS);
      assert.equal(events.filter((e) => e.chain_seq === null).length, 0, 'sealed on the way out');
      assert.equal((await verifyAuditChain(database.db, { unsealedMaxAgeSeconds: 600 })).ok, true);
    } finally {
      await database.close();
    }
  });
});
