import { insertReturningId, rowWhere, updateWhere } from '../../db/common-queries.ts';
import type { Db, Trx } from '../../db/database.ts';
import { pageWithTotal } from '../../db/paging.ts';
import type { ActionSourceKind } from '../../db/schema/actions.ts';

export type ActionStatus = 'open' | 'done' | 'overdue';

export interface NewActionRow {
  source_kind: ActionSourceKind;
  source_id: string;
  area_id: string;
  person_ids: string[];
  owner_agency_id: string;
  owner_user_id: string | null;
  description: string;
  due_by: Date;
  created_by_agency_id: string | null;
  created_by_name: string;
}

const COLUMNS = [
  'a.id',
  'a.source_kind',
  'a.source_id',
  'a.person_ids',
  'a.owner_agency_id',
  'a.owner_user_id',
  'a.description',
  'a.due_by',
  'a.status',
  'a.created_by_name',
  'a.created_at',
  'a.done_at',
  'a.done_by_name',
  'a.done_note',
  'a.chased_at',
] as const;

function selectActions(conn: Db | Trx) {
  return conn.selectFrom('multi_agency_action as a').select(COLUMNS);
}

export type ActionRow = Awaited<ReturnType<typeof findAction>> & {};

export function insertAction(trx: Trx, row: NewActionRow): Promise<string> {
  return insertReturningId(trx.insertInto('multi_agency_action'), row);
}

export function findAction(conn: Db | Trx, id: string) {
  return selectActions(conn).where('a.id', '=', id).executeTakeFirst();
}

/** Locks the action for the change about to be made to it. */
export function lockAction(trx: Trx, id: string) {
  const locked = trx
    .selectFrom('multi_agency_action')
    .select([
      'id',
      'status',
      'owner_agency_id',
      'person_ids',
      'due_by',
      'chased_at',
      'source_kind',
      'source_id',
    ])
    .forUpdate();
  return rowWhere(locked, { id });
}

export async function markDone(
  trx: Trx,
  id: string,
  done: { at: Date; userId: string | null; name: string; note: string },
): Promise<void> {
  const marked = trx.updateTable('multi_agency_action').set({
    status: 'done',
    done_at: done.at,
    done_by_user_id: done.userId,
    done_by_name: done.name,
    done_note: done.note,
  });
  await updateWhere(marked, { id });
}

export async function markChased(trx: Trx, id: string, at: Date): Promise<void> {
  await updateWhere(trx.updateTable('multi_agency_action').set({ chased_at: at }), { id });
}

export function forAgency(
  conn: Db | Trx,
  agencyId: string,
  query: { status: ActionStatus; page: number; pageSize: number; asOf: Date },
) {
  let q = conn.selectFrom('multi_agency_action as a').where('a.owner_agency_id', '=', agencyId);
  if (query.status === 'done') q = q.where('a.status', '=', 'done');
  else q = q.where('a.status', '=', 'open');
  if (query.status === 'overdue') q = q.where('a.due_by', '<', query.asOf);
  const done = query.status === 'done';
  return pageWithTotal(q, query, (base) =>
    base
      .select(COLUMNS)
      .orderBy(done ? 'a.done_at' : 'a.due_by', done ? 'desc' : 'asc')
      .orderBy('a.id'),
  );
}

export function forSource(conn: Db | Trx, source: { kind: ActionSourceKind; id: string }) {
  return selectActions(conn)
    .where('a.source_kind', '=', source.kind)
    .where('a.source_id', '=', source.id)
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute();
}

/** Open actions past their due time that have not been chased yet, oldest first. */
export function overdueUnchased(conn: Db | Trx, asOf: Date, limit: number) {
  return conn
    .selectFrom('multi_agency_action')
    .select('id')
    .where('status', '=', 'open')
    .where('due_by', '<=', asOf)
    .where('chased_at', 'is', null)
    .orderBy('due_by')
    .limit(limit)
    .execute();
}

/** How many of the agency's actions are open, and how many of those are overdue (no person data). */
export async function countsForAgency(conn: Db | Trx, agencyId: string, asOf: Date) {
  const row = await conn
    .selectFrom('multi_agency_action')
    .where('owner_agency_id', '=', agencyId)
    .where('status', '=', 'open')
    .select((eb) => [
      eb.fn.countAll<number>().as('open'),
      eb.fn.count<number>(eb.case().when('due_by', '<', asOf).then(1).end()).as('overdue'),
    ])
    .executeTakeFirstOrThrow();
  return { open: Number(row.open), overdue: Number(row.overdue) };
}
