import type { Trx } from '../../db/database.ts';
import type { AuditContext } from '../../platform/audit.ts';
import { type Principal, SYSTEM_PRINCIPAL } from '../../platform/principal.ts';
import type { OutboxMessage } from '../actions/index.ts';
import type { ChronologyService } from '../chronology/service.ts';
import type { DirectoryService } from '../directory/service.ts';
import type { PeopleService } from '../people/service.ts';
import type * as repo from './repository.ts';

/** Queues: release a notice held for review in time; escalate one left unacknowledged. */
export const ENCOMPASS_RELEASE_QUEUE = 'encompass.release';
export const ENCOMPASS_ESCALATION_QUEUE = 'encompass.escalate';

/**
 * The outbox message an Encompass notice sends: the reference and the link in the message, the
 * child's name and what happened only in `sensitiveDetail`, which a channel carries only where it
 * is configured as secure. Structurally the outbox's message with that field added.
 */
export interface EncompassOutboxMessage extends OutboxMessage {
  sensitiveDetail?: string;
}

export interface EncompassOutbox {
  enqueue(trx: Trx, context: AuditContext, message: EncompassOutboxMessage): Promise<{ id: string }>;
}

export interface EncompassCollaborators {
  directory: DirectoryService;
  people: PeopleService;
  chronology: ChronologyService;
  outbox: EncompassOutbox | null;
}

/** One child of a DAN, as the front door hands it over in the intake transaction. */
export interface DanChildForNotice {
  personId: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  unborn: boolean;
  homeEducated: boolean;
  /** The school the DAN names: a Harbour school agency, or by name only (outside the partnership). */
  schoolAgencyId: string | null;
  schoolNamedOutside: boolean;
  present: boolean;
  witnessed: boolean;
  injured: boolean;
  childSaid: string | null;
}

export interface DanForNotices {
  contactId: string;
  areaId: string;
  policeReference: string;
  occurredAt: Date;
  place: string;
  circumstances: string;
  children: DanChildForNotice[];
}

export interface CreatedNotice {
  id: string;
  schoolAgencyId: string | 'local-authority';
  dueBy: string;
}

export interface AcknowledgementInput {
  actionTaken: string;
  supportOffered: boolean;
  loggedOnSchoolSystem: boolean;
}

export interface EpisodeInput {
  personId: string;
  kind: 'custody' | 'missing';
  policeReference: string;
  occurredAt: string;
  place: string;
  summary: string;
}

export type NoticeRow = NonNullable<Awaited<ReturnType<typeof repo.findNotice>>>;

export const MINUTE = 60_000;
export const TEXT_MAX = 4000;

/** Jobs act as the system: escalations and releases are audited as such. */
export const JOBS_PRINCIPAL: Principal = { ...SYSTEM_PRINCIPAL, name: 'Harbour (Operation Encompass jobs)' };

export function trimmed(value: string | undefined | null): string {
  return (value ?? '').trim();
}
