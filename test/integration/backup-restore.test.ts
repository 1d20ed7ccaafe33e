import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { lockFiles } from '../../src/db/data-dir-lock.ts';
import { createDatabase, type Database } from '../../src/db/database.ts';
import { BackupError, backup, readManifest } from '../../src/modules/operations/backup.ts';
import { restore } from '../../src/modules/operations/restore.ts';
import { currentSchema, tableCounts } from '../../src/modules/operations/table-counts.ts';
import { sealCommittedAudit } from '../../src/platform/audit-sealer.ts';
import { verifyAuditChain } from '../../src/platform/audit-verify.ts';
import { jobSchemaFor } from '../../src/platform/jobs.ts';
import { cliPrincipal } from '../../src/platform/principal.ts';
import { onPostgres } from '../helpers/database.ts';
import { type TestDeps, testDeps } from '../helpers/deps.ts';

const context = { principal: cliPrincipal('backup test') };
const workDir = mkdtempSync(path.join(tmpdir(), 'harbour-backup-'));

/** A new, empty database on the same server, made by the owner; the restore's target. */
async function emptyPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `restore_${randomBytes(5).toString('hex')}`;
  const admin = await createDatabase({ dataDir: '', databaseUrl: process.env.DATABASE_URL!, poolSize: 1 });
  await sql.raw(`create database ${name}`).execute(admin.db);
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await sql.raw(`drop database if exists ${name} with (force)`).execute(admin.db);
      await admin.close();
    },
  };
}

describe(`backup and restore (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  let deps: TestDeps;
  let schemas: string[];
  let before_: Record<string, number>;
  let headBefore: string;
  let sealedBefore: number;
  const backupDir = path.join(workDir, 'backup');
  const cleanups: (() => Promise<void>)[] = [];

  before(async () => {
    // pg_dump reads every table, so it runs as the schema's owner, as an operator's backup would.
    deps = await testDeps({ asOwner: true });
    await sealCommittedAudit(deps.db);
    schemas = [await currentSchema(deps.db), jobSchemaFor(deps.database)];
    before_ = await tableCounts(deps.db, schemas);
    const verified = await verifyAuditChain(deps.db, { unsealedMaxAgeSeconds: 3600 });
    assert.ok(verified.ok);
    headBefore = verified.headHash;
    sealedBefore = verified.checked;
  });

  after(async () => {
    for (const cleanup of cleanups) await cleanup();
    await deps.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('backs up, restores into a fresh database, and every table and the audit head match', async () => {
    assert.ok(before_[`${schemas[0]}.person`]! > 0, 'the seeded database holds people');
    const manifest = await backup(deps.database, context, { to: backupDir });
    assert.deepEqual(manifest.tables, before_, 'the manifest records every table as it was');
    assert.equal(manifest.audit.headHash, headBefore);
    assert.equal(manifest.audit.sealedCount, sealedBefore);

    let target: { dataDir: string; databaseUrl?: string; schema?: string };
    if (onPostgres) {
      const fresh = await emptyPostgresDatabase();
      cleanups.push(fresh.drop);
      target = { dataDir: '', databaseUrl: fresh.url, schema: schemas[0]! };
    } else {
      target = { dataDir: path.join(workDir, 'restored') };
    }
    const result = await restore(backupDir, target, context);
    assert.deepEqual(result.mismatches, []);
    assert.equal(result.verification.ok, true, result.verification.problem?.message);
    assert.equal(result.verification.headHash, headBefore, 'the restored chain ends at the backup’s head');
    assert.equal(result.ok, true);

    // Counted again, independently, in the restored database.
    const restored: Database = await createDatabase({
      dataDir: target.dataDir,
      ...(target.databaseUrl ? { databaseUrl: target.databaseUrl, schema: target.schema! } : {}),
    });
    try {
      const after_ = await tableCounts(restored.db, schemas);
      const auditTable = `${schemas[0]}.audit_event`;
      for (const [table, count] of Object.entries(before_)) {
        // The restore records itself: one audit event more, nothing else.
        assert.equal(after_[table], table === auditTable ? count + 1 : count, table);
      }
      assert.deepEqual(Object.keys(after_).sort(), Object.keys(before_).sort());
      const chain = await verifyAuditChain(restored.db, { unsealedMaxAgeSeconds: 3600 });
      assert.equal(chain.ok, true, chain.problem?.message);
      assert.equal(chain.checked, sealedBefore + 1);
      const backupHead = await restored.db
        .selectFrom('audit_event')
        .select('hash')
        .where('chain_seq', '=', sealedBefore)
        .executeTakeFirstOrThrow();
      assert.equal(backupHead.hash, headBefore, 'the chain runs through the backup’s head unchanged');
      const last = await restored.db
        .selectFrom('audit_event')
        .select('action')
        .where('chain_seq', '=', sealedBefore + 1)
        .executeTakeFirstOrThrow();
      assert.equal(last.action, 'operations.restore');
    } finally {
      await restored.close();
    }
    if (!onPostgres) {
      // The lock sat beside the data directory, so nothing of it went into or came out of the dump.
      assert.deepEqual(
        readdirSync(target.dataDir).filter((f) => f.startsWith('harbour.')),
        [],
      );
      assert.ok(!lockFiles(target.dataDir).holder.startsWith(`${target.dataDir}/`));
    }
  });

  it('refuses a target that is not empty, and a dump that does not match its checksum, changing nothing', async () => {
    if (onPostgres) {
      // The source database itself is not empty.
      await assert.rejects(
        restore(
          backupDir,
          { dataDir: '', databaseUrl: process.env.DATABASE_URL!, schema: schemas[0]! },
          context,
        ),
        (error: unknown) => error instanceof BackupError && /already has tables/.test(error.message),
      );
    } else {
      const occupied = path.join(workDir, 'occupied');
      rmSync(occupied, { recursive: true, force: true });
      mkdirSync(occupied);
      writeFileSync(path.join(occupied, 'something'), 'x');
      await assert.rejects(
        restore(backupDir, { dataDir: occupied }, context),
        (error: unknown) => error instanceof BackupError && /not empty/.test(error.message),
      );
      assert.deepEqual(readdirSync(occupied), ['something']);
    }
    const manifest = readManifest(backupDir);
    const tampered = path.join(workDir, 'tampered');
    cpSync(backupDir, tampered, { recursive: true });
    writeFileSync(path.join(tampered, manifest.file), 'not a dump');
    assert.throws(() => readManifest(tampered), /does not match its checksum/);
    await assert.rejects(
      backup(deps.database, context, { to: backupDir }),
      (error: unknown) => error instanceof BackupError && /not empty/.test(error.message),
    );
  });
});
