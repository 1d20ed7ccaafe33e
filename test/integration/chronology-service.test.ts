import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { transaction } from '../../src/db/database.ts';
import type { NewChronologyEvent } from '../../src/modules/chronology/service.ts';
import { ForbiddenError } from '../../src/platform/access.ts';
import { ValidationError } from '../../src/platform/errors.ts';
import type { Principal } from '../../src/platform/principal.ts';
import { buildServices } from '../../src/services.ts';
import { grantAccess } from '../helpers/access-relationship.ts';
import { seededAgencyId } from '../helpers/deps.ts';
import { databasePerFile, deps } from '../helpers/per-file.ts';
import { rowCountWhere } from '../helpers/row-count.ts';
import { rowById, rowWhere } from '../helpers/rows.ts';
import { household, principalFor, putOnSchoolRoll } from './risk-helpers.ts';

let childId: string;
let areaId: string;
let dateOfBirth: string;
let schoolId: string;
let hospitalId: string;
const as: Record<string, Principal> = {};

databasePerFile({}, async () => {
  const child = await household(deps);
  childId = child.childId;
  areaId = child.areaId;
  dateOfBirth = child.dateOfBirth;
  schoolId = await seededAgencyId(deps, 'school-riverside-primary-school');
  hospitalId = await seededAgencyId(deps, 'hospital');
  // The child is a pupil of the demo DSL's school and a patient of the hospital.
  await putOnSchoolRoll(deps, child, schoolId);
  await grantAccess(deps, { personId: childId, agencyId: hospitalId, areaId, basis: 'allocated-worker' });
  for (const [key, email] of Object.entries({
    frontDoor: 'front.door@harbour.example',
    nurse: 'ed.nurse@harbour.example',
    school: 'school.dsl@harbour.example',
    southmere: 'southmere.front.door@harbour.example',
  })) {
    as[key] = await principalFor(deps, email);
  }
});

function event(overrides: Partial<NewChronologyEvent> = {}): NewChronologyEvent {
  return {
    personId: childId,
    areaId,
    type: 'ed-attendance',
    occurredAt: new Date('2025-03-04T21:30:00Z'),
    significance: 'medium',
    summary: 'Attended the emergency department with a cut to the hand.',
    ...overrides,
  };
}

describe('chronology write contract: record()', () => {
  it('writes in the caller’s transaction with the principal’s agency as source, and audits', async () => {
    const service = buildServices(deps).chronology;
    const ids = await transaction(deps.db, (trx) =>
      service.record(trx, { principal: as.nurse! }, [event({ subjectType: 'test', subjectId: 'ed-1' })]),
    );
    assert.equal(ids.length, 1);
    const row = await rowById(deps.db, 'chronology_event', ids[0]!);
    assert.equal(row.source_agency_id, hospitalId);
    assert.equal(row.source_agency_kind, 'acute_trust');
    assert.equal(row.recorded_by_user_id, as.nurse!.userId);
    assert.equal(row.subject_type, 'test');
    assert.equal(row.subject_id, 'ed-1');
    const audit = await rowWhere(deps.db, 'audit_event', {
      action: 'chronology.record',
      subject_id: ids[0]!,
    });
    assert.deepEqual(audit.person_ids, [childId]);
  });

  it('writes nothing when the caller’s transaction rolls back', async () => {
    const service = buildServices(deps).chronology;
    await assert.rejects(
      transaction(deps.db, async (trx) => {
        await service.record(trx, { principal: as.nurse! }, [event({ subjectId: 'rolled-back' })]);
        throw new Error('caller failed later');
      }),
      /caller failed later/,
    );
    assert.equal(await rowCountWhere(deps.db, 'chronology_event', { subject_id: 'rolled-back' }), 0);
  });

  it('refuses an event in the future or before the date of birth, naming the field, and writes nothing', async () => {
    const service = buildServices(deps).chronology;
    deps.setNow(new Date('2025-06-01T12:00:00Z'));
    const before = new Date(`${dateOfBirth}T00:00:00Z`);
    before.setUTCDate(before.getUTCDate() - 2);
    try {
      await assert.rejects(
        transaction(deps.db, (trx) =>
          service.record(trx, { principal: as.nurse! }, [
            event({ occurredAt: new Date('2025-06-02T09:00:00Z'), subjectId: 'bad' }),
            event({ occurredAt: before, subjectId: 'bad' }),
            event({ summary: ' ', subjectId: 'bad' }),
          ]),
        ),
        (error: unknown) => {
          assert.ok(error instanceof ValidationError);
          assert.deepEqual(
            error.errors.map((e) => e.field),
            ['events[2].summary', 'events[0].occurredAt', 'events[1].occurredAt'],
          );
          assert.match(error.errors[2]!.message, /date of birth/);
          return true;
        },
      );
    } finally {
      deps.setNow(new Date());
    }
    assert.equal(await rowCountWhere(deps.db, 'chronology_event', { subject_id: 'bad' }), 0);
  });

  it('accepts a pre-birth event before the date of birth', async () => {
    const service = buildServices(deps).chronology;
    const before = new Date(`${dateOfBirth}T00:00:00Z`);
    before.setUTCMonth(before.getUTCMonth() - 3);
    const ids = await transaction(deps.db, (trx) =>
      service.record(trx, { principal: as.nurse! }, [
        event({ type: 'health-visitor-concern', occurredAt: before, data: { preBirth: true } }),
      ]),
    );
    assert.equal(ids.length, 1);
  });
});

describe('chronology visibility: an event from health is seen by the MASH, not by the school', () => {
  it('shows the MASH every agency’s events, the hospital its health events, the school none of them', async () => {
    const service = buildServices(deps).chronology;
    const [healthId] = await transaction(deps.db, (trx) =>
      service.record(trx, { principal: as.nurse! }, [event({ subjectId: 'visibility' })]),
    );
    const [schoolEventId] = await transaction(deps.db, (trx) =>
      service.record(trx, { principal: as.school! }, [
        event({ type: 'school-concern', summary: 'Arrived hungry and tired.', subjectId: 'visibility' }),
      ]),
    );
    const mash = await service.forPerson({ principal: as.frontDoor! }, childId, { pageSize: 500 });
    const mashIds = mash.events.map((e) => e.id);
    assert.ok(mashIds.includes(healthId!) && mashIds.includes(schoolEventId!));
    assert.equal(mash.partial, false);

    const school = await service.forPerson({ principal: as.school! }, childId, { pageSize: 500 });
    const schoolIds = school.events.map((e) => e.id);
    assert.ok(schoolIds.includes(schoolEventId!));
    assert.ok(!schoolIds.includes(healthId!), 'the school does not see the health event');
    assert.equal(school.partial, true);

    const nurse = await service.forPerson({ principal: as.nurse! }, childId, { pageSize: 500 });
    const nurseIds = nurse.events.map((e) => e.id);
    assert.ok(nurseIds.includes(healthId!));
    assert.ok(!nurseIds.includes(schoolEventId!));
  });

  it('shows an event shared with the school by name', async () => {
    const service = buildServices(deps).chronology;
    const [custodyId] = await transaction(deps.db, (trx) =>
      service.record(trx, { principal: as.nurse! }, [
        event({
          type: 'custody-episode',
          summary: 'Held in custody overnight.',
          sharedWithAgencyIds: [schoolId],
        }),
      ]),
    );
    const school = await service.forPerson({ principal: as.school! }, childId, { pageSize: 500 });
    assert.ok(school.events.some((e) => e.id === custodyId));
  });

  it('refuses another area’s front door, and audits the refusal reason via the error', async () => {
    const service = buildServices(deps).chronology;
    await assert.rejects(service.forPerson({ principal: as.southmere! }, childId), ForbiddenError);
  });

  it('audits each read', async () => {
    const service = buildServices(deps).chronology;
    await service.forPerson({ principal: as.frontDoor! }, childId, { types: ['ed-attendance'] });
    const last = await deps.db
      .selectFrom('audit_event')
      .select(['action', 'actor_name', 'person_ids'])
      .where('action', '=', 'chronology.view')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(last.actor_name, as.frontDoor!.name);
    assert.deepEqual(last.person_ids, [childId]);
  });

  it('filters by type, agency, period and significance', async () => {
    const service = buildServices(deps).chronology;
    const byType = await service.forPerson({ principal: as.frontDoor! }, childId, {
      types: ['school-concern'],
    });
    assert.ok(byType.events.length > 0 && byType.events.every((e) => e.type === 'school-concern'));
    const byAgency = await service.forPerson({ principal: as.frontDoor! }, childId, {
      agencyIds: [hospitalId],
    });
    assert.ok(byAgency.events.every((e) => e.source_agency_id === hospitalId));
    const period = await service.forPerson({ principal: as.frontDoor! }, childId, {
      from: new Date('2025-03-01T00:00:00Z'),
      to: new Date('2025-03-31T00:00:00Z'),
    });
    assert.ok(period.events.length > 0);
    assert.ok(period.events.every((e) => e.occurred_at.getTime() >= Date.parse('2025-03-01T00:00:00Z')));
    const high = await service.forPerson({ principal: as.frontDoor! }, childId, {
      minimumSignificance: 'high',
    });
    assert.ok(high.events.every((e) => e.significance === 'high'));
  });
});
