import { type Trx, transaction } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { SYSTEM_PRINCIPAL } from '../../platform/principal.ts';
import type { Outbox, OutboxMessage } from '../actions/index.ts';
import { RISK_REASSESS_QUEUE } from '../chronology/service.ts';
import type { DirectoryService } from '../directory/service.ts';
import { DASH_ESCALATION_QUEUE, DASH_REMINDER_QUEUE } from '../risk/service.ts';
import {
  flagRescreen,
  markDecisionBreaches,
  markEnquiryBreaches,
  markScreeningBreaches,
} from './clock-repository.ts';
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

/**
 * The clock's side effects (F2): marks every missed screening, decision and enquiry deadline and
 * tells the area's MASH managers (and, for an enquiry, the agency that owes it) in the app.
 * Idempotent: a deadline is marked once, and each notification has a dedupe key.
 */
export async function markBreaches(deps: Deps, now: Date = deps.now(), senders: ClockSenders = {}) {
  return transaction(deps.db, async (trx) => {
    const notify = async (notice: Notice, reference: string) => {
      await repo.notify(trx, notice);
      await sendNotice(trx, senders, notice, reference);
    };
    const decisions = await markDecisionBreaches(trx, now);
    const screenings = await markScreeningBreaches(trx, now);
    const enquiries = await markEnquiryBreaches(trx, now);
    for (const c of decisions)
      await notify(
        {
          area_id: c.area_id,
          contact_id: c.id,
          kind: 'decision-breach',
          audience_role: 'mash_manager',
          message: `${c.reference} has passed its decision deadline.`,
          created_at: now,
          dedupe_key: `decision-breach:${c.id}`,
        },
        c.reference,
      );
    for (const c of screenings)
      await notify(
        {
          area_id: c.area_id,
          contact_id: c.id,
          kind: 'screening-breach',
          audience_role: 'mash_manager',
          message: `${c.reference} has not been screened in time.`,
          created_at: now,
          dedupe_key: `screening-breach:${c.id}`,
        },
        c.reference,
      );
    for (const e of enquiries) {
      await notify(
        {
          area_id: e.area_id,
          contact_id: e.contact_id,
          enquiry_id: e.id,
          kind: 'enquiry-breach',
          audience_role: 'mash_manager',
          message: `An enquiry for ${e.reference} is overdue.`,
          created_at: now,
          dedupe_key: `enquiry-breach:${e.id}`,
        },
        e.reference,
      );
      await notify(
        {
          area_id: e.area_id,
          contact_id: e.contact_id,
          enquiry_id: e.id,
          kind: 'enquiry-overdue',
          audience_agency_id: e.agency_id,
          message: `Your agency’s answer to the enquiry for ${e.reference} is overdue.`,
          created_at: now,
          dedupe_key: `enquiry-overdue:${e.id}`,
        },
        e.reference,
      );
    }
    const marked = {
      decisions: decisions.length,
      screenings: screenings.length,
      enquiries: enquiries.length,
    };
    if (decisions.length + screenings.length + enquiries.length > 0) {
      await repo.addHistory(trx, [
        ...decisions.map((c) => ({
          area_id: c.area_id,
          contact_id: c.id,
          at: now,
          actor_name: SYSTEM.principal.name,
          kind: 'breach',
          summary: 'Decision deadline missed; managers told.',
        })),
        ...screenings.map((c) => ({
          area_id: c.area_id,
          contact_id: c.id,
          at: now,
          actor_name: SYSTEM.principal.name,
          kind: 'breach',
          summary: 'Screening deadline missed; managers told.',
        })),
        ...enquiries.map((e) => ({
          area_id: e.area_id,
          contact_id: e.contact_id,
          at: now,
          actor_name: SYSTEM.principal.name,
          kind: 'breach',
          summary: 'An agency’s enquiry response is overdue.',
        })),
      ]);
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
