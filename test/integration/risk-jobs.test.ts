import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { transaction } from '../../src/db/database.ts';
import { referenceFor } from '../../src/modules/actions/index.ts';
import { jobSchemaFor } from '../../src/platform/jobs.ts';
import { overdueDash } from '../helpers/dash-awaited.ts';
import { eventually } from '../helpers/eventually.ts';
import { app, appPerFile, deps, services } from '../helpers/per-file.ts';
import { rowById } from '../helpers/rows.ts';
import { danBody } from './front-door-fixtures.ts';
import { api, apiKeyFor, dashAnswers, household, principalFor } from './risk-helpers.ts';

/** The background side of chronology and risk, on a real job queue (the app registers the workers). */
let family: Awaited<ReturnType<typeof household>>;

appPerFile({ jobs: true }, async () => {
  family = await household(deps, 'northbridge', 1);
});

async function jobs(queue: string, key: string, value: string): Promise<number> {
  const schema = jobSchemaFor(deps.database);
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from ${sql.table(`${schema}.job`)} where name = ${queue} and data->>${key} = ${value}`.execute(
    deps.db,
  );
  return rows[0]!.n;
}

/** The addresses of the rows of one kind, sorted: who was told what. */
const emailsOf = (rows: readonly { kind: string; email: string }[], kind: string) =>
  rows
    .filter((r) => r.kind === kind)
    .map((r) => r.email)
    .sort();

describe('jobs', () => {
  it('re-runs the engine for the child when an event is recorded (risk.reassess)', async () => {
    const csc = api(app, await apiKeyFor(deps, 'northbridge-csc'));
    const response = await csc.post(`/api/v1/people/${family.childId}/events`, {
      type: 'ed-attendance',
      occurredAt: new Date(Date.now() - 86_400_000).toISOString(),
      significance: 'medium',
      summary: 'Attended the emergency department with a head injury.',
    });
    assert.equal(response.statusCode, 201);
    const state = await eventually('the child’s risk state', () =>
      deps.db
        .selectFrom('risk_child_state')
        .selectAll()
        .where('child_person_id', '=', family.childId)
        .executeTakeFirst(),
    );
    assert.ok(['standard', 'medium', 'high'].includes(state.level));
  });

  it('chases an awaited assessment: reminder then escalation, each to the right people', async () => {
    const officer = await principalFor(deps, 'police.officer@harbour.example');
    const contactId = randomUUID();
    const id = await overdueDash(deps.db, services.risk, officer, {
      contactId,
      personIds: [family.parentIds[0]!, family.childId],
      hoursOverdue: 49,
    });
    assert.equal(await jobs('risk.dash-awaited.reminder', 'expectationId', id), 1);
    assert.equal(await jobs('risk.dash-awaited.escalation', 'expectationId', id), 1);
    const done = await eventually('reminder and escalation', async () => {
      const row = await deps.db
        .selectFrom('dash_expectation')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row?.reminded_at && row.escalated_at ? row : null;
    });
    assert.equal(done.status, 'awaited');
    const notices = await deps.db
      .selectFrom('dash_awaited_notice')
      .innerJoin('app_user', 'app_user.id', 'dash_awaited_notice.user_id')
      .select(['dash_awaited_notice.kind', 'app_user.email'])
      .where('expectation_id', '=', id)
      .execute();
    const byKind = (kind: string) => emailsOf(notices, kind);
    assert.deepEqual(byKind('reminder'), ['police.supervisor@harbour.example']);
    assert.ok(byKind('escalation').includes('mash.manager@harbour.example'));
    assert.ok(!notices.some((n) => n.email === 'police.officer@harbour.example'));
    // The same people are sent each message through the outbox, with the reference and link only.
    const sent = await deps.db
      .selectFrom('outbox_message')
      .innerJoin('app_user', 'app_user.id', 'outbox_message.recipient_user_id')
      .select([
        'outbox_message.type',
        'outbox_message.reference',
        'outbox_message.link',
        'outbox_message.subject',
        'outbox_message.person_ids',
        'outbox_message.sensitive_detail',
        'app_user.email',
      ])
      .where('outbox_message.reference', '=', referenceFor('DASH', id))
      .execute();
    const sentOf = (type: string) =>
      emailsOf(
        sent.map((m) => ({ kind: m.type, email: m.email })),
        type,
      );
    assert.deepEqual(sentOf('risk.dash-awaited.reminder'), byKind('reminder'));
    assert.deepEqual(sentOf('risk.dash-awaited.escalation'), byKind('escalation'));
    for (const m of sent) {
      assert.equal(m.link, '/risk/dash-awaited');
      assert.equal(m.sensitive_detail, null);
      assert.deepEqual([...m.person_ids].sort(), [family.parentIds[0]!, family.childId].sort());
    }
  });

  it('writes no expectation and no job when the DAN’s transaction rolls back', async () => {
    const officer = await principalFor(deps, 'police.officer@harbour.example');
    const contactId = randomUUID();
    await assert.rejects(
      transaction(deps.db, async (trx) => {
        await services.risk.expectAssessment(
          trx,
          { principal: officer },
          {
            contactId,
            dueFrom: new Date(),
            supervisorAgencyId: officer.agencyId!,
            personIds: [family.childId],
          },
        );
        throw new Error('the DAN failed to save');
      }),
      /failed to save/,
    );
    const row = await deps.db
      .selectFrom('dash_expectation')
      .select('id')
      .where('contact_id', '=', contactId)
      .executeTakeFirst();
    assert.equal(row, undefined);
  });

  it('attaches the assessment when it arrives and asks the front door to re-screen the contact', async () => {
    const officer = await principalFor(deps, 'police.officer@harbour.example');
    // A real DAN whose DASH is to follow: an assessment may name only a contact that exists and
    // that the caller may see (decision 0008).
    const dan = await services.frontDoor.submitDan(
      { principal: officer },
      danBody({ risk: { dashStatus: 'awaited', officerRiskGrade: 'medium' } } as never, 'NB/26/JOBS-AWAIT'),
    );
    const contactId = dan.body.contactId;
    const victimId = dan.body.people.find((p) => p.role === 'victim')!.personId;
    const id = await transaction(deps.db, (trx) =>
      services.risk.expectAssessment(
        trx,
        { principal: officer },
        {
          contactId,
          dueFrom: new Date(),
          supervisorAgencyId: officer.agencyId!,
          personIds: [victimId],
        },
      ),
    );
    const csc = api(app, await apiKeyFor(deps, 'northbridge-csc'));
    const response = await csc.post('/api/v1/risk-assessments', {
      instrumentId: 'police-dash-2009',
      instrumentVersion: '1',
      victimPersonId: victimId,
      contactId,
      answers: dashAnswers('police-dash-2009', '1', 15),
    });
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(response.json().attachedToAwaited, id);
    const row = await rowById(deps.db, 'dash_expectation', id);
    assert.equal(row.status, 'received');
    assert.equal(row.assessment_id, response.json().id);
    assert.equal(await jobs('front-door.rescreen', 'contactId', contactId), 1);
  });
});
