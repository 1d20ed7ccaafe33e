import type { Trx } from '../../db/database.ts';
import { transaction } from '../../db/database.ts';
import type { MergeMoves } from '../../db/schema/people.ts';
import { assertAllowed, scopeFor } from '../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { auditOnSubject } from '../../platform/audit-subject.ts';
import type { Deps } from '../../platform/deps.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { recordChange } from '../../platform/record-change.ts';
import * as mergeRepo from './merge-repository.ts';
import * as repo from './repository.ts';

interface Core {
  refreshBlockingKeys(trx: Trx, personIds: readonly string[]): Promise<void>;
}

const REASON_MAX = 2000;

function checkReason(reason: string, field = 'reason') {
  if (!reason?.trim()) throw new ValidationError([{ field, message: 'Enter the reason' }]);
  if (reason.length > REASON_MAX)
    throw new ValidationError([{ field, message: `Reason must be ${REASON_MAX} characters or fewer` }]);
}

/**
 * Merge and unmerge. A merge moves every row of the merged record to the survivor and marks the
 * merged record merged_into_id; the person_merge row says exactly which rows moved, so an unmerge
 * moves exactly those back. Other modules' rows (chronology events, contacts) are not moved: they
 * read through merged_into_id, so they follow a merge and an unmerge without being rewritten.
 */
export function mergeService(deps: Deps, core: Core) {
  const { db } = deps;

  async function authoriseFor(context: AuditContext, personIds: readonly string[]) {
    for (const id of personIds) {
      const person = await repo.findPerson(db, id);
      if (!person) throw new NotFoundError('The person');
      assertAllowed(
        context.principal,
        'person:merge',
        { areaId: person.area_id, relationships: [] },
        { type: 'person', id, personIds: [...personIds], areaId: person.area_id },
      );
    }
  }

  async function mergeInTransaction(
    trx: Trx,
    context: AuditContext,
    input: { survivorId: string; mergedId: string; reason: string; reviewId?: string },
  ): Promise<string> {
    const { survivorId, mergedId } = input;
    if (survivorId === mergedId)
      throw new ValidationError([{ field: 'survivorId', message: 'Choose two different records' }]);
    const locked = await mergeRepo.lockPeople(trx, [survivorId, mergedId]);
    const survivor = locked.find((p) => p.id === survivorId);
    const merged = locked.find((p) => p.id === mergedId);
    if (!survivor || !merged) throw new NotFoundError('The person');
    if (survivor.merged_into_id || merged.merged_into_id)
      throw new ConflictError('One of these records has already been merged into another.');
    const { moves: moved, filledValues } = await mergeRepo.moveFacts(trx, mergedId, survivorId);
    moved.repointedMerges = await mergeRepo.markMerged(trx, mergedId, survivorId);
    await core.refreshBlockingKeys(trx, [survivorId]);
    const record = await mergeRepo.insertMerge(trx, {
      area_id: survivor.area_id,
      survivor_id: survivorId,
      merged_id: mergedId,
      review_id: input.reviewId ?? null,
      reason: input.reason.trim(),
      moved: JSON.stringify(moved),
      merged_by_user_id: context.principal.userId,
      merged_by_name: context.principal.name,
    });
    // Every open pair between these two records is settled by the merge.
    await mergeRepo.settleReviews(trx, mergedId, survivorId, {
      status: 'merged',
      at: deps.now(),
      userId: context.principal.userId,
      name: context.principal.name,
      note: input.reason.trim(),
      pendingOnly: true,
    });
    // The change history shows both records: the facts the survivor took, the merged record's end.
    const at = deps.now();
    const change = { entity: 'person', action: 'person.merge', actor: context.principal, at };
    await recordChange(trx, {
      ...change,
      entityId: survivorId,
      personId: survivorId,
      areaId: survivor.area_id,
      before: Object.fromEntries(Object.keys(filledValues).map((f) => [f, null])),
      after: filledValues,
    });
    await recordChange(trx, {
      ...change,
      entityId: mergedId,
      personId: mergedId,
      areaId: merged.area_id,
      before: { merged_into_id: null },
      after: { merged_into_id: survivorId },
    });
    await recordAudit(trx, context, {
      action: 'person.merge',
      subjectType: 'person-merge',
      subjectId: record.id,
      personIds: [survivorId, mergedId, ...moved.repointedMerges],
      areaId: survivor.area_id,
      reason: input.reason.trim(),
      details: {
        survivorId,
        mergedId,
        reviewId: input.reviewId ?? null,
        moved: {
          names: moved.names.length,
          identifiers: moved.identifiers.length,
          addresses: moved.addresses.length,
          contactDetails: moved.contactDetails.length,
          relationships: moved.relationshipsFrom.length + moved.relationshipsTo.length,
          accessRelationships: moved.relationships?.length ?? 0,
          incidentRoles: moved.incidentRoles.length,
          filled: moved.filled,
        },
      },
    });
    return record.id;
  }

  return {
    mergeInTransaction,

    /** Merges mergedId into survivorId: both must be live and within the principal's reach. */
    async mergePeople(
      context: AuditContext,
      input: { survivorId: string; mergedId: string; reason: string; reviewId?: string },
    ): Promise<{ mergeId: string }> {
      await authoriseFor(context, [input.survivorId, input.mergedId]);
      checkReason(input.reason);
      const mergeId = await transaction(db, (trx) => mergeInTransaction(trx, context, input));
      return { mergeId };
    },

    /** Puts back exactly what a merge moved. Later merges of the survivor must be undone first. */
    async unmergePeople(context: AuditContext, mergeId: string, reason: string): Promise<void> {
      const found = await mergeRepo.findMergeRow(db, mergeId);
      if (!found) throw new NotFoundError('The merge');
      await authoriseFor(context, [found.survivor_id, found.merged_id]);
      checkReason(reason);
      await transaction(db, async (trx) => {
        const merge = await mergeRepo.lockMergeRow(trx, mergeId);
        if (merge.unmerged_at) throw new ConflictError('This merge has already been undone.');
        const people = await mergeRepo.lockPeople(trx, [merge.survivor_id, merge.merged_id]);
        const survivor = people.find((p) => p.id === merge.survivor_id)!;
        const merged = people.find((p) => p.id === merge.merged_id)!;
        if (survivor.merged_into_id)
          throw new ConflictError(
            'The surviving record has since been merged into another. Undo that merge first.',
          );
        if (merged.merged_into_id !== merge.survivor_id)
          throw new ConflictError('The merged record is no longer merged into the survivor.');
        const moves = (typeof merge.moved === 'string' ? JSON.parse(merge.moved) : merge.moved) as MergeMoves;
        const before = await repo.findPerson(trx, merge.survivor_id);
        await mergeRepo.moveBack(trx, moves, merge.survivor_id, merge.merged_id);
        await mergeRepo.unmarkMerged(trx, merge.merged_id, moves.repointedMerges);
        await core.refreshBlockingKeys(trx, [merge.survivor_id, merge.merged_id]);
        await mergeRepo.markUnmerged(trx, mergeId, {
          at: deps.now(),
          userId: context.principal.userId,
          name: context.principal.name,
          reason: reason.trim(),
        });
        // A merge undone means the two are not one person: never offer the pair again.
        await mergeRepo.settleReviews(trx, merge.merged_id, merge.survivor_id, {
          status: 'not-same',
          at: deps.now(),
          userId: context.principal.userId,
          name: context.principal.name,
          note: `Unmerged: ${reason.trim()}`,
          pendingOnly: false,
        });
        const at = deps.now();
        const change = { entity: 'person', action: 'person.unmerge', actor: context.principal, at };
        const taken = Object.fromEntries(
          moves.filled.map((f) => [f, before?.[f as keyof typeof before] ?? null]),
        );
        await recordChange(trx, {
          ...change,
          entityId: merge.survivor_id,
          personId: merge.survivor_id,
          areaId: merge.area_id,
          before: taken,
          after: Object.fromEntries(moves.filled.map((f) => [f, null])),
        });
        await recordChange(trx, {
          ...change,
          entityId: merge.merged_id,
          personId: merge.merged_id,
          areaId: merge.area_id,
          before: { merged_into_id: merge.survivor_id },
          after: { merged_into_id: null },
        });
        await recordAudit(trx, context, {
          action: 'person.unmerge',
          subjectType: 'person-merge',
          subjectId: mergeId,
          personIds: [merge.survivor_id, merge.merged_id, ...moves.repointedMerges],
          areaId: merge.area_id,
          reason: reason.trim(),
        });
      });
    },

    /** Every merge the principal may see, newest first. */
    async mergeHistory(context: AuditContext, page: number, pageSize = 20) {
      assertAllowed(context.principal, 'person:merge');
      const scope = scopeFor(context.principal, 'person:merge');
      const result = await repo.mergeHistory(db, scope, page, pageSize);
      await recordAudit(db, context, {
        action: 'person.merge-history',
        personIds: result.rows.flatMap((r) => [r.survivor_id, r.merged_id]),
        details: { page, results: result.total },
      });
      return result;
    },

    /** One merge with exactly what moved. */
    async viewMerge(context: AuditContext, mergeId: string) {
      const merge = await repo.findMerge(db, mergeId);
      if (!merge) throw new NotFoundError('The merge');
      // The merge as a refusal and the audit of the view both name it.
      const subject = {
        type: 'person-merge',
        id: mergeId,
        personIds: [merge.survivor_id, merge.merged_id],
        areaId: merge.area_id,
      };
      assertAllowed(context.principal, 'person:merge', { areaId: merge.area_id }, subject);
      await auditOnSubject(db, context, 'person.merge-view', subject);
      const moved = (typeof merge.moved === 'string' ? JSON.parse(merge.moved) : merge.moved) as MergeMoves;
      return { ...merge, moved };
    },
  };
}
