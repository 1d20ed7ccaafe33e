import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { App } from '../../src/app.ts';
import { type Db, transaction } from '../../src/db/database.ts';
import { GENESIS_HASH, hashAuditRow, recordAudit } from '../../src/platform/audit.ts';
import { sealAuditBatch, sealCommittedAudit, startAuditSealer } from '../../src/platform/audit-sealer.ts';
import { verifyAuditChain } from '../../src/platform/audit-verify.ts';
import { cliPrincipal } from '../../src/platform/principal.ts';
import { buildServices } from '../../src/services.ts';
import { onPostgres, secondPool } from '../helpers/database.ts';
import { childIdsIn, type TestDeps, testDeps, withPartnershipSection } from '../helpers/deps.ts';
import { testApp } from '../helpers/http.ts';
import { rowCount } from '../helpers/row-count.ts';
import { rowWhere } from '../helpers/rows.ts';

const context = { principal: cliPrincipal('test') };
const BOUND = { unsealedMaxAgeSeconds: 600 };

const verify = (db: Db, pageSize?: number) =>
  verifyAuditChain(db, { ...BOUND, ...(pageSize ? { pageSize } : {}) });

async function countWhere(db: Db, action: string, sealed?: boolean): Promise<number> {
  let query = db
    .selectFrom('audit_event')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', action);
  if (sealed !== undefined) query = query.where('chain_seq', sealed ? 'is not' : 'is', null);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

const totalEvents = (db: Db) => rowCount(db, 'audit_event');

/** A database with a sealed log of n events of its own, to tamper with. */
async function sealedLog(n: number): Promise<TestDeps> {
  const deps = await testDeps({ seed: false });
  for (let i = 0; i < n; i++) await recordAudit(deps.db, context, { action: 'test.event', details: { i } });
  await sealCommittedAudit(deps.db, { batchSize: 7 });
  return deps;
}

/** Runs a check on a sealed log of its own, closed after the check whatever it finds. */
async function onSealedLog(events: number, check: (deps: TestDeps) => Promise<void>): Promise<void> {
  const deps = await sealedLog(events);
  try {
    await check(deps);
  } finally {
    await deps.close();
  }
}

/** Runs statements as the schema owner with the audit triggers off, as an attacker with that power would. */
async function tamper(deps: TestDeps, statements: string[]): Promise<void> {
  await transaction(deps.owner.db, async (trx) => {
    await sql`alter table audit_event disable trigger user`.execute(trx);
    for (const statement of statements) await sql.raw(statement).execute(trx);
    await sql`alter table audit_event enable trigger user`.execute(trx);
  });
}

describe('audit log: appended in the transaction, sealed after commit', () => {
  let deps: TestDeps;
  before(async () => {
    deps = await testDeps();
  });
  after(() => deps.close());

  it('appends unsealed rows, which the sealer chains; the chain then verifies and matches the anchor', async () => {
    const unsealed = await verify(deps.db);
    assert.equal(unsealed.ok, true, 'rows waiting for the sealer, within the bound, are not a fault');
    assert.ok(unsealed.unsealed.count > 10, 'seeding is audited, and not sealed by the writer');
    assert.equal(unsealed.checked, 0);

    const sealed = await sealCommittedAudit(deps.db, { batchSize: 10 });
    assert.equal(sealed, unsealed.unsealed.count);
    const result = await verify(deps.db, 7);
    assert.equal(result.ok, true, result.problem?.message);
    assert.equal(result.checked, sealed);
    assert.equal(result.unsealed.count, 0);
    assert.deepEqual(result.anchor, { sealedCount: sealed, headHash: result.headHash });
    assert.notEqual(result.headHash, GENESIS_HASH);
  });

  it('leaves no audit row when the audited transaction rolls back', async () => {
    await assert.rejects(
      transaction(deps.db, async (trx) => {
        await trx.insertInto('area').values({ code: 'audit-rolled-back', name: 'Rolled back' }).execute();
        await recordAudit(trx, context, { action: 'test.rolled-back', subjectType: 'area' });
        throw new Error('the change fails after it was audited');
      }),
      /fails after/,
    );
    await sealCommittedAudit(deps.db);
    assert.equal(await countWhere(deps.db, 'test.rolled-back'), 0);
    await transaction(deps.db, async (trx) => {
      await recordAudit(trx, context, { action: 'test.committed', subjectType: 'area' });
    });
    assert.equal(await countWhere(deps.db, 'test.committed', false), 1, 'committed, waiting for the sealer');
    await sealCommittedAudit(deps.db);
    assert.equal(await countWhere(deps.db, 'test.committed', true), 1);
    assert.equal((await verify(deps.db)).ok, true);
  });

  // Out-of-order commits need two transactions open at once, which PGlite's single connection
  // cannot have: there every transaction commits in the order it began.
  if (onPostgres)
    it('chains a row whose transaction commits late after the rows committed before it', async () => {
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let inserted: () => void = () => {};
      const insertedSlow = new Promise<void>((resolve) => {
        inserted = resolve;
      });
      const slow = transaction(deps.db, async (trx) => {
        await recordAudit(trx, context, { action: 'test.slow' });
        inserted();
        await held;
      });
      await insertedSlow;
      await recordAudit(deps.db, context, { action: 'test.fast' });
      await sealCommittedAudit(deps.db);
      assert.equal(
        await countWhere(deps.db, 'test.fast', true),
        1,
        'sealed without waiting for the slow one',
      );
      assert.equal(await countWhere(deps.db, 'test.slow'), 0, 'not visible before it commits');
      assert.equal((await verify(deps.db)).ok, true);
      release();
      await slow;
      await sealCommittedAudit(deps.db);
      const rows = await deps.db
        .selectFrom('audit_event')
        .select(['seq', 'chain_seq', 'action'])
        .where('action', 'in', ['test.slow', 'test.fast'])
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        rows.map((r) => r.action),
        ['test.slow', 'test.fast'],
        'the slow row was inserted first',
      );
      assert.ok(
        rows[0]!.chain_seq! > rows[1]!.chain_seq!,
        'and is chained after the row that committed first',
      );
      assert.equal((await verify(deps.db)).ok, true);
    });

  it('lets the app fill the seal of an unsealed row only, and never rewrite, delete or truncate', async () => {
    await sealCommittedAudit(deps.db);
    const sealedRow = await deps.db
      .selectFrom('audit_event')
      .select('seq')
      .orderBy('seq')
      .executeTakeFirstOrThrow();
    await assert.rejects(
      sql`update audit_event set action = 'x' where seq = ${sealedRow.seq}`.execute(deps.db),
      /append-only|permission denied/,
    );
    await assert.rejects(
      sql`update audit_event set hash = ${'f'.repeat(64)} where seq = ${sealedRow.seq}`.execute(deps.db),
      /append-only/,
    );
    await assert.rejects(
      sql`delete from audit_event where seq = ${sealedRow.seq}`.execute(deps.db),
      /append-only|permission denied/,
    );
    await assert.rejects(sql`truncate audit_event`.execute(deps.db), /truncated|permission denied/);
    await assert.rejects(
      sql`insert into audit_event (id, occurred_at, actor_name, channel, action, outcome, chain_seq, prev_hash, hash)
          values (gen_random_uuid(), now(), 'x', 'cli', 'forged', 'allowed', 999999, ${GENESIS_HASH}, ${'e'.repeat(64)})`.execute(
        deps.db,
      ),
      /not inserted sealed|sealed by the sealer/,
    );

    await recordAudit(deps.db, context, { action: 'test.unsealed' });
    await assert.rejects(
      sql`update audit_event set chain_seq = 999999, prev_hash = 'p', hash = 'h', action = 'changed'
          where action = 'test.unsealed'`.execute(deps.db),
      /append-only|permission denied/,
      'sealing may not change the content at the same time',
    );
    await assert.rejects(
      sql`update audit_anchor set sealed_count = 0, head_hash = ${GENESIS_HASH}`.execute(deps.db),
      /only moves forward/,
    );
    await assert.rejects(
      sql`delete from audit_anchor`.execute(deps.db),
      /permission denied|only moves forward/,
    );
    await sealCommittedAudit(deps.db);
    assert.equal((await verify(deps.db)).ok, true);
  });

  it('protects every content column of audit_event in the append-only trigger', async () => {
    const { rows: columns } = await sql<{ column_name: string }>`
      select column_name from information_schema.columns
      where table_schema = current_schema() and table_name = 'audit_event'`.execute(deps.db);
    const { rows } = await sql<{ definition: string }>`
      select pg_get_triggerdef(oid) as definition from pg_trigger
      where tgrelid = 'audit_event'::regclass and tgname = 'audit_event_append_only'`.execute(deps.db);
    const definition = rows[0]!.definition;
    const content = columns
      .map((c) => c.column_name)
      .filter((c) => !['chain_seq', 'prev_hash', 'hash'].includes(c));
    assert.ok(content.length >= 16);
    for (const column of content) {
      assert.match(definition, new RegExp(`old\\.${column}\\b`), `the trigger compares old.${column}`);
      assert.match(definition, new RegExp(`new\\.${column}\\b`), `the trigger compares new.${column}`);
    }
  });

  it('gives the app role no way to switch the append-only trigger off (PostgreSQL role split)', async () => {
    const attempt = sql`alter table audit_event disable trigger audit_event_append_only`.execute(deps.db);
    if (onPostgres) await assert.rejects(attempt, /must be owner/);
    else {
      // The embedded database has a single role, which owns everything: the split is PostgreSQL's.
      await attempt;
      await sql`alter table audit_event enable trigger audit_event_append_only`.execute(deps.db);
      assert.equal(deps.database.kind, 'pglite');
    }
  });
});

describe('audit log: 1,000 concurrent audited actions', () => {
  let deps: TestDeps;
  let first: App;
  let second: App;
  let secondDb: Db;
  let closeSecondPool: () => Promise<void>;
  let key: string;
  let children: string[];

  before(async () => {
    const seeded = await testDeps();
    // One key makes all 1,000 requests: lift its per-key rate limit (600 a minute by default).
    deps = withPartnershipSection(seeded, 'api', { perKey: { requests: 100_000, windowSeconds: 60 } });
    await sealCommittedAudit(deps.db);
    first = await testApp(deps);
    // A second instance: its own pool on the same schema, its own sealer, as in production (on
    // PGlite, one process's database, the first instance serves for both).
    const pool = await secondPool(deps);
    closeSecondPool = pool.close;
    secondDb = pool.deps.db;
    second = onPostgres ? await testApp(pool.deps) : first;
    key = (await buildServices(deps).directory.createApiKey(context, 'police', 'Load')).key;
    children = await childIdsIn(deps, undefined, 20);
  });
  after(async () => {
    if (second !== first) await second.close();
    await first.close();
    await closeSecondPool();
    await deps.close();
  });

  it('produce one valid chain with every row sealed, sealed by two sealers while they commit', async () => {
    const sealers = [
      startAuditSealer(deps.db, { intervalMs: 10, batchSize: 25 }),
      startAuditSealer(secondDb, { intervalMs: 10, batchSize: 25 }),
    ];
    const before = await totalEvents(deps.db);
    // A cheap audited request (a valid key reading a child's record it may not see: a key lookup,
    // an access check, one audit row of the refusal), so the test exercises the log rather than the
    // rest of the service. Bad keys would not do: failures are counted per address and window, and
    // audited once each window, not once each.
    const deniedBefore = await countWhere(deps.db, 'person:view');
    const responses = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        (i % 2 === 0 ? first : second).inject({
          method: 'GET',
          url: `/api/v1/people/${children[i % children.length]}`,
          headers: { authorization: `Bearer ${key}` },
        }),
      ),
    );
    assert.equal(responses.filter((r) => r.statusCode === 403).length, 1000, 'police may not read these');
    await Promise.all(sealers.map((s) => s.stop()));

    assert.equal(await totalEvents(deps.db), before + 1000, 'one audit event per request');
    assert.equal(
      await countWhere(deps.db, 'person:view'),
      deniedBefore + 1000,
      'each one the audited refusal of its read',
    );
    assert.equal(
      Number(
        (
          await deps.db
            .selectFrom('audit_event')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('chain_seq', 'is', null)
            .executeTakeFirstOrThrow()
        ).n,
      ),
      0,
      'every row sealed',
    );
    const result = await verify(deps.db, 333);
    assert.equal(result.ok, true, result.problem?.message);
    assert.equal(result.unsealed.count, 0);
    assert.equal(result.checked, await totalEvents(deps.db), 'one chain through every row');
  });
});

describe('audit verify finds tampering', () => {
  it('names a row altered by hand, and passes again once it is restored', () =>
    onSealedLog(20, async (deps) => {
      const target = await rowWhere(deps.db, 'audit_event', { chain_seq: 6 });
      await tamper(deps, [`update audit_event set actor_name = 'Someone else' where seq = ${target.seq}`]);
      const altered = await verify(deps.db);
      assert.equal(altered.ok, false);
      assert.equal(altered.problem?.seq, target.seq);
      assert.match(altered.problem!.message, /altered/);
      assert.equal(altered.checked, 5);
      await tamper(deps, [
        `update audit_event set actor_name = '${target.actor_name}' where seq = ${target.seq}`,
      ]);
      assert.equal((await verify(deps.db)).ok, true, 'restoring the original value restores the chain');
    }));

  it('finds a deleted row, and a deleted row whose successors were renumbered', () =>
    onSealedLog(20, async (deps) => {
      await tamper(deps, ['delete from audit_event where chain_seq = 9']);
      const deleted = await verify(deps.db);
      assert.equal(deleted.ok, false);
      assert.equal(deleted.problem?.chainSeq, 10);
      assert.match(deleted.problem!.message, /removed/);
      // In two steps, so the unique chain position never clashes halfway through.
      await tamper(deps, [
        'update audit_event set chain_seq = -(chain_seq - 1) where chain_seq > 9',
        'update audit_event set chain_seq = -chain_seq where chain_seq < 0',
      ]);
      const renumbered = await verify(deps.db);
      assert.equal(renumbered.ok, false);
      assert.equal(renumbered.problem?.chainSeq, 9);
      assert.match(renumbered.problem!.message, /removed or reordered/);
    }));

  it('finds two rows swapped in the chain', () =>
    onSealedLog(20, async (deps) => {
      await tamper(deps, [
        'update audit_event set chain_seq = -1 where chain_seq = 12',
        'update audit_event set chain_seq = 12 where chain_seq = 13',
        'update audit_event set chain_seq = 13 where chain_seq = -1',
      ]);
      const reordered = await verify(deps.db);
      assert.equal(reordered.ok, false);
      assert.equal(reordered.problem?.chainSeq, 12);
      assert.match(reordered.problem!.message, /reordered/);
    }));

  it('finds the newest rows deleted, and a truncated log, against the anchor', () =>
    onSealedLog(20, async (deps) => {
      await tamper(deps, ['delete from audit_event where chain_seq > 17']);
      const shortened = await verify(deps.db);
      assert.equal(shortened.ok, false);
      assert.equal(shortened.checked, 17, 'what is left is a valid chain on its own');
      assert.match(shortened.problem!.message, /anchor records 20/);

      await tamper(deps, ['truncate audit_event']);
      const truncated = await verify(deps.db);
      assert.equal(truncated.ok, false, 'an empty log is not "intact: 0 events"');
      assert.equal(truncated.checked, 0);
      assert.match(truncated.problem!.message, /truncated/);
    }));

  it('finds the newest row replaced by one with a recomputed hash', () =>
    onSealedLog(5, async (deps) => {
      const head = await deps.db
        .selectFrom('audit_event')
        .selectAll()
        .where('chain_seq', '=', 5)
        .executeTakeFirstOrThrow();
      const forged = hashAuditRow({ ...head, prev_hash: head.prev_hash!, actor_name: 'Someone else' });
      await tamper(deps, [
        `update audit_event set actor_name = 'Someone else', hash = '${forged}' where chain_seq = 5`,
      ]);
      const replaced = await verify(deps.db);
      assert.equal(replaced.ok, false);
      assert.match(replaced.problem!.message, /not the one the anchor records/);
    }));

  it('reports a committed row left unsealed beyond the bound as a fault', () =>
    onSealedLog(3, async (deps) => {
      const old = new Date(Date.now() - 601_000);
      await deps.db
        .insertInto('audit_event')
        .values({
          id: randomUUID(),
          occurred_at: old,
          actor_name: 'test',
          channel: 'cli',
          action: 'test.stale',
          outcome: 'allowed',
          person_ids: [],
          details: '{}',
        })
        .execute();
      const stale = await verify(deps.db);
      assert.equal(stale.ok, false);
      assert.equal(stale.checked, 3, 'the sealed chain itself is intact');
      assert.deepEqual(stale.unsealed, { count: 1, stale: 1 });
      assert.match(stale.problem!.message, /not sealed/);
      const withinLongerBound = await verifyAuditChain(deps.db, { unsealedMaxAgeSeconds: 3600 });
      assert.equal(withinLongerBound.ok, true);
      assert.equal((await sealAuditBatch(deps.db)).sealed, 1);
      assert.equal((await verify(deps.db)).ok, true, 'sealed, it is part of the chain');
    }));
});
