import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { transaction } from '../../src/db/database.ts';
import { syntheticNhsNumber } from '../../src/domain/identifiers.ts';
import type { NewPerson } from '../../src/modules/people/service.ts';
import { ForbiddenError } from '../../src/platform/access.ts';
import type { AuditContext } from '../../src/platform/audit.ts';
import { auditEvents } from '../helpers/audit-events.ts';
import { signedIn } from '../helpers/http.ts';
import { childRecord, insertPerson, type SharedFacts } from '../helpers/people-fixtures.ts';
import { app, appPerFile, deps, services } from '../helpers/per-file.ts';
import { seededRandom } from '../helpers/seeded-random.ts';
import { seededContexts } from '../helpers/seeded-users.ts';

/**
 * Change history beside the audit log (decision 0016): merges, unmerges and the facts an
 * agency's record adds are stored field by field, shown on the person's record to those who may
 * see the record, and never altered afterwards.
 */
const as: Record<string, AuditContext> = {};
const random = seededRandom(11);

const insert = (ctx: AuditContext, input: NewPerson) => insertPerson(deps.db, services.people, ctx, input);

const changesOf = (personId: string) =>
  deps.db
    .selectFrom('record_change')
    .select(['entity', 'entity_id', 'action', 'field', 'from_value', 'to_value', 'actor_name'])
    .where('person_id', '=', personId)
    .orderBy('seq')
    .execute();

/** A stored change a merge made to one field of a person's own row. */
const mergeChange = (personId: string, field: string, from: string | null, to: string, actor: string) => ({
  entity: 'person',
  entity_id: personId,
  action: 'person.merge',
  field,
  from_value: from,
  to_value: to,
  actor_name: actor,
});

appPerFile({}, async () => {
  Object.assign(as, await seededContexts(services.directory, ['frontDoor', 'manager', 'school']));
});

describe('change history of a person record', () => {
  let survivor: string;
  let merged: string;
  let mergeId: string;
  const nhs = syntheticNhsNumber(random);

  // Two records of one child: the facts they share are what a reviewer merges them on.
  const castellane: SharedFacts = {
    familyName: 'Castellane',
    dateOfBirth: '2017-03-04',
    addresses: [{ line1: '12 Weir Street', postcode: 'NB3 2PQ' }],
  };

  before(async () => {
    const nhsNumber = { identifiers: [{ scheme: 'nhs', value: nhs }] };
    survivor = (await insert(as.frontDoor!, childRecord('Imogen', castellane, nhsNumber))).id;
    merged = (
      await insert(as.frontDoor!, childRecord('Immy', castellane, { ethnicity: 'MWBA', language: 'cym' }))
    ).id;
  });

  it('a new record has no change history', async () => {
    assert.deepEqual(await changesOf(survivor), []);
  });

  it('a merge records the facts the survivor took and the merged record’s end, field by field', async () => {
    ({ mergeId } = await services.people.mergePeople(as.manager!, {
      survivorId: survivor,
      mergedId: merged,
      reason: 'One child: school and health records',
    }));
    const actor = as.manager!.principal.name;
    assert.deepEqual(await changesOf(survivor), [
      mergeChange(survivor, 'ethnicity', null, 'MWBA', actor),
      mergeChange(survivor, 'language', null, 'cym', actor),
    ]);
    assert.deepEqual(await changesOf(merged), [mergeChange(merged, 'merged_into_id', null, survivor, actor)]);
  });

  it('an unmerge records the reverse, keeping what was recorded before', async () => {
    await services.people.unmergePeople(as.manager!, mergeId, 'Twins, not one child');
    const survivorChanges = await changesOf(survivor);
    assert.deepEqual(
      survivorChanges.slice(2).map((c) => [c.action, c.field, c.from_value, c.to_value]),
      [
        ['person.unmerge', 'ethnicity', 'MWBA', null],
        ['person.unmerge', 'language', 'cym', null],
      ],
    );
    const mergedChanges = await changesOf(merged);
    assert.deepEqual(
      mergedChanges.slice(1).map((c) => [c.action, c.field, c.from_value, c.to_value]),
      [['person.unmerge', 'merged_into_id', survivor, null]],
    );
  });

  it('facts an agency’s record adds to a held person are recorded with that agency’s user', async () => {
    const result = await transaction(deps.db, (trx) =>
      services.people.resolvePerson(
        trx,
        as.school!,
        childRecord('Imogen', castellane, { sex: 'female', identifiers: [{ scheme: 'nhs', value: nhs }] }),
      ),
    );
    assert.equal(result.outcome, 'linked');
    assert.equal(result.personId, survivor);
    const added = (await changesOf(survivor)).filter((c) => c.action === 'person.add-facts');
    assert.deepEqual(
      added.map((c) => [c.field, c.from_value, c.to_value, c.actor_name]),
      [['sex', null, 'female', as.school!.principal.name]],
    );
  });

  it('is shown on the record, paged and audited as a read, to those who may see the record', async () => {
    const browser = await signedIn(app, 'front.door@harbour.example');
    const record = await browser.get(`/people/${survivor}`);
    assert.match(record.body, new RegExp(`href="/people/${survivor}/changes"`));
    const page = await browser.get(`/people/${survivor}/changes`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Changes to Imogen Castellane’s record/);
    assert.match(page.body, /Records merged/);
    assert.match(page.body, /Merge undone/);
    assert.match(page.body, /Ethnicity/);
    assert.match(page.body, /MWBA/);
    assert.match(page.body, /5 changed facts/);
    const audit = await auditEvents(deps.db, { action: 'person.changes-view', subjectId: survivor });
    assert.deepEqual(
      audit.map((e) => ({ outcome: e.outcome, subject_id: e.subject_id })),
      [{ outcome: 'allowed', subject_id: survivor }],
    );
  });

  it('is refused (the refused page audited) to an agency with no relationship to the person', async () => {
    const other = (
      await insert(as.frontDoor!, {
        kind: 'child',
        givenName: 'Perrin',
        familyName: 'Ashdown',
        dateOfBirth: '2015-06-07',
        addresses: [{ line1: '4 Cooper Row', postcode: 'NB3 2PQ' }],
      })
    ).id;
    await assert.rejects(services.people.changeHistory(as.school!, other, 1), ForbiddenError);
    const browser = await signedIn(app, 'school.dsl@harbour.example');
    assert.equal((await browser.get(`/people/${other}/changes`)).statusCode, 403);
    const refused = await auditEvents(deps.db, { subjectId: other, outcome: 'denied' });
    // The refused page is audited once, by the error handler that answers it.
    assert.equal(refused.length, 1);
  });

  it('is append-only: a stored change cannot be altered or deleted', async () => {
    // The app role may not (on PostgreSQL it has no grant); the table's owner is stopped by the trigger.
    const forge = { to_value: JSON.stringify('forged') };
    await assert.rejects(
      deps.db.updateTable('record_change').set(forge).execute(),
      /append-only|permission denied/,
    );
    await assert.rejects(deps.db.deleteFrom('record_change').execute(), /append-only|permission denied/);
    await assert.rejects(deps.owner.db.updateTable('record_change').set(forge).execute(), /append-only/);
    await assert.rejects(deps.owner.db.deleteFrom('record_change').execute(), /append-only/);
    assert.equal((await changesOf(survivor)).length, 5);
  });
});
