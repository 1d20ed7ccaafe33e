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

async function ids(query: Promise<{ id: string }[]>): Promise<string[]> {
  return (await query).map((r) => r.id);
}

/** Moves the merged record's facts to the survivor; returns what moved and the values filled in. */
export async function moveFacts(
  trx: Trx,
  from: string,
  to: string,
): Promise<{ moves: MergeMoves; filledValues: Record<string, unknown> }> {
  const survivor = await trx.selectFrom('person').selectAll().where('id', '=', to).executeTakeFirstOrThrow();
  const merged = await trx.selectFrom('person').selectAll().where('id', '=', from).executeTakeFirstOrThrow();

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
  await trx.updateTable('person').set({ merged_into_id: survivorId }).where('id', '=', mergedId).execute();
  return ids(
    trx
      .updateTable('person')
      .set({ merged_into_id: survivorId })
      .where('merged_into_id', '=', mergedId)
      .returning('id')
      .execute(),
  );
}

/** Undoes markMerged: the merged record and those repointed at the survivor go back. */
export async function unmarkMerged(trx: Trx, mergedId: string, repointed: readonly string[]) {
  await trx.updateTable('person').set({ merged_into_id: null }).where('id', '=', mergedId).execute();
  if (repointed.length)
    await trx
      .updateTable('person')
      .set({ merged_into_id: mergedId })
      .where('id', 'in', [...repointed])
      .execute();
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
  return conn.selectFrom('person_merge').selectAll().where('id', '=', mergeId).executeTakeFirst();
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
