import type { Trx } from '../../db/database.ts';
import { transaction } from '../../db/database.ts';
import type { MergeMoves, PersonTable } from '../../db/schema/people.ts';
import { assertAllowed, scopeFor } from '../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import * as repo from './repository.ts';

interface Core {
  refreshBlockingKeys(trx: Trx, personIds: readonly string[]): Promise<void>;
}

/** Single-valued facts a survivor takes from the merged record when it has none of its own. */
const FILLABLE = [
  'date_of_birth',
  'expected_date',
  'sex',
  'gender',
  'ethnicity',
  'language',
  'disability',
  'preferred_name',
  'nhs_number',
] as const satisfies readonly (keyof PersonTable)[];

const REASON_MAX = 2000;

const LINK_BASES: Record<string, 'school-on-roll' | 'registered-gp' | 'health-visitor'> = {
  pupil: 'school-on-roll',
  'gp-registered': 'registered-gp',
  'health-visiting': 'health-visitor',
};

function checkReason(reason: string, field = 'reason') {
  if (!reason?.trim()) throw new ValidationError([{ field, message: 'Enter the reason' }]);
  if (reason.length > REASON_MAX)
    throw new ValidationError([{ field, message: `Reason must be ${REASON_MAX} characters or fewer` }]);
}

async function ids(query: Promise<{ id: string }[]>): Promise<string[]> {
  return (await query).map((r) => r.id);
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

  async function moveFacts(trx: Trx, from: string, to: string): Promise<MergeMoves> {
    const survivor = await trx
      .selectFrom('person')
      .selectAll()
      .where('id', '=', to)
      .executeTakeFirstOrThrow();
    const merged = await trx
      .selectFrom('person')
      .selectAll()
      .where('id', '=', from)
      .executeTakeFirstOrThrow();

    const renamedCurrent = await ids(
      trx
        .updateTable('person_name')
        .set({ kind: 'alias' })
        .where('person_id', '=', from)
        .where('kind', '=', 'current')
        .returning('id')
        .execute(),
    );
    const names = await ids(
      trx
        .updateTable('person_name')
        .set({ person_id: to })
        .where('person_id', '=', from)
        .returning('id')
        .execute(),
    );

    const held = await trx
      .selectFrom('person_identifier')
      .select(['scheme', 'value'])
      .where('person_id', '=', to)
      .execute();
    const heldIds = new Set(held.map((h) => `${h.scheme}:${h.value}`));
    const theirs = await trx
      .selectFrom('person_identifier')
      .select(['id', 'scheme', 'value'])
      .where('person_id', '=', from)
      .execute();
    const movable = theirs.filter((i) => !heldIds.has(`${i.scheme}:${i.value}`)).map((i) => i.id);
    const keptIdentifiers = theirs.filter((i) => heldIds.has(`${i.scheme}:${i.value}`)).map((i) => i.id);
    if (movable.length)
      await trx.updateTable('person_identifier').set({ person_id: to }).where('id', 'in', movable).execute();

    const move = (table: 'person_address' | 'person_contact_detail' | 'person_incident_role') =>
      ids(
        trx.updateTable(table).set({ person_id: to }).where('person_id', '=', from).returning('id').execute(),
      );
    const addresses = await move('person_address');
    const contactDetails = await move('person_contact_detail');
    const incidentRoles = await move('person_incident_role');

    const between = await ids(
      trx
        .selectFrom('person_relationship')
        .select('id')
        .where((eb) =>
          eb.or([
            eb.and([eb('person_id', '=', from), eb('related_person_id', '=', to)]),
            eb.and([eb('person_id', '=', to), eb('related_person_id', '=', from)]),
          ]),
        )
        .execute(),
    );
    const relationshipsFrom = await ids(
      trx
        .updateTable('person_relationship')
        .set({ person_id: to })
        .where('person_id', '=', from)
        .where('related_person_id', '<>', to)
        .returning('id')
        .execute(),
    );
    const relationshipsTo = await ids(
      trx
        .updateTable('person_relationship')
        .set({ related_person_id: to })
        .where('related_person_id', '=', from)
        .where('person_id', '<>', to)
        .returning('id')
        .execute(),
    );

    // Relationships move with the record; one the survivor already holds stays on the merged record.
    const key = (r: {
      agency_id: string;
      basis: string;
      contact_id: string | null;
      episode_id: string | null;
    }) => `${r.agency_id}:${r.basis}:${r.contact_id}:${r.episode_id}`;
    const heldRelationships = new Set(
      (
        await trx
          .selectFrom('access_relationship')
          .select(['agency_id', 'basis', 'contact_id', 'episode_id'])
          .where('person_id', '=', to)
          .execute()
      ).map(key),
    );
    const theirRelationships = await trx
      .selectFrom('access_relationship')
      .select(['id', 'agency_id', 'basis', 'contact_id', 'episode_id'])
      .where('person_id', '=', from)
      .execute();
    const relationships = theirRelationships.filter((r) => !heldRelationships.has(key(r))).map((r) => r.id);
    if (relationships.length)
      await trx
        .updateTable('access_relationship')
        .set({ person_id: to })
        .where('id', 'in', relationships)
        .execute();

    const filled: string[] = [];
    const update: Record<string, unknown> = {};
    const sources = { ...survivor.field_sources };
    for (const field of FILLABLE) {
      if (survivor[field] === null && merged[field] !== null) {
        filled.push(field);
        update[field] = merged[field];
        sources[field] = merged.field_sources[field] ?? {
          agencyId: merged.created_by_agency_id,
          at: new Date(merged.created_at).toISOString(),
        };
      }
    }
    if (filled.length)
      await trx
        .updateTable('person')
        .set({ ...update, field_sources: JSON.stringify(sources) })
        .where('id', '=', to)
        .execute();

    return {
      names,
      identifiers: movable,
      addresses,
      contactDetails,
      incidentRoles,
      relationshipsFrom,
      relationshipsTo,
      agencyLinks: [],
      relationships,
      repointedMerges: [],
      renamedCurrent,
      filled,
      survivorFieldSources: survivor.field_sources,
      kept: { identifiers: keptIdentifiers, agencyLinks: [], relationships: between },
    };
  }

  async function moveBack(trx: Trx, moves: MergeMoves, survivorId: string, mergedId: string) {
    const back = async (
      table:
        | 'person_name'
        | 'person_identifier'
        | 'person_address'
        | 'person_contact_detail'
        | 'person_incident_role',
      rowIds: string[],
    ) => {
      if (rowIds.length === 0) return;
      await trx
        .updateTable(table)
        .set({ person_id: mergedId })
        .where('id', 'in', rowIds)
        .where('person_id', '=', survivorId)
        .execute();
    };
    await back('person_name', moves.names);
    if (moves.renamedCurrent.length)
      await trx
        .updateTable('person_name')
        .set({ kind: 'current' })
        .where('id', 'in', moves.renamedCurrent)
        .execute();
    await back('person_identifier', moves.identifiers);
    await back('person_address', moves.addresses);
    await back('person_contact_detail', moves.contactDetails);
    await back('person_incident_role', moves.incidentRoles);
    if (moves.relationshipsFrom.length)
      await trx
        .updateTable('person_relationship')
        .set({ person_id: mergedId })
        .where('id', 'in', moves.relationshipsFrom)
        .execute();
    if (moves.relationshipsTo.length)
      await trx
        .updateTable('person_relationship')
        .set({ related_person_id: mergedId })
        .where('id', 'in', moves.relationshipsTo)
        .execute();
    if (moves.relationships?.length)
      await trx
        .updateTable('access_relationship')
        .set({ person_id: mergedId })
        .where('id', 'in', moves.relationships)
        .where('person_id', '=', survivorId)
        .execute();
    // Merges made before decision 0008 recorded agency links by kind; they became these bases.
    for (const link of moves.agencyLinks) {
      const basis = LINK_BASES[link.kind];
      if (!basis) continue;
      await trx
        .updateTable('access_relationship')
        .set({ person_id: mergedId })
        .where('person_id', '=', survivorId)
        .where('agency_id', '=', link.agencyId)
        .where('basis', '=', basis)
        .where('contact_id', 'is', null)
        .execute();
    }
    const emptied: Record<string, null> = {};
    for (const field of moves.filled) emptied[field] = null;
    await trx
      .updateTable('person')
      .set({ ...emptied, field_sources: JSON.stringify(moves.survivorFieldSources) })
      .where('id', '=', survivorId)
      .execute();
  }

  async function mergeInTransaction(
    trx: Trx,
    context: AuditContext,
    input: { survivorId: string; mergedId: string; reason: string; reviewId?: string },
  ): Promise<string> {
    const { survivorId, mergedId } = input;
    if (survivorId === mergedId)
      throw new ValidationError([{ field: 'survivorId', message: 'Choose two different records' }]);
    // Lock both rows in a fixed order so two merges of the same people cannot interleave.
    const locked = await trx
      .selectFrom('person')
      .select(['id', 'area_id', 'merged_into_id'])
      .where('id', 'in', [survivorId, mergedId])
      .orderBy('id')
      .forUpdate()
      .execute();
    const survivor = locked.find((p) => p.id === survivorId);
    const merged = locked.find((p) => p.id === mergedId);
    if (!survivor || !merged) throw new NotFoundError('The person');
    if (survivor.merged_into_id || merged.merged_into_id)
      throw new ConflictError('One of these records has already been merged into another.');
    const moved = await moveFacts(trx, mergedId, survivorId);
    await trx.updateTable('person').set({ merged_into_id: survivorId }).where('id', '=', mergedId).execute();
    moved.repointedMerges = await ids(
      trx
        .updateTable('person')
        .set({ merged_into_id: survivorId })
        .where('merged_into_id', '=', mergedId)
        .returning('id')
        .execute(),
    );
    await core.refreshBlockingKeys(trx, [survivorId]);
    const record = await trx
      .insertInto('person_merge')
      .values({
        area_id: survivor.area_id,
        survivor_id: survivorId,
        merged_id: mergedId,
        review_id: input.reviewId ?? null,
        reason: input.reason.trim(),
        moved: JSON.stringify(moved),
        merged_by_user_id: context.principal.userId,
        merged_by_name: context.principal.name,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Every open pair between these two records is settled by the merge.
    await trx
      .updateTable('match_review')
      .set({
        status: 'merged',
        decided_at: deps.now(),
        decided_by_user_id: context.principal.userId,
        decided_by_name: context.principal.name,
        decision_note: input.reason.trim(),
      })
      .where('status', '=', 'pending')
      .where((eb) =>
        eb.or([
          eb.and([eb('person_id', '=', mergedId), eb('candidate_id', '=', survivorId)]),
          eb.and([eb('person_id', '=', survivorId), eb('candidate_id', '=', mergedId)]),
        ]),
      )
      .execute();
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
      const found = await db
        .selectFrom('person_merge')
        .selectAll()
        .where('id', '=', mergeId)
        .executeTakeFirst();
      if (!found) throw new NotFoundError('The merge');
      await authoriseFor(context, [found.survivor_id, found.merged_id]);
      checkReason(reason);
      await transaction(db, async (trx) => {
        const merge = await trx
          .selectFrom('person_merge')
          .selectAll()
          .where('id', '=', mergeId)
          .forUpdate()
          .executeTakeFirstOrThrow();
        if (merge.unmerged_at) throw new ConflictError('This merge has already been undone.');
        const people = await trx
          .selectFrom('person')
          .select(['id', 'merged_into_id'])
          .where('id', 'in', [merge.survivor_id, merge.merged_id])
          .orderBy('id')
          .forUpdate()
          .execute();
        const survivor = people.find((p) => p.id === merge.survivor_id)!;
        const merged = people.find((p) => p.id === merge.merged_id)!;
        if (survivor.merged_into_id)
          throw new ConflictError(
            'The surviving record has since been merged into another. Undo that merge first.',
          );
        if (merged.merged_into_id !== merge.survivor_id)
          throw new ConflictError('The merged record is no longer merged into the survivor.');
        const moves = (typeof merge.moved === 'string' ? JSON.parse(merge.moved) : merge.moved) as MergeMoves;
        await moveBack(trx, moves, merge.survivor_id, merge.merged_id);
        await trx
          .updateTable('person')
          .set({ merged_into_id: null })
          .where('id', '=', merge.merged_id)
          .execute();
        if (moves.repointedMerges.length)
          await trx
            .updateTable('person')
            .set({ merged_into_id: merge.merged_id })
            .where('id', 'in', moves.repointedMerges)
            .execute();
        await core.refreshBlockingKeys(trx, [merge.survivor_id, merge.merged_id]);
        await trx
          .updateTable('person_merge')
          .set({
            unmerged_at: deps.now(),
            unmerged_by_user_id: context.principal.userId,
            unmerged_by_name: context.principal.name,
            unmerge_reason: reason.trim(),
          })
          .where('id', '=', mergeId)
          .execute();
        // A merge undone means the two are not one person: never offer the pair again.
        await trx
          .updateTable('match_review')
          .set({
            status: 'not-same',
            decided_at: deps.now(),
            decided_by_user_id: context.principal.userId,
            decided_by_name: context.principal.name,
            decision_note: `Unmerged: ${reason.trim()}`,
          })
          .where((eb) =>
            eb.or([
              eb.and([eb('person_id', '=', merge.merged_id), eb('candidate_id', '=', merge.survivor_id)]),
              eb.and([eb('person_id', '=', merge.survivor_id), eb('candidate_id', '=', merge.merged_id)]),
            ]),
          )
          .execute();
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
      assertAllowed(
        context.principal,
        'person:merge',
        { areaId: merge.area_id },
        {
          type: 'person-merge',
          id: mergeId,
          personIds: [merge.survivor_id, merge.merged_id],
          areaId: merge.area_id,
        },
      );
      await recordAudit(db, context, {
        action: 'person.merge-view',
        subjectType: 'person-merge',
        subjectId: mergeId,
        personIds: [merge.survivor_id, merge.merged_id],
        areaId: merge.area_id,
      });
      const moved = (typeof merge.moved === 'string' ? JSON.parse(merge.moved) : merge.moved) as MergeMoves;
      return { ...merge, moved };
    },
  };
}
