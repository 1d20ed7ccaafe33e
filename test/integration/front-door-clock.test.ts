import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { transaction } from '../../src/db/database.ts';
import { markBreaches } from '../../src/modules/front-door/clock-jobs.ts';
import { DEADLINE_QUEUE, RESCREEN_QUEUE } from '../../src/modules/front-door/job-names.ts';
import { jobSchemaFor } from '../../src/platform/jobs.ts';
import type { Principal } from '../../src/platform/principal.ts';
import { buildServices } from '../../src/services.ts';
import { appPerFile, deps } from '../helpers/per-file.ts';
import { rowCount, rowCountWhere } from '../helpers/row-count.ts';
import { rowById, rowsWhere } from '../helpers/rows.ts';
import { danBody, earlyHelpDecision, household } from './front-door-fixtures.ts';

let officer: Principal;
let worker: Principal;
let manager: Principal;

async function principal(email: string) {
  const directory = buildServices(deps).directory;
  return (await directory.principalForUser((await directory.findUserByEmail(email))!.id))!;
}

appPerFile({ jobs: true, now: '2026-03-03T10:00:00Z' }, async () => {
  officer = await principal('police.officer@harbour.example');
  worker = await principal('front.door@harbour.example');
  manager = await principal('mash.manager@harbour.example');
});

const count = (table: 'contact' | 'person' | 'chronology_event' | 'idempotency_record') =>
  rowCount(deps.db, table);

async function jobsFor(contactId: string) {
  const schema = jobSchemaFor(deps.database);
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(`${schema}.job`)}
    where name = ${DEADLINE_QUEUE} and data->>'contactId' = ${contactId}`.execute(deps.db);
  return rows[0]!.n;
}

/** Messages the outbox holds of one type about a contact (their link names it). */
function outboxMessages(type: string, contactId: string) {
  return deps.db
    .selectFrom('outbox_message')
    .selectAll()
    .where('type', '=', type)
    .where('link', '=', `/front-door/contacts/${contactId}`)
    .execute();
}

async function until(check: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a failure between accepting a DAN and queueing its jobs', () => {
  it('loses neither: nothing is written when the enqueue fails, and a retry with the same key succeeds once', async () => {
    const service = buildServices(deps).frontDoor;
    const jobs = deps.jobs!;
    const realEnqueue = jobs.enqueue.bind(jobs);
    const body = danBody({}, 'NB/26/CRASH-1');
    const before = {
      contacts: await count('contact'),
      people: await count('person'),
      events: await count('chronology_event'),
      keys: await count('idempotency_record'),
    };
    let failures = 0;
    (jobs as { enqueue: typeof jobs.enqueue }).enqueue = async (trx, queue, data, options) => {
      if (queue === DEADLINE_QUEUE) {
        failures++;
        throw new Error('job queue unavailable');
      }
      return realEnqueue(trx, queue, data, options);
    };
    try {
      await assert.rejects(
        service.submitDan({ principal: officer }, body, { idempotencyKey: 'crash-key' }),
        /job queue unavailable/,
      );
    } finally {
      (jobs as { enqueue: typeof jobs.enqueue }).enqueue = realEnqueue;
    }
    assert.equal(failures, 1);
    assert.deepEqual(
      {
        contacts: await count('contact'),
        people: await count('person'),
        events: await count('chronology_event'),
        keys: await count('idempotency_record'),
      },
      before,
      'the contact, its people, chronology entries and idempotency key all rolled back',
    );

    const retried = await service.submitDan({ principal: officer }, body, { idempotencyKey: 'crash-key' });
    assert.equal(retried.replayed, false);
    assert.equal(await jobsFor(retried.body.contactId), 2, 'screening and decision deadlines are queued');
    const again = await service.submitDan({ principal: officer }, body, { idempotencyKey: 'crash-key' });
    assert.equal(again.replayed, true);
    assert.equal(again.body.contactId, retried.body.contactId);
    assert.equal(await count('contact'), before.contacts + 1);
  });
});

describe('the clock (F2)', () => {
  it('counts one working day across the Easter bank holidays', async () => {
    deps.setNow(new Date('2026-04-02T15:00:00Z')); // Thursday 2 April 2026, 16:00 BST
    const result = await buildServices(deps).frontDoor.submitDan(
      { principal: officer },
      danBody({}, 'NB/26/EASTER'),
    );
    // Good Friday and Easter Monday are bank holidays: due Tuesday 7 April, 16:00 BST.
    assert.equal(result.body.decisionDueAt, '2026-04-07T15:00:00.000Z');
    deps.setNow(new Date('2026-03-03T10:00:00Z'));
  });

  it('runs a red decision around the clock: 8 hours from a Saturday night', async () => {
    deps.setNow(new Date('2026-03-07T22:30:00Z'));
    const result = await buildServices(deps).frontDoor.submitDan(
      { principal: officer },
      danBody(
        { risk: { dashStatus: 'completed', dashScore: 16, officerRiskGrade: 'high' } },
        'NB/26/RED-SAT',
      ),
    );
    assert.equal(result.body.rag, 'red');
    assert.equal(result.body.decisionDueAt, '2026-03-08T06:30:00.000Z');
    deps.setNow(new Date('2026-03-03T10:00:00Z'));
  });

  it('marks a missed decision deadline once and tells the area’s managers; the deadline job does it', async () => {
    const service = buildServices(deps).frontDoor;
    deps.setNow(new Date('2026-03-03T10:00:00Z'));
    const { body } = await service.submitDan({ principal: officer }, danBody({}, 'NB/26/BREACH-1'));
    deps.setNow(new Date('2026-03-04T10:30:00Z'));
    // The worker runs the deadline job at once here, with the test clock already past the deadline.
    await transaction(deps.db, (trx) =>
      deps.jobs!.enqueue(trx, DEADLINE_QUEUE, { contactId: body.contactId, kind: 'decision' }),
    );
    await until(async () => {
      const c = await rowById(deps.db, 'contact', body.contactId);
      return c.decision_breached_at !== null;
    }, 'the breach to be marked');
    const notices = await service.notificationsFor(manager);
    assert.equal(
      notices.filter((n) => n.contact_id === body.contactId && n.kind === 'decision-breach').length,
      1,
    );
    // The same notice went through the outbox to the area's MASH manager, naming no one.
    const sent = await outboxMessages('front-door.decision-breach', body.contactId);
    assert.ok(sent.some((m) => m.recipient_user_id === manager.userId));
    assert.ok(sent.every((m) => m.reference === body.reference && m.sensitive_detail === null));
    await markBreaches(deps);
    assert.equal((await outboxMessages('front-door.decision-breach', body.contactId)).length, sent.length);
    const again = await service.notificationsFor(manager);
    assert.equal(
      again.filter((n) => n.contact_id === body.contactId && n.kind === 'decision-breach').length,
      1,
      'told once',
    );
    const view = await service.managerView({ principal: manager });
    assert.ok(view.counts.breached >= 1);
    const row = view.open.rows.find((r) => r.id === body.contactId);
    assert.equal(row?.clock.breached, true);
    assert.match(row!.clock.label, /^Overdue by/);
    deps.setNow(new Date('2026-03-03T10:00:00Z'));
  });

  it('shows stuck enquiries by agency to managers, and tells the agency it is late', async () => {
    const service = buildServices(deps).frontDoor;
    deps.setNow(new Date('2026-03-03T10:00:00Z'));
    const { body } = await service.submitDan({ principal: officer }, danBody({}, 'NB/26/STUCK-1'));
    const probation = await buildServices(deps).directory.findAgencyByCode('probation');
    await service.sendEnquiries({ principal: worker }, body.contactId, {
      agencyIds: [probation!.id],
      question: 'Is the suspect known to you?',
    });
    deps.setNow(new Date('2026-03-03T16:30:00Z'));
    const services = buildServices(deps);
    await markBreaches(deps, deps.now(), { outbox: services.notifications, directory: services.directory });
    const toProbation = await outboxMessages('front-door.enquiry-overdue', body.contactId);
    assert.equal(toProbation.length, 1);
    assert.equal(toProbation[0]!.recipient_agency_id, probation!.id);
    assert.equal(toProbation[0]!.recipient_user_id, null);
    const view = await service.managerView({ principal: manager });
    assert.ok(view.stuck.some((s) => s.name === 'Probation Service, Harbourshire' && s.overdue >= 1));
    const probationOfficer = await principal('probation@harbour.example');
    const notices = await service.notificationsFor(probationOfficer);
    assert.ok(notices.some((n) => n.kind === 'enquiry-overdue' && n.contact_id === body.contactId));
    deps.setNow(new Date('2026-03-03T10:00:00Z'));
  });

  it('re-screen signal from the risk module flags the open contact', async () => {
    const service = buildServices(deps).frontDoor;
    const { body } = await service.submitDan(
      { principal: officer },
      danBody({}, 'NB/26/RESCREEN', household(60)),
    );
    await transaction(deps.db, (trx) =>
      deps.jobs!.enqueue(trx, RESCREEN_QUEUE, { contactId: body.contactId, level: 'high', score: 17 }),
    );
    await until(async () => {
      const c = await rowById(deps.db, 'contact', body.contactId);
      return c.rescreen_requested_at !== null;
    }, 'the re-screen flag');
    const view = await service.viewContact({ principal: worker }, body.contactId);
    assert.match(view.contact.rescreen_reason ?? '', /high risk \(score 17\)/);
    await service.screen({ principal: worker }, body.contactId, { rag: 'red', rationale: 'DASH now high.' });
    const screened = await service.viewContact({ principal: worker }, body.contactId);
    assert.equal(screened.contact.rescreen_requested_at, null);
    assert.equal(screened.contact.rag, 'red');
  });

  it('a DAN with the DASH to follow is handed to the risk module to chase (F10)', async () => {
    const { body } = await buildServices(deps).frontDoor.submitDan(
      { principal: officer },
      danBody({ risk: { dashStatus: 'awaited', officerRiskGrade: 'medium' } }, 'NB/26/AWAITED'),
    );
    assert.equal(await rowCountWhere(deps.db, 'dash_expectation', { contact_id: body.contactId }), 1);
  });
});

describe('decisions and sign-off', () => {
  it('needs a manager’s sign-off above the configured level, and records a change with its reason', async () => {
    const service = buildServices(deps).frontDoor;
    const { body } = await service.submitDan({ principal: officer }, danBody({}, 'NB/26/SIGN-1'));
    const decided = await service.decide(
      { principal: worker },
      body.contactId,
      earlyHelpDecision('Targeted early help.', '3'),
    );
    assert.equal(decided.signOffRequired, true);
    await assert.rejects(
      service.signOff({ principal: manager }, body.contactId, { agree: false, reason: '' }),
      (e: Error & { errors?: { field: string }[] }) =>
        ['reason', 'levelOfNeed', 'outcome'].every((f) => e.errors?.some((x) => x.field === f)) ?? false,
    );
    const changed = await service.signOff({ principal: manager }, body.contactId, {
      agree: false,
      reason: 'Third incident this year: needs a child in need assessment.',
      levelOfNeed: '4',
      outcome: 'child-in-need-assessment',
    });
    assert.equal(changed.outcome, 'child-in-need-assessment');
    const view = await service.viewContact({ principal: officer }, body.contactId);
    assert.equal(view.contact.outcome, 'child-in-need-assessment');
    assert.ok(view.contact.feedback_sent_at, 'the referrer is told');
    const events = await rowsWhere(deps.db, 'chronology_event', { subject_type: 'decision' });
    assert.ok(
      events.some(
        (e) => (e.data as { decisionOutcome?: string }).decisionOutcome === 'child-in-need-assessment',
      ),
    );
  });

  it('finalises a decision at or below the level at once and withdraws open enquiries', async () => {
    const service = buildServices(deps).frontDoor;
    const { body } = await service.submitDan({ principal: officer }, danBody({}, 'NB/26/NOSIGN-1'));
    const housing = await buildServices(deps).directory.findAgencyByCode('housing');
    await service.sendEnquiries({ principal: worker }, body.contactId, {
      agencyIds: [housing!.id],
      question: 'Tenancy issues?',
    });
    const decided = await service.decide({ principal: worker }, body.contactId, {
      levelOfNeed: '2',
      outcome: 'early-help',
      rationale: 'Early help offer accepted.',
      feedback: 'Early help will be in touch.',
    });
    assert.equal(decided.signOffRequired, false);
    const enquiries = await rowsWhere(deps.db, 'enquiry', { contact_id: body.contactId });
    assert.deepEqual(
      enquiries.map((e) => e.status),
      ['withdrawn'],
    );
    await assert.rejects(
      service.decide({ principal: worker }, body.contactId, {
        levelOfNeed: '2',
        outcome: 'early-help',
        rationale: 'x',
        feedback: 'y',
      }),
      /no longer open/,
    );
  });
});
