import { rowsWhere, rowWhere, updatedIds, updateWhere } from '../../db/common-queries.ts';
import type { Db, Trx } from '../../db/database.ts';
import type { MergeMoves, PersonTable } from '../../db/schema/people.ts';

/**
 * The statements of a merge and an unmerge (people/merge.ts decides, checks and audits). A
 * merge moves the merged record's rows to the survivor and says exactly which moved, so an
 * unmerge can move exactly those back.
 */

/** Single-valued facts a survivor takes from the merged record when it has none of its own. */
export const FILLABLE = [
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

const LINK_BASES: Record<string, 'school-on-roll' | 'registered-gp' | 'health-visitor'> = {
  pupil: 'school-on-roll',
  'gp-registered': 'registered-gp',
  'health-visiting': 'health-visitor',
};

/** Moves the merged record's facts to the survivor; returns what moved and the values filled in. */
export async function moveFacts(
  trx: Trx,
  from: string,
  to: string,
): Promise<{ moves: MergeMoves; filledValues: Record<string, unknown> }> {
  const survivor = await trx.selectFrom('person').selectAll().where('id', '=', to).executeTakeFirstOrThrow();
  const merged = await trx.selectFrom('person').selectAll().where('id', '=', from).executeTakeFirstOrThrow();

  const renamedCurrent = await updatedIds(trx.updateTable('person_name').set({ kind: 'alias' }), {
    person_id: from,
    kind: 'current',
  });
  const names = await updatedIds(trx.updateTable('person_name').set({ person_id: to }), { person_id: from });

  const held = await rowsWhere(trx.selectFrom('person_identifier').select(['scheme', 'value']), {
    person_id: to,
  });
  const heldIds = new Set(held.map((h) => `${h.scheme}:${h.value}`));
  const theirs = await rowsWhere(trx.selectFrom('person_identifier').select(['id', 'scheme', 'value']), {
    person_id: from,
  });
  const movable = theirs.filter((i) => !heldIds.has(`${i.scheme}:${i.value}`)).map((i) => i.id);
  const keptIdentifiers = theirs.filter((i) => heldIds.has(`${i.scheme}:${i.value}`)).map((i) => i.id);
  await updateWhere(trx.updateTable('person_identifier').set({ person_id: to }), { id: movable });

  const move = (table: 'person_address' | 'person_contact_detail' | 'person_incident_role') =>
    updatedIds(trx.updateTable(table).set({ person_id: to }), { person_id: from });
  const addresses = await move('person_address');
  const contactDetails = await move('person_contact_detail');
  const incidentRoles = await move('person_incident_role');

  const between = (
    await trx
      .selectFrom('person_relationship')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('person_id', '=', from), eb('related_person_id', '=', to)]),
          eb.and([eb('person_id', '=', to), eb('related_person_id', '=', from)]),
        ]),
      )
      .execute()
  ).map((r) => r.id);
  // A relationship between the two records stays where it is (it is `between`, kept).
  const relationshipsFrom = await updatedIds(
    trx.updateTable('person_relationship').set({ person_id: to }).where('related_person_id', '<>', to),
    { person_id: from },
  );
  const relationshipsTo = await updatedIds(
    trx.updateTable('person_relationship').set({ related_person_id: to }).where('person_id', '<>', to),
    { related_person_id: from },
  );

  // Relationships move with the record; one the survivor already holds stays on the merged record.
  const key = (r: {
    agency_id: string;
    basis: string;
    contact_id: string | null;
    episode_id: string | null;
  }) => `${r.agency_id}:${r.basis}:${r.contact_id}:${r.episode_id}`;
  const grants = trx
    .selectFrom('access_relationship')
    .select(['id', 'agency_id', 'basis', 'contact_id', 'episode_id']);
  const heldRelationships = new Set((await rowsWhere(grants, { person_id: to })).map(key));
  const theirRelationships = await rowsWhere(grants, { person_id: from });
  const relationships = theirRelationships.filter((r) => !heldRelationships.has(key(r))).map((r) => r.id);
  await updateWhere(trx.updateTable('access_relationship').set({ person_id: to }), { id: relationships });

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
    await updateWhere(trx.updateTable('person').set({ ...update, field_sources: JSON.stringify(sources) }), {
      id: to,
    });

  const moves: MergeMoves = {
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
  return { moves, filledValues: update };
}

/** Puts back exactly the rows a merge moved. */
export async function moveBack(trx: Trx, moves: MergeMoves, survivorId: string, mergedId: string) {
  const back = async (
    table:
      | 'person_name'
      | 'person_identifier'
      | 'person_address'
      | 'person_contact_detail'
      | 'person_incident_role',
    rowIds: string[],
  ) =>
    updateWhere(trx.updateTable(table).set({ person_id: mergedId }), { id: rowIds, person_id: survivorId });
  await back('person_name', moves.names);
  await updateWhere(trx.updateTable('person_name').set({ kind: 'current' }), { id: moves.renamedCurrent });
  await back('person_identifier', moves.identifiers);
  await back('person_address', moves.addresses);
  await back('person_contact_detail', moves.contactDetails);
  await back('person_incident_role', moves.incidentRoles);
  await updateWhere(trx.updateTable('person_relationship').set({ person_id: mergedId }), {
    id: moves.relationshipsFrom,
  });
  await updateWhere(trx.updateTable('person_relationship').set({ related_person_id: mergedId }), {
    id: moves.relationshipsTo,
  });
  await updateWhere(trx.updateTable('access_relationship').set({ person_id: mergedId }), {
    id: moves.relationships ?? [],
    person_id: survivorId,
  });
  // Merges made before decision 0008 recorded agency links by kind; they became these bases.
  for (const link of moves.agencyLinks) {
    const basis = LINK_BASES[link.kind];
    if (!basis) continue;
    await updateWhere(trx.updateTable('access_relationship').set({ person_id: mergedId }), {
      person_id: survivorId,
      agency_id: link.agencyId,
      basis,
      contact_id: null,
    });
  }
  const emptied: Record<string, null> = {};
  for (const field of moves.filled) emptied[field] = null;
  const restored = trx
    .updateTable('person')
    .set({ ...emptied, field_sources: JSON.stringify(moves.survivorFieldSources) });
  await updateWhere(restored, { id: survivorId });
}

/** Locks both records, in a fixed order so two merges of the same people cannot interleave. */
export function lockPeople(trx: Trx, ids: readonly string[]) {
  return trx
    .selectFrom('person')
    .select(['id', 'area_id', 'merged_into_id'])
    .where('id', 'in', [...ids])
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** Marks the merged record merged into the survivor, with the records merged into it before. */
export async function markMerged(trx: Trx, mergedId: string, survivorId: string): Promise<string[]> {
  await updateWhere(trx.updateTable('person').set({ merged_into_id: survivorId }), { id: mergedId });
  return updatedIds(trx.updateTable('person').set({ merged_into_id: survivorId }), {
    merged_into_id: mergedId,
  });
}

/** Undoes markMerged: the merged record and those repointed at the survivor go back. */
export async function unmarkMerged(trx: Trx, mergedId: string, repointed: readonly string[]) {
  await updateWhere(trx.updateTable('person').set({ merged_into_id: null }), { id: mergedId });
  await updateWhere(trx.updateTable('person').set({ merged_into_id: mergedId }), { id: repointed });
}

export function insertMerge(
  trx: Trx,
  values: {
    area_id: string;
    survivor_id: string;
    merged_id: string;
    review_id: string | null;
    reason: string;
    moved: string;
    merged_by_user_id: string | null;
    merged_by_name: string;
  },
) {
  return trx.insertInto('person_merge').values(values).returning('id').executeTakeFirstOrThrow();
}

export function findMergeRow(conn: Db | Trx, mergeId: string) {
  return rowWhere(conn.selectFrom('person_merge').selectAll(), { id: mergeId });
}

export function lockMergeRow(trx: Trx, mergeId: string) {
  return trx
    .selectFrom('person_merge')
    .selectAll()
    .where('id', '=', mergeId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export function markUnmerged(
  trx: Trx,
  mergeId: string,
  values: { at: Date; userId: string | null; name: string; reason: string },
) {
  return trx
    .updateTable('person_merge')
    .set({
      unmerged_at: values.at,
      unmerged_by_user_id: values.userId,
      unmerged_by_name: values.name,
      unmerge_reason: values.reason,
    })
    .where('id', '=', mergeId)
    .execute();
}

/** Settles the review pairs between two records (pending ones only, when `pendingOnly`). */
export function settleReviews(
  trx: Trx,
  a: string,
  b: string,
  decision: {
    status: 'merged' | 'not-same';
    at: Date;
    userId: string | null;
    name: string;
    note: string;
    pendingOnly: boolean;
  },
) {
  let query = trx
    .updateTable('match_review')
    .set({
      status: decision.status,
      decided_at: decision.at,
      decided_by_user_id: decision.userId,
      decided_by_name: decision.name,
      decision_note: decision.note,
    })
    .where((eb) =>
      eb.or([
        eb.and([eb('person_id', '=', a), eb('candidate_id', '=', b)]),
        eb.and([eb('person_id', '=', b), eb('candidate_id', '=', a)]),
      ]),
    );
  if (decision.pendingOnly) query = query.where('status', '=', 'pending');
  return query.execute();
}
