import type { Trx } from '../../db/database.ts';
import { assertAllowed } from '../../platform/access.ts';
import type { AuditContext } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { ConflictError, NotFoundError } from '../../platform/errors.ts';
import type { NewChronologyEvent } from '../chronology/service.ts';
import { contactResource } from './contact-access.ts';
import { contactPersonRoles, type LockedContact, lockContact } from './contact-repository.ts';
import type { Integrations } from './integrations.ts';
import { DEADLINE_QUEUE, type DeadlineJob } from './job-names.ts';
import { addHistory } from './repository.ts';
import { OPEN_STATUSES } from './vocabulary.ts';

export const TEXT_MAX = 10_000;
export const blank = (value: unknown) => typeof value !== 'string' || value.trim() === '';

/** The steps every action on an open contact starts with: lock it, find its people, check access. */
export function contactSteps(deps: Deps) {
  async function lockedContact(trx: Trx, id: string) {
    const contact = await lockContact(trx, id);
    if (!contact) throw new NotFoundError('The contact');
    return contact;
  }

  async function childIdsOf(trx: Trx, contactId: string) {
    const rows = await contactPersonRoles(trx, contactId);
    return {
      all: rows.map((r) => r.person_id),
      children: rows.filter((r) => r.role === 'child').map((r) => r.person_id),
    };
  }

  /** The contact, locked, once the principal may take `action` on it (access.ts decides). */
  async function authorisedContact(
    trx: Trx,
    context: AuditContext,
    id: string,
    action: 'contact:screen' | 'contact:decide' | 'decision:sign-off',
  ) {
    const contact = await lockedContact(trx, id);
    const people = await childIdsOf(trx, id);
    assertAllowed(context.principal, action, contactResource(contact, [], deps.now()), {
      type: 'contact',
      id,
      personIds: people.all,
      areaId: contact.area_id,
    });
    return { contact, people };
  }

  async function enqueueDeadline(trx: Trx, due: Date, data: DeadlineJob) {
    if (!deps.jobs) return;
    await deps.jobs.enqueue(trx, DEADLINE_QUEUE, data, {
      startAfter: new Date(due.getTime() + 1000),
      singletonKey: `${data.kind}:${data.enquiryId ?? data.contactId}:${due.getTime()}`,
    });
  }

  return {
    lockedContact,
    childIdsOf,
    authorisedContact,
    enqueueDeadline,
    assertOpen,
    addToTimeline,
  };
}

export type ContactSteps = ReturnType<typeof contactSteps>;

export function assertOpen(contact: Pick<LockedContact, 'status' | 'reference'>) {
  if (!(OPEN_STATUSES as readonly string[]).includes(contact.status))
    throw new ConflictError(
      `${contact.reference} is no longer open: its decision has been made or it is a duplicate.`,
    );
}

/** The same event for each child's chronology: a contact's work is recorded on every child. */
export function forEachChild(
  childIds: readonly string[],
  areaId: string,
  event: Omit<NewChronologyEvent, 'personId' | 'areaId'>,
): NewChronologyEvent[] {
  return childIds.map((personId) => ({ ...event, personId, areaId }));
}

/** One line on the contact's timeline, in the name of the person acting. */
export function addToTimeline(
  trx: Trx,
  context: AuditContext,
  contact: { areaId: string; contactId: string; at: Date },
  kind: string,
  summary: string,
) {
  return addHistory(trx, [
    {
      area_id: contact.areaId,
      contact_id: contact.contactId,
      at: contact.at,
      actor_name: context.principal.name,
      kind,
      summary,
    },
  ]);
}

/**
 * A step of a contact's work, recorded where each reader looks for it: the same event on every
 * child's chronology, then one line on the contact's timeline.
 */
export async function recordOnChildren(
  trx: Trx,
  context: AuditContext,
  integrations: Pick<Integrations, 'recordChronology'>,
  step: { childIds: readonly string[]; areaId: string; contactId: string; at: Date },
  event: Omit<NewChronologyEvent, 'personId' | 'areaId' | 'occurredAt'>,
  timeline: { kind: string; summary: string },
) {
  await integrations.recordChronology(
    trx,
    context,
    forEachChild(step.childIds, step.areaId, { ...event, occurredAt: step.at }),
  );
  await addToTimeline(trx, context, step, timeline.kind, timeline.summary);
}
