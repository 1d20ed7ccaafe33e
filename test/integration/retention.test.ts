import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { currentSchema, tableCounts } from '../../src/modules/operations/table-counts.ts';
import { ForbiddenError } from '../../src/platform/access.ts';
import { sealCommittedAudit } from '../../src/platform/audit-sealer.ts';
import { verifyAuditChain } from '../../src/platform/audit-verify.ts';
import { ConflictError } from '../../src/platform/errors.ts';
import { auditEvents } from '../helpers/audit-events.ts';
import { onPostgres } from '../helpers/database.ts';
import { rowCount } from '../helpers/deps.ts';
import { signedIn } from '../helpers/http.ts';
import { areaOfPerson, rowsAboutPerson } from '../helpers/people-fixtures.ts';
import { app, appPerFile, deps, services } from '../helpers/per-file.ts';
import { confirmRetentionAsManager, FIRST_PAGE_DUE_FIRST } from '../helpers/retention-run.ts';
import { rowById } from '../helpers/rows.ts';
import { household, submitHouseholdDans } from './front-door-fixtures.ts';
import { principalFor } from './risk-helpers.ts';

const TODAY = new Date('2026-12-02T10:00:00Z');

describe(`retention (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  const homes = {
    grown: household(11),
    oldNfa: household(12),
    recentNfa: household(13),
    longKept: household(14),
  };
  let contactOf: Record<string, string> = {};
  let childOf: Record<string, string> = {};
  let boyOf: Record<string, string> = {};

  appPerFile({}, async () => {
    ({ contactOf, childOf, boyOf } = await submitHouseholdDans(app, deps, homes, 'NB/24/00090'));
    // Tests may set up data directly: the grown-up child turned 25 last year; a long-kept child is
    // 31 with a child protection plan (kept to 75); two contacts closed with no further action.
    await deps.owner.db
      .updateTable('person')
      .set({ date_of_birth: '2000-06-01' })
      .where('id', '=', childOf.grown!)
      .execute();
    await deps.owner.db
      .updateTable('person')
      .set({ date_of_birth: '1995-01-01' })
      .where('id', '=', childOf.longKept!)
      .execute();
    await deps.owner.db
      .insertInto('chronology_event')
      .values({
        area_id: await areaOfPerson(deps.db, childOf.longKept!),
        person_id: childOf.longKept!,
        type: 'child-protection-plan',
        occurred_at: new Date('2005-03-01T00:00:00Z'),
        significance: 'high',
        summary: 'Child protection plan started.',
        data: JSON.stringify({}),
      })
      .execute();
    for (const [name, closedAt] of [
      ['oldNfa', '2019-06-01T00:00:00Z'],
      ['recentNfa', '2024-06-01T00:00:00Z'],
    ] as const)
      await deps.owner.db
        .updateTable('contact')
        .set({ status: 'closed', outcome: 'no-further-action', closed_at: new Date(closedAt) })
        .where('id', '=', contactOf[name]!)
        .execute();
    deps.setNow(TODAY);
    await sealCommittedAudit(deps.db);
  });

  /** A contact's row, or undefined once retention has removed it. */
  const contactRow = (id: string) =>
    deps.db.selectFrom('contact').select('id').where('id', '=', id).executeTakeFirst();

  it('lists exactly what is due, and changes nothing until a manager confirms', async () => {
    const schemas = [await currentSchema(deps.db)];
    const before_ = await tableCounts(deps.db, schemas);
    const manager = await principalFor(deps, 'mash.manager@harbour.example');
    const listed = await services.retention.list({ principal: manager });
    const after_ = await tableCounts(deps.db, schemas);
    for (const [table, count] of Object.entries(before_)) {
      if (/\.(retention_run|retention_item|audit_event|audit_anchor)$/.test(table)) continue;
      assert.equal(after_[table], count, `${table} unchanged by listing`);
    }
    const items = await deps.db
      .selectFrom('retention_item')
      .selectAll()
      .where('run_id', '=', listed.runId)
      .execute();
    assert.deepEqual(
      items.map((i) => `${i.record_type}:${i.record_id}:${i.rule}`).sort(),
      [
        `person:${childOf.grown}:child-record`,
        // The grown-up child's DAN also names her younger brother, whose record is kept: it stays.
        `contact:${contactOf.oldNfa}:no-further-action`,
      ].sort(),
    );
    assert.equal(items.find((i) => i.record_type === 'person')!.due_on, '2025-06-01');
    // Still all there.
    assert.ok(
      await deps.db.selectFrom('contact').select('id').where('id', '=', contactOf.oldNfa!).executeTakeFirst(),
    );
  });

  it('shows the listing to a manager and the DPO, a page at a time, and only a manager may confirm', async () => {
    const dpo = await principalFor(deps, 'dpo@harbour.example');
    const page = await services.retention.review({ principal: dpo }, FIRST_PAGE_DUE_FIRST);
    assert.equal(page.total, 2);
    assert.deepEqual(
      page.rows.map((r) => r.due_on),
      [...page.rows.map((r) => r.due_on)].sort(),
    );
    const run = page.run!;
    await assert.rejects(services.retention.confirm({ principal: dpo }, run.id), ForbiddenError);
    const practitioner = await principalFor(deps, 'front.door@harbour.example');
    await assert.rejects(
      services.retention.review({ principal: practitioner }, FIRST_PAGE_DUE_FIRST),
      ForbiddenError,
    );
  });

  it('on confirmation removes what was due and nothing else, and the audit log records it', async () => {
    const auditBefore = await rowCount(deps, 'audit_event');
    const keptNames = await deps.db
      .selectFrom('person_name')
      .select('id')
      .where('person_id', '=', boyOf.grown!)
      .execute();
    const { manager, runId, removed } = await confirmRetentionAsManager(services);
    assert.equal(removed.people, 1);
    assert.equal(removed.contacts, 1);

    const grown = await rowById(deps.db, 'person', childOf.grown!);
    assert.equal(grown.date_of_birth, null);
    assert.equal(grown.given_name, 'Removed');
    for (const table of [
      'person_name',
      'person_address',
      'person_identifier',
      'chronology_event',
      'access_relationship',
    ] as const)
      assert.equal(
        (await rowsAboutPerson(deps.db, table, childOf.grown!)).length,
        0,
        `${table} of the removed child`,
      );
    for (const name of ['oldNfa']) assert.equal(await contactRow(contactOf[name]!), undefined);
    // Not due, or naming a child whose record is kept: kept whole.
    for (const name of ['grown', 'recentNfa', 'longKept'])
      assert.ok(await contactRow(contactOf[name]!), name);
    const longKept = await rowById(deps.db, 'person', childOf.longKept!);
    assert.equal(longKept.date_of_birth, '1995-01-01');
    assert.equal(
      (await deps.db.selectFrom('person_name').select('id').where('person_id', '=', boyOf.grown!).execute())
        .length,
      keptNames.length,
      'the younger brother’s record stays',
    );

    await sealCommittedAudit(deps.db);
    assert.ok((await rowCount(deps, 'audit_event')) > auditBefore, 'the audit log only grows');
    const entry = (await auditEvents(deps.db, { action: 'retention.remove' }))[0]!;
    assert.deepEqual(entry.person_ids, [childOf.grown]);
    assert.equal((entry.details as { contacts: number }).contacts, 1);
    const chain = await verifyAuditChain(deps.db, { unsealedMaxAgeSeconds: 3600 });
    assert.equal(chain.ok, true, chain.problem?.message);

    await assert.rejects(services.retention.confirm(manager, runId), ConflictError);
  });

  it('offers the listing and the confirmation on a page that needs the confirmation ticked', async () => {
    const browser = await signedIn(app, 'mash.manager@harbour.example');
    const listed = await browser.post('/retention/list', {});
    assert.equal(listed.statusCode, 303);
    const page = await browser.get('/retention');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Records due for removal/);
    // Everything due was removed above, so this listing holds nothing.
    assert.match(page.body, /0 records in your areas still to remove/);
    const run = await deps.db
      .selectFrom('retention_run')
      .selectAll()
      .where('status', '=', 'listed')
      .executeTakeFirstOrThrow();
    const unticked = await browser.post('/retention/confirm', { runId: run.id });
    assert.equal(unticked.statusCode, 400);
    assert.match(unticked.body, /There is a problem/);
    assert.match(unticked.body, /href="#confirm"/);
    const ticked = await browser.post('/retention/confirm', { runId: run.id, confirm: 'yes' });
    assert.equal(ticked.statusCode, 303);
    const done = await rowById(deps.db, 'retention_run', run.id);
    assert.equal(done.status, 'confirmed');
    assert.equal(done.confirmed_by_name, 'Morgan Manager');
  });
});
