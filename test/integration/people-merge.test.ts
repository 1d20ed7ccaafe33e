import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { transaction } from '../../src/db/database.ts';
import { syntheticNhsNumber, syntheticUpn } from '../../src/domain/identifiers.ts';
import type { NewPerson, RelationshipKind } from '../../src/modules/people/service.ts';
import { ForbiddenError } from '../../src/platform/access.ts';
import type { AuditContext } from '../../src/platform/audit.ts';
import { ConflictError, ValidationError } from '../../src/platform/errors.ts';
import { auditEvents } from '../helpers/audit-events.ts';
import { areaOfPerson, insertPerson, rowsAboutPerson } from '../helpers/people-fixtures.ts';
import { databasePerFile, deps, services } from '../helpers/per-file.ts';
import { rowById } from '../helpers/rows.ts';
import { seededRandom } from '../helpers/seeded-random.ts';
import { seededContexts } from '../helpers/seeded-users.ts';

const as: Record<string, AuditContext> = {};
const random = seededRandom(7);

databasePerFile({}, async () => {
  Object.assign(as, await seededContexts(services.directory, ['frontDoor', 'manager', 'police', 'school']));
});

const PERSON_TABLES = [
  'person_name',
  'person_identifier',
  'person_address',
  'person_contact_detail',
  'person_incident_role',
] as const;

/** Every row about these people, in a stable order: what "exactly restored" is checked against. */
async function fullRecords(ids: string[]) {
  const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));
  const out: Record<string, unknown> = {
    person: byId(await deps.db.selectFrom('person').selectAll().where('id', 'in', ids).execute()),
    person_relationship: byId(
      await deps.db
        .selectFrom('person_relationship')
        .selectAll()
        .where((eb) => eb.or([eb('person_id', 'in', ids), eb('related_person_id', 'in', ids)]))
        .execute(),
    ),
    access_relationship: byId(
      await deps.db.selectFrom('access_relationship').selectAll().where('person_id', 'in', ids).execute(),
    ),
  };
  for (const table of PERSON_TABLES)
    out[table] = byId((await Promise.all(ids.map((id) => rowsAboutPerson(deps.db, table, id)))).flat());
  return out;
}

/** Who a record says someone is: the facts each record here starts from. */
function identity(kind: NewPerson['kind'], givenName: string, familyName: string, dateOfBirth: string) {
  return { kind, givenName, familyName, dateOfBirth } satisfies Partial<NewPerson>;
}

/** Records a person as `ctx` would; the new record's id. */
async function recorded(ctx: AuditContext, input: NewPerson): Promise<string> {
  return (await insertPerson(deps.db, services.people, ctx, input)).id;
}

describe('merge and unmerge', () => {
  const nhs = syntheticNhsNumber(random);
  // The school's record of the child (b) and the address it, the police's record and the parent share.
  const toby = identity('child', 'Toby', 'Wetherell-Akande', '2016-12-09');
  const quarryRoad = { line1: '9 Quarry Road', postcode: 'NB2 5XL' };
  let a: string;
  let b: string;
  let c: string;
  let parent: string;
  let mergeId: string;
  let original: Record<string, unknown>;

  before(async () => {
    const { people } = services;
    a = await recorded(as.frontDoor!, {
      ...identity('child', 'Tobias', 'Wetherell', '2016-09-12'),
      sex: 'male',
      identifiers: [{ scheme: 'nhs', value: nhs }],
      addresses: [{ line1: '3 Marsh Lane', postcode: 'NB3 2PQ', fromDate: '2020-01-01' }],
      otherNames: [{ givenName: 'Toby', familyName: 'Wetherell', kind: 'alias' }],
    });
    b = await recorded(as.school!, {
      ...toby,
      ethnicity: 'MWBA',
      identifiers: [
        { scheme: 'nhs', value: nhs },
        { scheme: 'upn', value: syntheticUpn(random) },
      ],
      addresses: [{ ...quarryRoad, fromDate: '2024-09-01' }],
      contactDetails: [{ kind: 'phone', value: '01632 960123' }],
      areaId: await areaOfPerson(deps.db, a),
    });
    // The MASH records that the child is on the school's roll (a school cannot grant itself that).
    await deps.db
      .insertInto('access_relationship')
      .values({
        person_id: b,
        agency_id: as.school!.principal.agencyId!,
        area_id: await areaOfPerson(deps.db, b),
        basis: 'school-on-roll',
        granted_by_name: 'MASH',
      })
      .execute();
    c = await recorded(as.police!, {
      ...identity('child', 'Tobi', 'Wetherel', '2016-09-12'),
      addresses: [quarryRoad],
    });
    parent = await recorded(as.frontDoor!, {
      ...identity('adult', 'Marcia', 'Akande', '1988-02-02'),
      addresses: [quarryRoad],
    });
    const areaId = await areaOfPerson(deps.db, b);
    await transaction(deps.db, async (trx) => {
      const relate = (personId: string, relatedPersonId: string, kind: RelationshipKind) =>
        people.addRelationship(trx, as.school!, { personId, relatedPersonId, kind, areaId });
      await relate(b, parent, 'parent');
      await relate(parent, b, 'child');
      // A mistaken relationship between the two records of one child: it cannot move, and is kept.
      await relate(b, a, 'sibling');
      await people.recordIncidentRole(trx, as.police!, {
        personId: b,
        incidentReference: 'HP/2026/001234',
        role: 'child-in-household',
        occurredOn: '2026-01-03',
      });
    });
    // c was merged into b earlier: after b merges into a, c must follow to a (one level).
    await people.mergePeople(as.manager!, {
      survivorId: b,
      mergedId: c,
      reason: 'Same child, police spelling',
    });
    await services.chronology.recordForPerson(as.frontDoor!, b, {
      type: 'contact',
      occurredAt: new Date('2026-01-04T10:00:00Z'),
      significance: 'medium',
      summary: 'School raised a concern after the incident',
    });
    original = await fullRecords([a, b, c, parent]);
  });

  it('refuses a merge to someone without the merge permission, and needs a reason', async () => {
    const { people } = services;
    await assert.rejects(
      people.mergePeople(as.police!, { survivorId: a, mergedId: b, reason: 'x' }),
      ForbiddenError,
    );
    await assert.rejects(
      people.mergePeople(as.manager!, { survivorId: a, mergedId: b, reason: ' ' }),
      ValidationError,
    );
    assert.deepEqual(await fullRecords([a, b, c, parent]), original, 'nothing changed');
  });

  it('moves every alias, identifier, address, relationship, agency link and role to the survivor, keeping provenance', async () => {
    const { people } = services;
    ({ mergeId } = await people.mergePeople(as.manager!, {
      survivorId: a,
      mergedId: b,
      reason: 'Same NHS number; school record of the same child',
    }));
    const persons = await deps.db.selectFrom('person').selectAll().where('id', 'in', [a, b, c]).execute();
    const byId = new Map(persons.map((p) => [p.id, p]));
    assert.equal(byId.get(b)!.merged_into_id, a);
    assert.equal(byId.get(c)!.merged_into_id, a, 'an earlier merge follows to the survivor');
    assert.equal(byId.get(a)!.ethnicity, 'MWBA', 'an empty fact is filled from the merged record');
    assert.equal(byId.get(a)!.field_sources.ethnicity?.agencyId, as.school!.principal.agencyId);

    const names = await rowsAboutPerson(deps.db, 'person_name', a);
    assert.ok(
      names.some(
        (x) => x.given_name === 'Toby' && x.family_name === 'Wetherell-Akande' && x.kind === 'alias',
      ),
      'the merged record’s name becomes an alias',
    );
    assert.ok(
      names.some((x) => x.source_agency_id === as.school!.principal.agencyId),
      'provenance kept',
    );
    const ids = await rowsAboutPerson(deps.db, 'person_identifier', a);
    assert.deepEqual(ids.map((i) => i.scheme).sort(), ['nhs', 'upn']);
    const addresses = await rowsAboutPerson(deps.db, 'person_address', a);
    // The school's and (through the earlier merge) the police's record of the same address both move.
    assert.deepEqual(addresses.map((x) => x.postcode).sort(), ['NB2 5XL', 'NB2 5XL', 'NB3 2PQ']);
    const rels = await deps.db
      .selectFrom('person_relationship')
      .select(['person_id', 'related_person_id', 'kind'])
      .where((eb) => eb.or([eb('person_id', '=', parent), eb('related_person_id', '=', parent)]))
      .execute();
    assert.ok(rels.some((r) => r.person_id === a && r.kind === 'parent'));
    assert.ok(rels.some((r) => r.related_person_id === a && r.kind === 'child'));
    const links = await rowsAboutPerson(deps.db, 'access_relationship', a);
    assert.ok(
      links.some((l) => l.basis === 'school-on-roll'),
      'the school keeps its need-to-know link',
    );
    const roles = await rowsAboutPerson(deps.db, 'person_incident_role', a);
    assert.equal(roles.length, 1);

    const merge = await people.viewMerge(as.manager!, mergeId);
    assert.equal(merge.moved.identifiers.length, 1, 'the UPN moved');
    assert.equal(
      merge.moved.kept.identifiers.length,
      1,
      'the NHS number both held stayed on the merged record',
    );
    assert.equal(merge.moved.kept.relationships.length, 1, 'the relationship between the two stayed');
    assert.deepEqual(merge.moved.repointedMerges, [c]);
    const survivor = byId.get(a)!;
    assert.ok(
      survivor.blocking_keys.some((k) => k.startsWith('upn:')),
      'keys cover the moved facts',
    );
  });

  it('lets the chronology follow the merged person', async () => {
    const chronology = await services.chronology.forPerson(as.frontDoor!, a);
    assert.ok(chronology.events.some((e) => e.summary === 'School raised a concern after the incident'));
  });

  it('no longer offers the merged record as a candidate', async () => {
    const matches = await services.people.findMatches(deps.db, { ...toby, addresses: [quarryRoad] });
    assert.ok(matches.length > 0);
    assert.ok(matches.every((m) => m.personId !== b && m.personId !== c));
    assert.equal(matches[0]!.personId, a);
  });

  it('refuses to merge a record that is already merged', async () => {
    await assert.rejects(
      services.people.mergePeople(as.manager!, { survivorId: parent, mergedId: b, reason: 'x' }),
      ConflictError,
    );
  });

  it('unmerges exactly: every row of every record is as it was before the merge', async () => {
    const { people } = services;
    await people.unmergePeople(as.manager!, mergeId, 'Checked with the school: wrong child');
    assert.deepEqual(await fullRecords([a, b, c, parent]), original);
    const chronology = await services.chronology.forPerson(as.frontDoor!, a);
    assert.ok(chronology.events.every((e) => e.summary !== 'School raised a concern after the incident'));
    await assert.rejects(people.unmergePeople(as.manager!, mergeId, 'again'), ConflictError);
    const audit = await auditEvents(deps.db, { subjectId: mergeId });
    assert.deepEqual(
      audit.map((e) => e.action),
      ['person.merge', 'person.merge-view', 'person.unmerge'],
    );
    const history = await people.mergeHistory(as.manager!, 1);
    const row = history.rows.find((r) => r.id === mergeId);
    assert.ok(row?.unmerged_at, 'the history shows the merge and its undoing');
  });

  it('unmerges in reverse order only', async () => {
    const { people } = services;
    const { mergeId: second } = await people.mergePeople(as.manager!, {
      survivorId: a,
      mergedId: b,
      reason: 'Merged again for the test',
    });
    const first = (await people.mergeHistory(as.manager!, 1)).rows.find(
      (r) => r.survivor_id === b && r.merged_id === c,
    )!;
    await assert.rejects(people.unmergePeople(as.manager!, first.id, 'out of order'), ConflictError);
    await people.unmergePeople(as.manager!, second, 'undo');
    await people.unmergePeople(as.manager!, first.id, 'now in order');
    const cRow = await rowById(deps.db, 'person', c);
    assert.equal(cRow.merged_into_id, null);
  });
});
