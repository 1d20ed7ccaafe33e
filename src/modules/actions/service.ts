import { type Db, type Trx, transaction } from '../../db/database.ts';
import type { ActionSourceKind } from '../../db/schema/actions.ts';
import { decideOwnedAction, ForbiddenError, grantedScopes } from '../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { ConflictError, type FieldError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import type { Principal } from '../../platform/principal.ts';
import type { DirectoryService } from '../directory/service.ts';
import { type Outbox, referenceFor } from './outbox-port.ts';
import * as repo from './repository.ts';

export const ACTION_CHASE_QUEUE = 'actions.chase-overdue';
export const ACTIONS_PAGE_SIZE = 25;
const CHASE_BATCH = 200;

export interface ActionSource {
  kind: ActionSourceKind;
  id: string;
}

export interface NewAction {
  source: ActionSource;
  /** The area of the meeting it comes from. */
  areaId: string;
  personIds: string[];
  ownerAgencyId: string;
  ownerUserId?: string;
  description: string;
  dueBy: Date;
}

export type { ActionStatus } from './repository.ts';

/** The meeting each kind of source is, for messages and links. */
const SOURCE_LINKS: Record<ActionSourceKind, { prefix: string; path: string; label: string }> = {
  'strategy-discussion': { prefix: 'SD', path: '/strategy-discussions/', label: 'strategy discussion' },
  'marac-case': { prefix: 'MC', path: '/marac/cases/', label: 'MARAC case' },
  'panel-case': { prefix: 'PC', path: '/marac/cases/', label: 'domestic abuse panel case' },
};

function present(row: repo.ActionRow, asOf: Date, agencyNames: ReadonlyMap<string, string>) {
  return {
    id: row.id,
    source: { kind: row.source_kind, id: row.source_id },
    sourceLink: `${SOURCE_LINKS[row.source_kind].path}${row.source_id}`,
    sourceLabel: SOURCE_LINKS[row.source_kind].label,
    personIds: row.person_ids,
    ownerAgencyId: row.owner_agency_id,
    ownerAgencyName: agencyNames.get(row.owner_agency_id) ?? 'Unknown agency',
    ownerUserId: row.owner_user_id,
    description: row.description,
    dueBy: row.due_by,
    status: row.status,
    overdue: row.status === 'open' && row.due_by.getTime() < asOf.getTime(),
    createdBy: row.created_by_name,
    createdAt: row.created_at,
    doneAt: row.done_at,
    doneBy: row.done_by_name,
    doneNote: row.done_note,
    chasedAt: row.chased_at,
  };
}

export type ActionView = ReturnType<typeof present>;

/** What a check or an audit of one action needs of its row (a locked or a listed one). */
type ActionRef = Pick<repo.ActionRow, 'id' | 'owner_agency_id' | 'person_ids'>;

export interface ActionsCollaborators {
  /** The notifications outbox; null until one is built (then nothing is sent, the lists still show). */
  outbox: Outbox | null;
  directory: Pick<DirectoryService, 'agenciesByIds'>;
}

/**
 * Multi-agency actions shared by every kind of meeting: created inside the meeting's transaction,
 * seen and completed only by the agency that owns them, chased once when they fall overdue.
 */
export function actionsService(deps: Deps, { outbox, directory }: ActionsCollaborators) {
  const { db } = deps;

  async function presentAll(rows: readonly repo.ActionRow[], conn: Db | Trx = db) {
    const asOf = deps.now();
    const ids = [...new Set(rows.map((r) => r.owner_agency_id))];
    const agencies = ids.length ? await directory.agenciesByIds(ids, conn) : [];
    const names = new Map(agencies.map((a) => [a.id, a.name]));
    return rows.map((r) => present(r, asOf, names));
  }

  /** Only the owning agency sees or completes an action: the policy decides, a refusal names the action. */
  function assertOwner(principal: Principal, action: 'action:view' | 'action:complete', row: ActionRef) {
    const decision = decideOwnedAction(principal, action, { ownerAgencyId: row.owner_agency_id });
    if (!decision.allowed)
      throw new ForbiddenError(action, decision.reason, {
        type: 'action',
        id: row.id,
        personIds: row.person_ids,
      });
  }

  async function auditAction(trx: Trx, context: AuditContext, action: string, row: ActionRef) {
    await recordAudit(trx, context, {
      action,
      subjectType: 'action',
      subjectId: row.id,
      personIds: row.person_ids,
    });
  }

  async function create(trx: Trx, context: AuditContext, input: NewAction): Promise<{ id: string }> {
    const errors: FieldError[] = [];
    if (!input.description.trim())
      errors.push({ field: 'description', message: 'Enter what the agency is to do' });
    if (Number.isNaN(input.dueBy.getTime()))
      errors.push({ field: 'dueBy', message: 'Enter a real due date' });
    if (errors.length) throw new ValidationError(errors);
    const id = await repo.insertAction(trx, {
      source_kind: input.source.kind,
      source_id: input.source.id,
      area_id: input.areaId,
      person_ids: [...new Set(input.personIds)],
      owner_agency_id: input.ownerAgencyId,
      owner_user_id: input.ownerUserId ?? null,
      description: input.description.trim(),
      due_by: input.dueBy,
      created_by_agency_id: context.principal.agencyId,
      created_by_name: context.principal.name,
    });
    const link = SOURCE_LINKS[input.source.kind];
    await outbox?.enqueue(trx, context, {
      type: 'action.assigned',
      to: { agencyId: input.ownerAgencyId, ...(input.ownerUserId ? { userId: input.ownerUserId } : {}) },
      reference: referenceFor('ACT', id),
      subject: `An action for your agency from a ${link.label}`,
      link: '/actions',
      detail: input.description.trim(),
      dueBy: input.dueBy,
    });
    // The chase is queued with the action, so it exists if and only if the action does.
    await deps.jobs?.enqueue(
      trx,
      ACTION_CHASE_QUEUE,
      { actionId: id },
      { startAfter: input.dueBy, singletonKey: id },
    );
    await recordAudit(trx, context, {
      action: 'action.create',
      subjectType: 'action',
      subjectId: id,
      personIds: input.personIds,
      details: { source: input.source, ownerAgencyId: input.ownerAgencyId },
    });
    return { id };
  }

  /** Chases one action if it is open and overdue and not chased yet; true when it sent a chase. */
  async function chase(context: AuditContext, actionId: string): Promise<boolean> {
    return transaction(db, async (trx) => {
      const action = await repo.lockAction(trx, actionId);
      const now = deps.now();
      if (action?.status !== 'open' || action.chased_at || action.due_by.getTime() > now.getTime())
        return false;
      await repo.markChased(trx, actionId, now);
      const link = SOURCE_LINKS[action.source_kind];
      await outbox?.enqueue(trx, context, {
        type: 'action.overdue',
        to: { agencyId: action.owner_agency_id },
        reference: referenceFor('ACT', actionId),
        subject: `An action from a ${link.label} is overdue`,
        link: '/actions?status=overdue',
        dueBy: action.due_by,
      });
      await auditAction(trx, context, 'action.chase', action);
      return true;
    });
  }

  return {
    create,
    chase,

    /** Every overdue action not yet chased (the job's sweep, and what a test drives). */
    async chaseOverdue(context: AuditContext): Promise<number> {
      let chased = 0;
      const due = await repo.overdueUnchased(db, deps.now(), CHASE_BATCH);
      for (const { id } of due) if (await chase(context, id)) chased += 1;
      return chased;
    },

    async markDone(context: AuditContext, actionId: string, input: { note: string }): Promise<void> {
      await transaction(db, async (trx) => {
        const action = await repo.lockAction(trx, actionId);
        if (!action) throw new NotFoundError('The action');
        assertOwner(context.principal, 'action:complete', action);
        const note = input.note.trim();
        if (!note)
          throw new ValidationError([{ field: 'note', message: 'Enter a note saying what was done' }]);
        if (action.status === 'done') throw new ConflictError('The action is already marked done');
        await repo.markDone(trx, actionId, {
          at: deps.now(),
          userId: context.principal.userId,
          name: context.principal.name,
          note,
        });
        await auditAction(trx, context, 'action.done', action);
      });
    },

    /** Counts for the home page (no person is named, so not audited). */
    async countsFor(principal: Principal) {
      if (!principal.agencyId) return { open: 0, overdue: 0 };
      return repo.countsForAgency(db, principal.agencyId, deps.now());
    },

    /** The signed-in agency's own actions, a page at a time; the read is audited. */
    async forAgency(context: AuditContext, query: { status: repo.ActionStatus; page?: number }) {
      const { principal } = context;
      if (grantedScopes(principal, 'action:view').length === 0 || principal.agencyId === null)
        throw new ForbiddenError('action:view', 'no role held grants action:view', { type: 'action' });
      const page = Math.max(1, query.page ?? 1);
      const asOf = deps.now();
      const { rows, total } = await repo.forAgency(db, principal.agencyId, {
        status: query.status,
        page,
        pageSize: ACTIONS_PAGE_SIZE,
        asOf,
      });
      await recordAudit(db, context, {
        action: 'action.list',
        personIds: [...new Set(rows.flatMap((r) => r.person_ids))],
        details: { status: query.status, page, results: total },
      });
      return { rows: await presentAll(rows), total, page, pageSize: ACTIONS_PAGE_SIZE };
    },

    /**
     * A meeting's actions. The calling module has already decided that the principal may see the
     * meeting (and audits that read); the actions are part of it.
     */
    async forSource(_context: AuditContext, source: ActionSource, conn: Db | Trx = db) {
      return presentAll(await repo.forSource(conn, source), conn);
    },

    /** One action, for the page that completes it; only its owner may see it there. */
    async ownAction(context: AuditContext, actionId: string) {
      const row = await repo.findAction(db, actionId);
      if (!row) throw new NotFoundError('The action');
      assertOwner(context.principal, 'action:view', row);
      return (await presentAll([row]))[0]!;
    },
  };
}

export type ActionsService = ReturnType<typeof actionsService>;
