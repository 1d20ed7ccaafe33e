import type { Db, Trx } from '../../db/database.ts';
import type { WorkingCalendar } from '../../domain/calendar.ts';
import type { AuditContext } from '../../platform/audit.ts';
import type { NewAction } from '../actions/index.ts';
import type { ChronologyService } from '../chronology/service.ts';
import type { DirectoryService } from '../directory/service.ts';
import type { PeopleService } from '../people/service.ts';
import type { RiskService } from '../risk/service.ts';

/** The source MARAC gives the shared actions and flags (contracts: actions, flags). */
export type CaseSource = { kind: 'marac-case' | 'panel-case'; id: string };

/** What MARAC reads of an action of a case's plan (reviewed at the next meeting). */
export interface ActionSummary {
  id: string;
  ownerAgencyId: string;
  ownerAgencyName: string;
  description: string;
  dueBy: Date;
  status: 'open' | 'done';
  overdue: boolean;
  doneNote: string | null;
}

/** What MARAC uses of the shared multi-agency actions module. */
export interface ActionsPort {
  create(
    trx: Trx,
    context: AuditContext,
    input: Omit<NewAction, 'source'> & { source: CaseSource },
  ): Promise<{ id: string }>;
  forAgency(
    context: AuditContext,
    query: { status: 'open' | 'done' | 'overdue'; page: number },
  ): Promise<unknown>;
  forSource(context: AuditContext, source: CaseSource, conn?: Db | Trx): Promise<readonly ActionSummary[]>;
}

/** What MARAC uses of the flags module: a person discussed at MARAC carries a MARAC flag. */
export interface FlagsPort {
  raise(
    trx: Trx,
    context: AuditContext,
    input: {
      personId: string;
      type: 'marac';
      start: string;
      review?: string;
      contact: string;
      owningAgencyId: string;
      source?: { kind: string; id: string };
    },
  ): Promise<{ id: string }>;
}

/** What MARAC uses of the outbox: invitations and research requests to each agency's inbox. */
export interface OutboxPort {
  enqueue(
    trx: Trx,
    context: AuditContext,
    message: {
      type: string;
      to: { agencyId: string; userId?: string };
      reference: string;
      subject: string;
      link: string;
      detail?: string;
      dueBy?: Date;
    },
  ): Promise<{ id: string }>;
}

export interface MaracCollaborators {
  people: PeopleService;
  chronology: ChronologyService;
  directory: DirectoryService;
  risk: RiskService;
  calendar: WorkingCalendar;
  /** Absent until the shared modules are in the build; MARAC then records no actions/flags/messages. */
  actions?: ActionsPort;
  flags?: FlagsPort;
  notifications?: OutboxPort;
}
