import { type Trx, transaction } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { SYSTEM_PRINCIPAL } from '../../platform/principal.ts';
import type { Outbox, OutboxMessage } from '../actions/index.ts';
import { RISK_REASSESS_QUEUE } from '../chronology/service.ts';
import type { DirectoryService } from '../directory/service.ts';
import { DASH_ESCALATION_QUEUE, DASH_REMINDER_QUEUE } from '../risk/service.ts';
import { flagRescreen, markContactBreaches, markEnquiryBreaches } from './clock-repository.ts';
import { DEADLINE_QUEUE, RESCREEN_QUEUE, SWEEP_QUEUE } from './job-names.ts';
import * as repo from './repository.ts';

const SYSTEM = { principal: { ...SYSTEM_PRINCIPAL, name: 'Harbour front-door clock' } };

/** Handed in by the composition root: the outbox, and the directory to find the area's MASH managers. */
export interface ClockSenders {
  outbox?: Outbox | null;
  directory?: Pick<DirectoryService, 'agencyIdsServingArea' | 'usersWithRole'>;
}

type Notice = Parameters<typeof repo.notify>[1];

/**
 * Each in-app notice also goes through the outbox, in the same transaction: to each MASH manager
 * of the area (as the notice's audience role does), or to the agency the notice names. The
 * subject is the notice's own text (a contact's reference, no personal data).
 */
async function sendNotice(trx: Trx, senders: ClockSenders, notice: Notice, reference: string) {
  const { outbox, directory } = senders;
  if (!outbox) return;
  const to: OutboxMessage['to'][] = [];
  if (notice.audience_agency_id) to.push({ agencyId: notice.audience_agency_id });
  if (notice.audience_role && directory)
    for (const agencyId of await directory.agencyIdsServingArea(notice.area_id, 'childrens_social_care', trx))
      for (const user of await directory.usersWithRole([agencyId], notice.audience_role, trx))
        to.push({ agencyId, userId: user.id });
  for (const recipient of to)
    await outbox.enqueue(trx, SYSTEM, {
      type: `front-door.${notice.kind}`,
      to: recipient,
      areaId: notice.area_id,
      reference,
      subject: notice.message,
      link: notice.contact_id ? `/front-door/contacts/${notice.contact_id}` : '/front-door',
    });
}

/** Who hears of a missed deadline: the area's MASH managers, or the agency that owes an answer. */
interface DeadlineNotice {
  kind: string;
  to: 'managers' | 'agency';
  message: (reference: string) => string;
}

/** Each kind of deadline the clock watches: the notices a miss sends, and the contact's timeline line. */
const MISSED_DEADLINES = {
  decision: {
    notices: [
      { kind: 'decision-breach', to: 'managers', message: (r) => `${r} has passed its decision deadline.` },
    ],
    summary: 'Decision deadline missed; managers told.',
  },
  screening: {
    notices: [
      { kind: 'screening-breach', to: 'managers', message: (r) => `${r} has not been screened in time.` },
    ],
    summary: 'Screening deadline missed; managers told.',
  },
  enquiry: {
    notices: [
      { kind: 'enquiry-breach', to: 'managers', message: (r) => `An enquiry for ${r} is overdue.` },
      {
        kind: 'enquiry-overdue',
        to: 'agency',
        message: (r) => `Your agency’s answer to the enquiry for ${r} is overdue.`,
      },
    ],
    summary: 'An agency’s enquiry response is overdue.',
  },
} satisfies Record<string, { notices: DeadlineNotice[]; summary: string }>;

/** One missed deadline: on a contact, or on one of its enquiries (owed by an agency). */
interface Missed {
  deadline: keyof typeof MISSED_DEADLINES;
  areaId: string;
  contactId: string;
  reference: string;
  enquiry?: { id: string; agencyId: string };
}

function noticeOf(missed: Missed, notice: DeadlineNotice, now: Date): Notice {
  return {
    area_id: missed.areaId,
    contact_id: missed.contactId,
    ...(missed.enquiry ? { enquiry_id: missed.enquiry.id } : {}),
    kind: notice.kind,
    ...(notice.to === 'managers'
      ? { audience_role: 'mash_manager' }
      : { audience_agency_id: missed.enquiry?.agencyId ?? null }),
    message: notice.message(missed.reference),
    created_at: now,
    dedupe_key: `${notice.kind}:${missed.enquiry?.id ?? missed.contactId}`,
  };
}

async function markMissedOnContacts(
  trx: Trx,
  now: Date,
  deadline: 'decision' | 'screening',
): Promise<Missed[]> {
  const rows = await markContactBreaches(trx, now, deadline);
  return rows.map((c) => ({ deadline, areaId: c.area_id, contactId: c.id, reference: c.reference }));
}

/**
 * The clock's side effects (F2): marks every missed screening, decision and enquiry deadline and
 * tells the area's MASH managers (and, for an enquiry, the agency that owes it) in the app.
 * Idempotent: a deadline is marked once, and each notification has a dedupe key.
 */
export async function markBreaches(deps: Deps, now: Date = deps.now(), senders: ClockSenders = {}) {
  return transaction(deps.db, async (trx) => {
    const decisions = await markMissedOnContacts(trx, now, 'decision');
    const screenings = await markMissedOnContacts(trx, now, 'screening');
    const enquiries = (await markEnquiryBreaches(trx, now)).map(
      (e): Missed => ({
        deadline: 'enquiry',
        areaId: e.area_id,
        contactId: e.contact_id,
        reference: e.reference,
        enquiry: { id: e.id, agencyId: e.agency_id },
      }),
    );
    const missed: Missed[] = [...decisions, ...screenings, ...enquiries];
    for (const m of missed)
      for (const notice of MISSED_DEADLINES[m.deadline].notices) {
        const row = noticeOf(m, notice, now);
        await repo.notify(trx, row);
        await sendNotice(trx, senders, row, m.reference);
      }
    const marked = {
      decisions: decisions.length,
      screenings: screenings.length,
      enquiries: enquiries.length,
    };
    if (missed.length > 0) {
      await repo.addHistory(
        trx,
        missed.map((m) => ({
          area_id: m.areaId,
          contact_id: m.contactId,
          at: now,
          actor_name: SYSTEM.principal.name,
          kind: 'breach',
          summary: MISSED_DEADLINES[m.deadline].summary,
        })),
      );
      await recordAudit(trx, SYSTEM, { action: 'front-door.breaches', details: marked });
    }
    return marked;
  });
}

/** The risk module says a child's picture changed: the open contact is flagged to be screened again. */
export async function requestRescreen(deps: Deps, contactId: string, reason: string) {
  return transaction(deps.db, async (trx) => {
    const now = deps.now();
    const updated = await flagRescreen(trx, contactId, reason, now);
    if (!updated) return false;
    await repo.addHistory(trx, [
      {
        area_id: updated.area_id,
        contact_id: contactId,
        at: now,
        actor_name: SYSTEM.principal.name,
        kind: 'rescreen',
        summary: `Re-screen needed: ${reason}`,
      },
    ]);
    await recordAudit(trx, SYSTEM, {
      action: 'contact.rescreen-requested',
      subjectType: 'contact',
      subjectId: contactId,
      areaId: updated.area_id,
      details: { reason },
    });
    return true;
  });
}

/** Declares every queue an intake feeds (its own, and the chronology and risk ones it reaches), so it can enqueue before workers start. */
export async function defineFrontDoorQueues(deps: Deps): Promise<void> {
  if (!deps.jobs) return;
  for (const queue of [
    DEADLINE_QUEUE,
    SWEEP_QUEUE,
    RESCREEN_QUEUE,
    RISK_REASSESS_QUEUE,
    DASH_REMINDER_QUEUE,
    DASH_ESCALATION_QUEUE,
  ])
    await deps.jobs.define(queue);
}

/** Declares the front door's queues and starts their workers. */
export async function startFrontDoorJobs(deps: Deps, senders: ClockSenders = {}): Promise<void> {
  const jobs = deps.jobs;
  if (!jobs) return;
  await defineFrontDoorQueues(deps);
  await jobs.work(DEADLINE_QUEUE, async () => {
    await markBreaches(deps, deps.now(), senders);
  });
  await jobs.work(SWEEP_QUEUE, async () => {
    await markBreaches(deps, deps.now(), senders);
  });
  await jobs.work<{ contactId: string; reason?: string; level?: string; score?: number }>(
    RESCREEN_QUEUE,
    async (data) => {
      const reason =
        data.reason ??
        (data.level
          ? `a risk assessment was received: ${data.level} risk${data.score !== undefined ? ` (score ${data.score})` : ''}`
          : 'the child’s cumulative risk has changed');
      await requestRescreen(deps, data.contactId, reason);
    },
  );
  // A safety net for deadlines whose job was lost or moved: every five minutes.
  await jobs.boss.schedule(SWEEP_QUEUE, '*/5 * * * *');
}
