import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { transaction } from '../../src/db/database.ts';
import { frontDoorConfig } from '../../src/modules/front-door/settings.ts';
import type { HealthMessage, HealthOutbox } from '../../src/modules/health/outbox.ts';
import { safeguardingCheckService } from '../../src/modules/health/safeguarding-checks.ts';
import { healthService } from '../../src/modules/health/service.ts';
import type { AuditContext } from '../../src/platform/audit.ts';
import { grantAccess } from '../helpers/access-relationship.ts';
import { latestAuditDetails } from '../helpers/audit-events.ts';
import { setNhsNumber, unusedNhsNumbers } from '../helpers/nhs-numbers.ts';
import { databasePerFile, deps, services } from '../helpers/per-file.ts';
import { rowCountWhere } from '../helpers/row-count.ts';
import { household } from './risk-helpers.ts';

let family: Awaited<ReturnType<typeof household>>;
let childNhs: string;

/** An outbox that keeps what it is given (or fails, to show the caller's transaction undone). */
function recordingOutbox(fail = false) {
  const sent: { message: HealthMessage }[] = [];
  const outbox: HealthOutbox = {
    async enqueue(_trx, _context, message) {
      if (fail) throw new Error('the outbox is unavailable');
      sent.push({ message });
      return { id: `message-${sent.length}` };
    },
  };
  return { outbox, sent };
}

async function contextOf(email: string): Promise<AuditContext> {
  const user = await services.directory.findUserByEmail(email);
  return { principal: (await services.directory.principalForUser(user!.id))! };
}

const health = (outbox: HealthOutbox) =>
  healthService(deps, {
    people: services.people,
    chronology: services.chronology,
    directory: services.directory,
    flags: services.flags,
    outbox,
  });

const personalData = (message: HealthMessage, words: readonly string[]) =>
  [message.subject, message.reference, message.link, message.detail ?? ''].some((text) =>
    words.some((w) => text.includes(w)),
  );

databasePerFile({}, async () => {
  family = await household(deps, 'northbridge', 4);
  [childNhs] = (await unusedNhsNumbers(deps, 1, 99)) as [string];
  await setNhsNumber(deps, family.childId, childNhs);
});

describe('health notices go through the outbox, in the same transaction as their audit event', () => {
  it('an ED lookup enqueues a message to the MASH: a reference and a link, personal details only in sensitiveDetail', async () => {
    const { outbox, sent } = recordingOutbox();
    const nurse = await contextOf('ed.nurse@harbour.example');
    const result = await health(outbox).lookup(nurse, childNhs, { channel: 'ed-view' });
    assert.equal(result.answer, 'known-no-flags');
    assert.equal(sent.length, 1);
    const { message } = sent[0]!;
    assert.equal(message.type, 'health.ed-attendance');
    assert.match(message.reference, /^ED-[0-9A-F]{6}$/);
    assert.equal(message.link, `/people/${family.childId}`);
    const mash = await services.directory.agencyIdsServingArea(family.areaId, 'childrens_social_care');
    assert.ok(mash.includes(message.to.agencyId));
    const person = (await services.people.peopleByIds([family.childId]))[0]!;
    assert.equal(personalData(message, [person.given_name, person.family_name, childNhs]), false);
    assert.match(message.sensitiveDetail ?? '', /Looked up at/);
    const details = await latestAuditDetails(deps.db, 'health.ed-attendance.notify');
    assert.equal(details.link, `/people/${family.childId}`, 'the audit event is kept');
    assert.deepEqual(details.to, [message.to.agencyId]);
  });

  it('an outbox that fails undoes the lookup’s attendance: one transaction', async () => {
    const nurse = await contextOf('ed.nurse@harbour.example');
    const count = () =>
      rowCountWhere(deps.db, 'chronology_event', { person_id: family.childId, type: 'ed-attendance' });
    const before = await count();
    await assert.rejects(
      health(recordingOutbox(true).outbox).lookup(nurse, childNhs, { channel: 'ed-view' }),
      /outbox is unavailable/,
    );
    assert.equal(await count(), before);
  });

  it('asking the holder of a DASH assessment enqueues a message to the holder', async () => {
    const mother = family.parentIds[0]!;
    const police = await contextOf('police.officer@harbour.example');
    const [eventId] = await transaction(deps.db, (trx) =>
      services.chronology.record(trx, police, [
        {
          personId: mother,
          areaId: family.areaId,
          type: 'risk-assessment',
          occurredAt: new Date('2026-01-05T10:00:00Z'),
          significance: 'high',
          summary: 'DASH risk assessment',
        },
      ]),
    );
    const adult = await contextOf('adult.services@harbour.example');
    await grantAccess(deps, {
      personId: mother,
      agencyId: adult.principal.agencyId!,
      areaId: family.areaId,
      basis: 'allocated-worker',
    });
    const { outbox, sent } = recordingOutbox();
    await health(outbox).askHolder(adult, mother, eventId!);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.message.type, 'health.ask-holder');
    assert.equal(sent[0]!.message.to.agencyId, police.principal.agencyId);
    assert.match(sent[0]!.message.subject, /DASH risk assessment/);
    assert.equal(sent[0]!.message.link, `/people/${mother}`);
  });

  it('a safeguarding check unanswered after its due day is escalated to the force’s inbox', async () => {
    const probation = await contextOf('probation@harbour.example');
    const { outbox, sent } = recordingOutbox();
    const built = (now: () => Date) =>
      safeguardingCheckService(
        { ...deps, now },
        {
          people: services.people,
          chronology: services.chronology,
          directory: services.directory,
          calendar: frontDoorConfig(deps).calendar,
          outbox,
        },
      );
    const asked = await built(() => new Date('2026-03-02T10:00:00Z')).request(probation, {
      personId: family.parentIds[1] ?? family.parentIds[0]!,
      courtDate: '2026-03-20',
    });
    assert.equal(
      await built(() => new Date('2026-03-05T10:00:00Z')).escalate(asked.id),
      false,
      'not yet due',
    );
    assert.equal(sent.length, 0);
    assert.equal(await built(() => new Date('2026-03-19T10:00:00Z')).escalate(asked.id), true);
    assert.equal(sent.length, 1);
    const { message } = sent[0]!;
    assert.equal(message.type, 'safeguarding-check.escalated');
    assert.match(message.reference, /^SGC-[0-9A-F]{6}$/);
    assert.equal(message.link, '/safeguarding-checks');
  });
});
