import { sql } from 'kysely';
import { insertReturningId, rowsWhere, rowWhere, updateWhere } from '../../db/common-queries.ts';
import type { Db, Trx } from '../../db/database.ts';
import { pageWithTotal } from '../../db/paging.ts';

type Conn = Db | Trx;

export function findAgencyByCode(db: Conn, code: string) {
  return rowWhere(db.selectFrom('agency').selectAll(), { code });
}

export async function areaIdsOfAgency(db: Conn, agencyId: string): Promise<string[]> {
  const rows = await rowsWhere(db.selectFrom('agency_area').select('area_id'), { agency_id: agencyId });
  return rows.map((r) => r.area_id);
}

export function listAreas(db: Conn) {
  return db.selectFrom('area').selectAll().orderBy('name').execute();
}

export function listAgencies(db: Conn) {
  return db
    .selectFrom('agency')
    .leftJoin('agency_area', 'agency_area.agency_id', 'agency.id')
    .leftJoin('area', 'area.id', 'agency_area.area_id')
    .select(['agency.id', 'agency.code', 'agency.name', 'agency.kind', 'area.name as area_name'])
    .orderBy('agency.name')
    .execute();
}

export function findUserByEmail(db: Conn, email: string) {
  return rowWhere(db.selectFrom('app_user').selectAll(), { email });
}

/**
 * What a principal is built from, in one statement: the user, their agency and the agency's areas.
 * Every signed-in page and every API call reads this, so it is one round trip, not three.
 */
export function principalFacts(db: Conn, userId: string) {
  return db
    .selectFrom('app_user')
    .innerJoin('agency', 'agency.id', 'app_user.agency_id')
    .select([
      'app_user.id',
      'app_user.display_name',
      'app_user.disabled_at',
      'app_user.roles',
      'agency.id as agency_id',
      'agency.code as agency_code',
      'agency.name as agency_name',
      'agency.kind as agency_kind',
      sql<
        string[]
      >`coalesce((select array_agg(agency_area.area_id::text) from agency_area where agency_area.agency_id = agency.id), '{}')`.as(
        'area_ids',
      ),
    ])
    .where('app_user.id', '=', userId)
    .executeTakeFirst();
}

export interface UserListQuery {
  page: number;
  pageSize: number;
  sort: 'name' | 'email' | 'agency' | 'last_signed_in_at';
  order: 'asc' | 'desc';
}

export function listUsers(db: Conn, query: UserListQuery) {
  const sortColumn = {
    name: 'app_user.display_name',
    email: 'app_user.email',
    agency: 'agency.name',
    last_signed_in_at: 'app_user.last_signed_in_at',
  } as const;
  const base = db
    .selectFrom('app_user')
    .innerJoin('agency', 'agency.id', 'app_user.agency_id')
    .where('app_user.is_system', '=', false);
  return pageWithTotal(base, query, (q) =>
    q
      .select([
        'app_user.id',
        'app_user.display_name',
        'app_user.email',
        'app_user.roles',
        'app_user.last_signed_in_at',
        'app_user.disabled_at',
        'app_user.locked_until',
        'agency.name as agency_name',
      ])
      .orderBy(sortColumn[query.sort], query.order)
      .orderBy('app_user.id'),
  );
}

export function listApiKeys(db: Conn) {
  return db
    .selectFrom('api_key')
    .innerJoin('agency', 'agency.id', 'api_key.agency_id')
    .select([
      'api_key.id',
      'api_key.label',
      'api_key.key_prefix',
      'api_key.created_at',
      'api_key.created_by',
      'api_key.last_used_at',
      'api_key.revoked_at',
      'agency.code as agency_code',
      'agency.name as agency_name',
    ])
    .orderBy('api_key.created_at', 'desc')
    .execute();
}

export function findActiveApiKeyByHash(db: Conn, keyHash: string) {
  const key = db.selectFrom('api_key').select(['id', 'agency_id', 'system_user_id', 'label', 'last_used_at']);
  return rowWhere(key, { key_hash: keyHash, revoked_at: null });
}

export function agenciesByIds(db: Conn, ids: readonly string[]) {
  return rowsWhere(db.selectFrom('agency').select(['id', 'code', 'kind', 'name']), { id: ids });
}

export function areaCode(db: Conn, areaId: string) {
  return rowWhere(db.selectFrom('area').select('code'), { id: areaId });
}

/** Users holding a role (or any of several) at these agencies, e.g. to receive a reminder. */
export function usersWithRole(db: Conn, agencyIds: readonly string[], role: string | readonly string[]) {
  const roles = typeof role === 'string' ? [role] : [...role];
  const holders = db
    .selectFrom('app_user')
    .select(['id', 'display_name', 'agency_id'])
    .where(sql<boolean>`roles && ${roles}::text[]`);
  return rowsWhere(holders, { agency_id: agencyIds, disabled_at: null, is_system: false });
}

/** The agencies of one kind serving an area. */
export function agencyIdsServingArea(db: Conn, areaId: string, kind: string) {
  return db
    .selectFrom('agency_area')
    .innerJoin('agency', 'agency.id', 'agency_area.agency_id')
    .select('agency.id')
    .where('agency_area.area_id', '=', areaId)
    .where('agency.kind', '=', kind)
    .execute()
    .then((rows) => rows.map((r) => r.id));
}

export function userNames(db: Conn, ids: readonly string[]) {
  return rowsWhere(db.selectFrom('app_user').select(['id', 'display_name']), { id: ids });
}

/** Enabled people's email addresses (the outbox's email channel), never a system user's. */
export function userContacts(db: Conn, ids: readonly string[]) {
  const contacts = db.selectFrom('app_user').select(['id', 'email', 'display_name', 'agency_id']);
  return rowsWhere(contacts, { id: ids, disabled_at: null, is_system: false });
}

/** Every agency once, by name: for filters and pickers. */
export function agencyChoices(db: Conn) {
  return db.selectFrom('agency').select(['id', 'name', 'kind']).orderBy('name').execute();
}

export function areaForPostcodeDistrict(db: Conn, district: string) {
  return db
    .selectFrom('area')
    .select(['id', 'name'])
    .where((eb) => eb(eb.val(district), '=', eb.fn.any('postcode_districts')))
    .executeTakeFirst();
}

/** The area of each of these postcode districts that one serves, in one statement (a bulk transfer's batch). */
export async function areasForPostcodeDistricts(
  db: Conn,
  districts: readonly string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (districts.length === 0) return found;
  const rows = await db
    .selectFrom('area')
    .select(['id', 'postcode_districts'])
    .where('postcode_districts', '&&', sql<string[]>`${[...districts]}::text[]`)
    .orderBy('id')
    .execute();
  const wanted = new Set(districts);
  for (const row of rows)
    for (const district of row.postcode_districts)
      if (wanted.has(district) && !found.has(district)) found.set(district, row.id);
  return found;
}

export function findAreaByCode(db: Conn, code: string) {
  return rowWhere(db.selectFrom('area').select(['id', 'code', 'name']), { code });
}

export function areasByIds(db: Conn, ids: readonly string[]) {
  return rowsWhere(db.selectFrom('area').select(['id', 'code', 'name']), { id: ids }, 'name');
}

/** An area's postcode districts; the area must exist. */
export async function areaPostcodeDistricts(db: Conn, areaId: string): Promise<string[]> {
  const area = await db
    .selectFrom('area')
    .select('postcode_districts')
    .where('id', '=', areaId)
    .executeTakeFirstOrThrow();
  return area.postcode_districts;
}

export function agenciesByCode(db: Conn, codes: readonly string[]) {
  return rowsWhere(db.selectFrom('agency').select(['id', 'code', 'kind', 'name']), { code: codes });
}

/** The agencies serving an area, by kind then name. */
export function agenciesInArea(db: Conn, areaId: string) {
  return db
    .selectFrom('agency')
    .innerJoin('agency_area', 'agency_area.agency_id', 'agency.id')
    .select(['agency.id', 'agency.code', 'agency.name', 'agency.kind'])
    .where('agency_area.area_id', '=', areaId)
    .orderBy('agency.kind')
    .orderBy('agency.name')
    .execute();
}

/** The columns a password sign-in checks (platform/auth/sign-in.ts, through the service). */
export function accountForSignIn(db: Conn, email: string) {
  const account = db
    .selectFrom('app_user')
    .select(['id', 'display_name', 'agency_id', 'password_hash', 'disabled_at', 'is_system', 'roles']);
  return rowWhere(account, { email });
}

export function recordSignIn(db: Conn, userId: string, at: Date) {
  return db
    .updateTable('app_user')
    .set({ last_signed_in_at: at })
    .where('id', '=', userId)
    .returning('email')
    .executeTakeFirstOrThrow();
}

/** An enabled account by id, as the second sign-in step shows it. */
export function enabledAccount(db: Conn, userId: string) {
  const account = db.selectFrom('app_user').select(['id', 'email', 'display_name', 'agency_id']);
  return rowWhere(account, { id: userId, disabled_at: null });
}

/**
 * A school agency by its code (Operation Encompass's import): created, or its name and area
 * brought up to date. Returns its id and whether it was new.
 */
export async function upsertSchoolAgency(trx: Trx, school: { code: string; name: string; areaId: string }) {
  const existing = await rowWhere(trx.selectFrom('agency').select(['id', 'name', 'kind']), {
    code: school.code,
  });
  if (existing && existing.kind !== 'school') return { id: existing.id, created: false, notSchool: true };
  const id =
    existing?.id ??
    (await insertReturningId(trx.insertInto('agency'), {
      code: school.code,
      name: school.name,
      kind: 'school',
      ofsted_urn: null,
    }));
  if (existing && existing.name !== school.name)
    await updateWhere(trx.updateTable('agency').set({ name: school.name }), { id });
  await trx
    .insertInto('agency_area')
    .values({ agency_id: id, area_id: school.areaId })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return { id, created: !existing, notSchool: false };
}

/** The people of one agency who may sign in (a school's key adult and deputies are chosen from them). */
export function usersOfAgency(db: Conn, agencyId: string) {
  const users = db.selectFrom('app_user').select(['id', 'display_name', 'email', 'roles']);
  return rowsWhere(users, { agency_id: agencyId, is_system: false, disabled_at: null }, 'display_name');
}

/**
 * Who may lead early help in an area: the teams of the lead agencies serving it (a team of one
 * area, or of none) and their people holding a lead role, each with the agency's name.
 */
export async function earlyHelpLeads(
  db: Conn,
  areaId: string,
  kinds: readonly string[],
  roles: readonly string[],
) {
  const agencies = kinds.length
    ? await db
        .selectFrom('agency_area')
        .innerJoin('agency', 'agency.id', 'agency_area.agency_id')
        .select(['agency.id', 'agency.name'])
        .where('agency_area.area_id', '=', areaId)
        .where('agency.kind', 'in', [...kinds])
        .execute()
    : [];
  if (agencies.length === 0) return { teams: [], users: [] };
  const ids = agencies.map((a) => a.id);
  const agencyName = new Map(agencies.map((a) => [a.id, a.name]));
  const [teams, users] = await Promise.all([
    db
      .selectFrom('team')
      .select(['id', 'name', 'agency_id'])
      .where('agency_id', 'in', ids)
      .where((eb) => eb.or([eb('area_id', 'is', null), eb('area_id', '=', areaId)]))
      .execute(),
    usersWithRole(db, ids, roles),
  ]);
  const byAgency = <T extends { agency_id: string }>(rows: T[], name: (row: T) => string) =>
    rows
      .map((row) => ({ ...row, name: name(row), agency_name: agencyName.get(row.agency_id)! }))
      .sort((a, b) => a.agency_name.localeCompare(b.agency_name) || a.name.localeCompare(b.name));
  return {
    teams: byAgency(teams, (t) => t.name),
    users: byAgency(users, (u) => u.display_name),
  };
}
