import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { transaction } from '../../src/db/database.ts';
import { BLOCKING_KEY_VERSION } from '../../src/domain/matching.ts';
import { blockingKeysOfInput, type NewPerson } from '../../src/modules/people/service.ts';
import type { AuditContext } from '../../src/platform/audit.ts';
import { auditEvents } from '../helpers/audit-events.ts';
import { databasePerFile, deps, services } from '../helpers/per-file.ts';
import { seededContexts } from '../helpers/seeded-users.ts';

let admin: AuditContext;
const inputs: NewPerson[] = Array.from({ length: 7 }, (_, i) => ({
  kind: 'child',
  givenName: ['Nia', 'Owen', 'Petra', 'Quinn', 'Rhys', 'Sian', 'Tomos'][i]!,
  familyName: ['Gwilliam', 'Hallett', 'Ingram', 'Jeavons', 'Kershaw', 'Lomax', 'Mottram'][i]!,
  dateOfBirth: `201${i}-0${i + 2}-${String(10 + i).padStart(2, '0')}`,
  sex: i % 2 ? 'male' : 'female',
  addresses: [{ line1: `${i + 2} Quay Street`, postcode: 'NB1 3DF' }],
}));
const ids: string[] = [];

databasePerFile({}, async () => {
  const users = await seededContexts(services.directory, ['frontDoor', 'admin']);
  const { frontDoor } = users;
  admin = users.admin;
  for (const input of inputs) {
    const resolved = await transaction(deps.db, (trx) =>
      services.people.resolvePerson(trx, frontDoor, input),
    );
    assert.equal(resolved.outcome, 'new');
    ids.push(resolved.personId);
  }
});

describe('re-keying the person index after the blocking keys change', () => {
  it('recomputes every live person’s keys from their stored facts, a page at a time, and audits the run', async () => {
    // As if stored by an older version: keys that no longer match what the current rules make.
    await deps.db
      .updateTable('person')
      .set({ blocking_keys: ['old:key'] })
      .where('id', 'in', ids)
      .execute();

    const result = await services.people.rekeyPeople(admin, 3);

    assert.equal(result.keyVersion, BLOCKING_KEY_VERSION);
    assert.ok(result.people >= ids.length);
    const rows = await deps.db
      .selectFrom('person')
      .select(['id', 'blocking_keys'])
      .where('id', 'in', ids)
      .execute();
    for (const [i, id] of ids.entries()) {
      const stored = rows.find((r) => r.id === id)!.blocking_keys;
      assert.deepEqual([...stored].sort(), [...blockingKeysOfInput(inputs[i]!)].sort(), `person ${i}`);
    }
    const audit = await auditEvents(deps.db, { action: 'matching.rekey' });
    assert.equal(audit.length, 1);
    assert.equal((audit[0]!.details as { people: number }).people, result.people);
  });
});
