import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../src/app.ts';
import { buildServices } from '../../src/services.ts';
import { onPostgres } from '../helpers/database.ts';
import { type TestDeps, testDeps } from '../helpers/deps.ts';
import { signedIn, testApp } from '../helpers/http.ts';
import { confirmRetentionAsManager } from '../helpers/retention-run.ts';
import { rowWhere } from '../helpers/rows.ts';
import { household, submitHouseholdDans } from './front-door-fixtures.ts';
import { principalFor } from './risk-helpers.ts';

const TODAY = new Date('2026-12-02T10:00:00Z');

/**
 * Flags follow the data-protection retention rules like the rest of a person's record (decision
 * 0012): a flag of a long-retention type keeps the record for the long period; the review lists
 * the flags that go with a due record; a confirmed removal removes them and their chronology
 * entries with the record, and nothing of a record that is kept.
 */
describe(`flags in retention (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  let deps: TestDeps;
  let app: App;
  const homes = { grown: household(21), lookedAfter: household(22) };
  let childOf: Record<string, string> = {};
  const flagIds: Record<string, string[]> = { grown: [], lookedAfter: [] };

  const flagsOf = (personId: string) =>
    deps.db.selectFrom('person_flag').select(['id', 'type']).where('person_id', '=', personId).execute();
  const flagEntriesOf = (personId: string) =>
    deps.db
      .selectFrom('chronology_event')
      .select(['id', 'type'])
      .where('person_id', '=', personId)
      .where('type', 'in', ['flag-raised', 'flag-ended'])
      .execute();

  before(async () => {
    deps = await testDeps();
    app = await testApp(deps);
    ({ childOf } = await submitHouseholdDans(app, deps, homes, 'NB/24/00070'));
    // Both are past their 25th birthday; neither chronology holds a long-retention event type.
    for (const name of Object.keys(homes))
      await deps.owner.db
        .updateTable('person')
        .set({ date_of_birth: '2000-06-01' })
        .where('id', '=', childOf[name]!)
        .execute();
    deps.setNow(TODAY);
    const services = buildServices(deps);
    const worker = { principal: await principalFor(deps, 'social.worker@harbour.example') };
    const contact = 'Northbridge MASH, 01632 960 100';
    const raise = async (name: string, type: string, start = '2010-03-01') => {
      const { id } = await services.flags.raiseForPerson(worker, childOf[name]!, {
        type,
        start,
        contact,
      });
      flagIds[name]!.push(id);
      return id;
    };
    // The grown-up child was a child in need, ended; the other was looked after (ended too).
    await services.flags.endForPerson(worker, childOf.grown!, await raise('grown', 'child-in-need'), {
      end: '2012-03-01',
      reason: 'Case closed',
    });
    await raise('grown', 'domestic-abuse-household', '2011-01-01');
    await services.flags.endForPerson(
      worker,
      childOf.lookedAfter!,
      await raise('lookedAfter', 'looked-after'),
      {
        end: '2018-06-01',
        reason: 'Left care at 18',
      },
    );
  });
  after(async () => {
    await app.close();
    await deps.close();
  });

  it('keeps the record of a child who held a long-retention flag, and lists the other', async () => {
    const manager = await principalFor(deps, 'mash.manager@harbour.example');
    const listed = await buildServices(deps).retention.list({ principal: manager });
    const items = await deps.db
      .selectFrom('retention_item')
      .select(['record_id', 'rule'])
      .where('run_id', '=', listed.runId)
      .where('record_type', '=', 'person')
      .execute();
    assert.deepEqual(items, [{ record_id: childOf.grown, rule: 'child-record' }]);
  });

  it('shows on the review the flags that go with each due record', async () => {
    const browser = await signedIn(app, 'mash.manager@harbour.example');
    const page = await browser.get('/retention');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Flags removed with it/);
    assert.match(page.body, /Child in need \(ended\), Domestic abuse in the household/);
  });

  it('removes the due record’s flags and their chronology entries with it, and nothing of a kept record', async () => {
    assert.equal((await flagsOf(childOf.grown!)).length, 2);
    assert.equal((await flagEntriesOf(childOf.grown!)).length, 3, 'two raised, one ended');
    const keptFlags = await flagsOf(childOf.lookedAfter!);
    const keptEntries = await flagEntriesOf(childOf.lookedAfter!);
    const services = buildServices(deps);
    const { removed } = await confirmRetentionAsManager(services);
    assert.equal(removed.people, 1);
    assert.equal(removed.flags, 2);
    assert.deepEqual(await flagsOf(childOf.grown!), []);
    assert.deepEqual(await flagEntriesOf(childOf.grown!), []);
    assert.deepEqual(await flagsOf(childOf.lookedAfter!), keptFlags);
    assert.deepEqual(await flagEntriesOf(childOf.lookedAfter!), keptEntries);
    // Nothing of the removed flags is shown any more, to anyone who may still see the shell.
    assert.deepEqual(await services.flags.currentFlagsOf([childOf.grown!]), []);
    const entry = await rowWhere(deps.db, 'audit_event', { action: 'retention.remove' });
    assert.deepEqual(entry.person_ids, [childOf.grown]);
    assert.equal((entry.details as { flags: number }).flags, 2);
  });
});
