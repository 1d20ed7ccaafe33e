import { type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { rowsWhere } from '../../db/common-queries.ts';
import type { Db, Trx } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { nullWhereAbsent } from '../../domain/optional-answers.ts';
import type { Relationship, RelationshipBasis, RowScope } from '../../platform/access.ts';

type Conn = Db | Trx;

/** A relationship to record: who gains it, on which basis, granted by whom, for which episode. */
export interface NewRelationship {
  personId: string;
  areaId: string;
  agencyId: string;
  basis: RelationshipBasis;
  contactId?: string | null;
  episodeType?: string | null;
  episodeId?: string | null;
  grantedByAgencyId: string | null;
  grantedByName: string;
  grantedAt?: Date;
  expiresAt?: Date | null;
}

const toRelationship = (r: { agency_id: string; basis: RelationshipBasis; expires_at: Date | null }) => ({
  agencyId: r.agency_id,
  basis: r.basis,
  expiresAt: r.expires_at ? new Date(r.expires_at) : null,
});

/** Every recorded relationship of these people, by person (expired ones too: the policy decides). */
export async function relationshipsOf(
  db: Conn,
  personIds: readonly string[],
): Promise<Map<string, Relationship[]>> {
  const out = new Map<string, Relationship[]>(personIds.map((id) => [id, []]));
  const rows = await rowsWhere(relationshipColumns(db).select('person_id'), { person_id: personIds });
  for (const row of rows) out.get(row.person_id)?.push(toRelationship(row));
  return out;
}

/** What a relationship is, as the access policy weighs it. */
function relationshipColumns(db: Conn) {
  return db.selectFrom('access_relationship').select(['agency_id', 'basis', 'expires_at']);
}

/** The relationships a contact gave rise to: its enquiries and the agencies its submission named. */
export async function relationshipsOfContact(db: Conn, contactId: string): Promise<Relationship[]> {
  return (await rowsWhere(relationshipColumns(db), { contact_id: contactId })).map(toRelationship);
}

/** The relationships of one episode (an enquiry), for its page. */
export async function relationshipsOfEpisode(db: Conn, episodeId: string): Promise<Relationship[]> {
  return (await rowsWhere(relationshipColumns(db), { episode_id: episodeId })).map(toRelationship);
}

/** The people each episode's relationships are held on (an enquiry's: the people it concerns). */
export async function peopleOfEpisodes(db: Conn, episodeIds: readonly string[]) {
  const held = new Map<string, string[]>();
  const rows = await rowsWhere(db.selectFrom('access_relationship').select(['episode_id', 'person_id']), {
    episode_id: episodeIds,
  });
  for (const row of rows)
    if (row.episode_id) held.set(row.episode_id, [...(held.get(row.episode_id) ?? []), row.person_id]);
  return held;
}

/** Records relationships; one already recorded for the same person, agency, basis and episode stays. */
export async function grant(trx: Trx, relationships: readonly NewRelationship[]): Promise<number> {
  if (relationships.length === 0) return 0;
  const rows = await trx
    .insertInto('access_relationship')
    .values(
      relationships.map((r) => ({
        area_id: r.areaId,
        person_id: r.personId,
        agency_id: r.agencyId,
        basis: r.basis,
        granted_by_agency_id: r.grantedByAgencyId,
        granted_by_name: r.grantedByName,
        ...(r.grantedAt ? { granted_at: r.grantedAt } : {}),
        ...nullWhereAbsent(r, {
          contact_id: 'contactId',
          episode_type: 'episodeType',
          episode_id: 'episodeId',
          expires_at: 'expiresAt',
        }),
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .execute();
  return rows.length;
}

/**
 * Relationships made to expire at `expiresAt`, never later than an expiry already set; the caller
 * says which (an episode's, a contact's).
 */
function expiringAt(trx: Trx, expiresAt: Date) {
  return trx
    .updateTable('access_relationship')
    .set({ expires_at: expiresAt })
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', expiresAt)]));
}

/** An episode ended (a contact closed): its relationships expire after the grace. */
export async function expireContactEpisodes(
  trx: Trx,
  contactId: string,
  episodeType: string,
  expiresAt: Date,
): Promise<void> {
  await expiringAt(trx, expiresAt)
    .where('contact_id', '=', contactId)
    .where('episode_type', '=', episodeType)
    .execute();
}

/**
 * A meeting's episode ended: the relationships it granted expire at `expiresAt` (never later than
 * already set); only those of `agencyIds` when given (the agencies leaving a transferred case).
 */
export async function expireEpisode(
  trx: Trx,
  episodeId: string,
  expiresAt: Date,
  agencyIds?: readonly string[],
): Promise<void> {
  if (agencyIds && agencyIds.length === 0) return;
  let query = expiringAt(trx, expiresAt).where('episode_id', '=', episodeId);
  if (agencyIds) query = query.where('agency_id', 'in', [...agencyIds]);
  await query.execute();
}

/** For the person page: who may see the record on which basis, granted by whom, until when. */
export function relationshipListing(db: Conn, personId: string) {
  return db
    .selectFrom('access_relationship')
    .innerJoin('agency', 'agency.id', 'access_relationship.agency_id')
    .select([
      'access_relationship.basis',
      'access_relationship.granted_at',
      'access_relationship.granted_by_name',
      'access_relationship.expires_at',
      'access_relationship.episode_type',
      'agency.name',
      'agency.kind as agency_kind',
    ])
    .where('access_relationship.person_id', '=', personId)
    .orderBy('agency.name')
    .orderBy('access_relationship.granted_at')
    .execute();
}

/**
 * The row filter for "people this agency holds a current relationship with", as the policy's
 * RowScope describes it (same bases, same expiry rule).
 */
export function relatedPerson(
  scope: Extract<RowScope, { kind: 'filtered' }>,
  personColumn: 'person.id',
): (eb: ExpressionBuilder<DB, 'person'>) => ReturnType<ExpressionBuilder<DB, 'person'>['exists']> {
  return (eb) =>
    eb.exists(
      eb
        .selectFrom('access_relationship as r')
        .select(sql`1`.as('one'))
        .whereRef('r.person_id', '=', personColumn)
        .where('r.agency_id', '=', scope.relatedAgencyId!)
        .where('r.basis', 'in', scope.bases.length ? scope.bases : ['enquiry'])
        .where(sql<SqlBool>`(r.expires_at is null or r.expires_at > ${scope.asOf})`),
    );
}
