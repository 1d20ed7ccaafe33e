import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { recordAudit, verifyAuditChain } from '../../src/platform/audit.ts';
import { cliPrincipal } from '../../src/platform/principal.ts';
import { type TestDeps, testDeps } from '../helpers/deps.ts';

let deps: TestDeps;
before(async () => {
  deps = await testDeps();
});
after(() => deps.close());

describe('audit log', () => {
  it('verifies a freshly seeded database', async () => {
    const result = await verifyAuditChain(deps.db);
    assert.equal(result.ok, true);
    assert.ok(result.checked > 10, 'seeding is audited');
  });

  it('keeps one chain when many events are written at once', async () => {
    const context = { principal: cliPrincipal('test') };
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        recordAudit(deps.db, context, { action: 'test.concurrent', details: { i } }),
      ),
    );
    const result = await verifyAuditChain(deps.db, 7);
    assert.equal(result.ok, true);
  });

  it('refuses updates and deletes', async () => {
    await assert.rejects(
      sql`update audit_event set action = 'x' where seq = 1`.execute(deps.db),
      /append-only/,
    );
    await assert.rejects(sql`delete from audit_event where seq = 1`.execute(deps.db), /append-only/);
  });

  it('detects a row altered by hand, and a row removed', async () => {
    const target = await deps.db
      .selectFrom('audit_event')
      .select(['seq', 'actor_name'])
      .orderBy('seq')
      .offset(5)
      .limit(1)
      .executeTakeFirstOrThrow();
    await sql`alter table audit_event disable trigger audit_event_append_only`.execute(deps.db);
    await sql`update audit_event set actor_name = 'Someone else' where seq = ${target.seq}`.execute(deps.db);
    const altered = await verifyAuditChain(deps.db);
    assert.equal(altered.ok, false);
    assert.equal(altered.problem?.seq, target.seq);
    assert.match(altered.problem!.message, /altered/);

    await sql`update audit_event set actor_name = ${target.actor_name} where seq = ${target.seq}`.execute(
      deps.db,
    );
    assert.equal(
      (await verifyAuditChain(deps.db)).ok,
      true,
      'restoring the original value restores the chain',
    );

    await sql`delete from audit_event where seq = ${target.seq + 3}`.execute(deps.db);
    await sql`alter table audit_event enable trigger audit_event_append_only`.execute(deps.db);
    const afterDelete = await verifyAuditChain(deps.db);
    assert.equal(afterDelete.ok, false);
    assert.equal(afterDelete.problem?.seq, target.seq + 4);
    assert.match(afterDelete.problem!.message, /removed/);
  });
});
