import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { acquireDataDirLock, lockFiles } from '../../src/db/data-dir-lock.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'harbour-cli-'));

/** Runs the real CLI in its own process, as an operator would, on an embedded database of its own. */
async function harbour(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(ROOT, 'bin', 'harbour.js'), ...args], {
      env: { ...process.env, DATABASE_URL: '', HARBOUR_DATA_DIR: dataDir, NODE_ENV: 'test', ...env },
      cwd: ROOT,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// The CLI always runs here on an embedded database of its own, also in the PostgreSQL pass.
describe('harbour CLI', () => {
  before(async () => {
    const seeded = await harbour(['seed', '--demo', '--households', '1']);
    assert.equal(seeded.code, 0, seeded.stderr);
  });

  it('creates an API key and prints it as the last line', async () => {
    const created = await harbour(['api-key', 'create', '--agency', 'police', '--label', 'Records system']);
    assert.equal(created.code, 0, created.stderr);
    const lastLine = created.stdout.trim().split('\n').at(-1)!;
    assert.match(lastLine, /^hbr_[A-Za-z0-9_-]{40,}$/);
    const listed = await harbour(['api-key', 'list']);
    assert.match(listed.stdout, /police\thbr_.{6}…\tRecords system\tactive/);
    assert.ok(!listed.stdout.includes(lastLine), 'the key itself is never shown again');
  });

  it('explains what is wrong with a bad command and changes nothing', async () => {
    const unknownAgency = await harbour(['api-key', 'create', '--agency', 'nope', '--label', 'x']);
    assert.equal(unknownAgency.code, 1);
    assert.match(unknownAgency.stderr, /Nothing was changed/);
    assert.match(unknownAgency.stderr, /no agency with the code "nope"/);
    const unknownCommand = await harbour(['frobnicate']);
    assert.equal(unknownCommand.code, 2);
    assert.match(unknownCommand.stderr, /Unknown command/);
  });

  it('measures the blocking keys’ block sizes', async () => {
    const measured = await harbour(['matching', 'measure-blocks']);
    assert.equal(measured.code, 0, measured.stderr);
    assert.match(measured.stdout, /^Blocking keys with more than 100 people: 0 \(largest 0\)/);
    const wrong = await harbour(['matching', 'measure']);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /harbour matching measure-blocks \| rekey \| train/);
  });

  it('recomputes every person’s blocking keys after an upgrade that changes them', async () => {
    const rekeyed = await harbour(['matching', 'rekey']);
    assert.equal(rekeyed.code, 0, rekeyed.stderr);
    assert.match(rekeyed.stdout, /^Recomputed the blocking keys of \d+ people \(key version \d+\)/);
  });

  it('trains a matching model from the people on file and stores it as a new version', async () => {
    const trained = await harbour(['matching', 'train', '--sample', '500', '--queries', '100']);
    assert.equal(trained.code, 0, trained.stderr);
    assert.match(
      trained.stdout,
      /^Trained matching model version \d+ on \d+ people \(sample \d+, \d+ random pairs, \d+ blocked pairs;/,
    );
    const bad = await harbour(['matching', 'train', '--sample', 'lots']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--sample must be a whole number/);
  });

  it('adds a user', async () => {
    const created = await harbour(
      [
        'user',
        'create',
        '--email',
        'cli.user@harbour.example',
        '--name',
        'Cli User',
        '--agency',
        'probation',
        '--roles',
        'probation_officer',
      ],
      {
        HARBOUR_NEW_USER_PASSWORD: 'a-long-enough-password',
      },
    );
    assert.equal(created.code, 0, created.stderr);
    const listed = await harbour(['user', 'list']);
    assert.match(listed.stdout, /cli\.user@harbour\.example\tCli User/);
  });

  it('prints the partnership settings in force, defaults merged with the partnership file', async () => {
    const file = path.join(dataDir, 'partnership.json');
    writeFileSync(file, JSON.stringify({ name: 'Test partnership', signIn: { maxFailedAttempts: 3 } }));
    const shown = await harbour(['settings'], { HARBOUR_PARTNERSHIP_FILE: file });
    assert.equal(shown.code, 0, shown.stderr);
    const settings = JSON.parse(shown.stdout);
    assert.equal(settings.name, 'Test partnership');
    assert.equal(settings.signIn.maxFailedAttempts, 3);
    assert.equal(settings.signIn.lockoutMinutes, 15);
    assert.ok(
      settings.frontDoor && settings.risk && settings.matching,
      'every section is shown with its defaults',
    );
    const secret = 'smtp-password-never-printed-5150';
    const withSecret = await harbour(['settings'], {
      HARBOUR_PARTNERSHIP_FILE: file,
      HARBOUR_SMTP_USER: 'relay',
      HARBOUR_SMTP_PASSWORD: secret,
    });
    assert.equal(withSecret.code, 0, withSecret.stderr);
    assert.ok(!withSecret.stdout.includes(secret), 'the SMTP password is not printed');
    assert.equal(JSON.parse(withSecret.stdout).notifications.smtp.password, '[set]');
    writeFileSync(file, JSON.stringify({ signIn: { maxFailedAttempts: 0 } }));
    const refused = await harbour(['settings'], { HARBOUR_PARTNERSHIP_FILE: file });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /maxFailedAttempts/);
  });

  it('backs up, restores into a new data directory with the same audit head, and refuses a bad export', async () => {
    const to = path.join(mkdtempSync(path.join(tmpdir(), 'harbour-cli-backup-')), 'backup');
    const backedUp = await harbour(['backup', '--to', to]);
    assert.equal(backedUp.code, 0, backedUp.stderr);
    const head = /Head hash: ([0-9a-f]{64})/.exec(backedUp.stdout)![1]!;
    const restoredDir = mkdtempSync(path.join(tmpdir(), 'harbour-cli-restored-'));
    const restored = await harbour(['restore', '--from', to], { HARBOUR_DATA_DIR: restoredDir });
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stdout, /every row count matches the backup/);
    assert.match(restored.stdout, new RegExp(`Head hash: ${head}`));
    const again = await harbour(['restore', '--from', to], { HARBOUR_DATA_DIR: restoredDir });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /not empty.*Nothing was changed/);
    const noReason = await harbour(['export', 'person', '--id', 'not-an-id']);
    assert.equal(noReason.code, 1);
    assert.match(noReason.stderr, /Nothing was changed/);
    assert.match(noReason.stderr, /personId: /);
    assert.match(noReason.stderr, /reason: /);
  });

  it('verifies the audit chain', async () => {
    const verified = await harbour(['audit', 'verify']);
    assert.equal(verified.code, 0, verified.stderr);
    assert.match(verified.stdout, /Audit log intact: \d+ events checked/);
  });

  it('refuses to touch an embedded database that a running server holds', async () => {
    // This test process stands in for the running server: it takes the lock as a server does.
    const held = await acquireDataDirLock(dataDir, { port: 3000 });
    try {
      const before = readdirSync(dataDir).sort();
      const refused = await harbour(['api-key', 'create', '--agency', 'police', '--label', 'while running']);
      assert.equal(refused.code, 1);
      assert.match(
        refused.stderr,
        new RegExp(
          `in use by another Harbour process \\(pid ${process.pid} on .+ serving http://localhost:3000`,
        ),
      );
      assert.match(refused.stderr, /Nothing was changed/);
      assert.deepEqual(readdirSync(dataDir).sort(), before);
      // The lock lives beside the data directory, so a backup of the directory never carries it.
      assert.ok(existsSync(lockFiles(dataDir).socket), 'the holder listens beside the directory');
      assert.deepEqual(
        before.filter((name) => name.startsWith('harbour.')),
        [],
        'no lock file inside the data directory',
      );
    } finally {
      held.release();
    }
    // A lock left by a process killed outright (no chance to clean up) is stale and is taken over.
    const killed = await run(process.execPath, [
      '--input-type=module',
      '-e',
      `import { acquireDataDirLock } from ${JSON.stringify(path.join(ROOT, 'src', 'db', 'data-dir-lock.ts'))};
       await acquireDataDirLock(${JSON.stringify(dataDir)}, {});
       process.kill(process.pid, 'SIGKILL');`,
    ]).catch((error: { signal?: string }) => error);
    assert.equal((killed as { signal?: string }).signal, 'SIGKILL');
    assert.ok(existsSync(lockFiles(dataDir).holder), 'the killed process left its lock behind');
    const afterStale = await harbour(['api-key', 'list']);
    assert.equal(afterStale.code, 0, afterStale.stderr);
    assert.match(afterStale.stdout, /Records system/);
    assert.equal(existsSync(lockFiles(dataDir).holder), false, 'the CLI releases the lock when done');
  });
});
