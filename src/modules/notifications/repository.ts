import type { Insertable } from 'kysely';
import {
  deleteWhere,
  insertReturningId,
  insertRows,
  rowsWhere,
  rowWhere,
  updateWhere,
} from '../../db/common-queries.ts';
import type { Db, Trx } from '../../db/database.ts';
import { pageWithTotal } from '../../db/paging.ts';
import type {
  DeliveryChannel,
  DeliveryStatus,
  NotificationAgencySettingTable,
  OutboxMessageTable,
} from '../../db/schema/notifications.ts';
import { overwriteExcept } from '../../db/upsert.ts';

type Conn = Db | Trx;

/** A message as the outbox stores it: every column but the ones the database fills. */
export type NewMessageRow = Required<Omit<Insertable<OutboxMessageTable>, 'id' | 'created_at'>>;

export interface NewDeliveryRow {
  channel: DeliveryChannel;
  recipient_user_id: string | null;
  address: string;
  includes_sensitive: boolean;
  status: DeliveryStatus;
  sent_at: Date | null;
}

export function insertMessage(trx: Trx, row: NewMessageRow): Promise<string> {
  return insertReturningId(trx.insertInto('outbox_message'), row);
}

export async function insertDeliveries(
  trx: Trx,
  messageId: string,
  areaId: string,
  rows: readonly NewDeliveryRow[],
  at: Date,
): Promise<{ id: string; channel: DeliveryChannel }[]> {
  if (rows.length === 0) return [];
  return trx
    .insertInto('outbox_delivery')
    .values(
      rows.map((r) => ({ ...r, message_id: messageId, area_id: areaId, created_at: at, updated_at: at })),
    )
    .returning(['id', 'channel'])
    .execute();
}

const DELIVERY_COLUMNS = [
  'd.id',
  'd.message_id',
  'd.channel',
  'd.recipient_user_id',
  'd.address',
  'd.includes_sensitive',
  'd.status',
  'd.attempts',
  'd.next_attempt_at',
  'd.last_error',
  'd.sent_at',
  'd.read_at',
  'd.read_by_name',
  'd.created_at',
  'm.type',
  'm.reference',
  'm.subject',
  'm.link',
  'm.detail',
  'm.sensitive_detail',
  'm.person_ids',
  'm.due_by',
  'm.recipient_agency_id',
  'm.recipient_user_id as message_user_id',
  'm.sender_agency_id',
  'm.sender_name',
  'm.area_id',
] as const;

function deliveries(conn: Conn) {
  return conn.selectFrom('outbox_delivery as d').innerJoin('outbox_message as m', 'm.id', 'd.message_id');
}

/** One delivery with its message, locked for the attempt about to be made. */
export function lockDelivery(trx: Trx, id: string) {
  return deliveries(trx).select(DELIVERY_COLUMNS).where('d.id', '=', id).forUpdate('d').executeTakeFirst();
}

export type DeliveryRow = NonNullable<Awaited<ReturnType<typeof lockDelivery>>>;

export function findDelivery(conn: Conn, id: string) {
  return deliveries(conn).select(DELIVERY_COLUMNS).where('d.id', '=', id).executeTakeFirst();
}

/** A dead-lettered delivery made pending again, with a fresh schedule of attempts. */
export async function requeueDelivery(trx: Trx, id: string, at: Date): Promise<void> {
  const pending = trx
    .updateTable('outbox_delivery')
    .set({ status: 'pending', attempts: 0, next_attempt_at: null, updated_at: at });
  await updateWhere(pending, { id, status: 'dead-letter' });
}

export async function recordAttempt(
  trx: Trx,
  id: string,
  change: {
    status: DeliveryStatus;
    attempts: number;
    at: Date;
    nextAttemptAt: Date | null;
    error: string | null;
  },
): Promise<void> {
  const attempted = trx.updateTable('outbox_delivery').set({
    status: change.status,
    attempts: change.attempts,
    next_attempt_at: change.nextAttemptAt,
    last_error: change.error,
    updated_at: change.at,
    ...(change.status === 'sent' ? { sent_at: change.at } : {}),
  });
  await updateWhere(attempted, { id });
}

/** The in-app entries a person sees: their agency's messages to it and the ones to them by name. */
function inbox(conn: Conn, agencyId: string, userId: string | null) {
  return deliveries(conn)
    .where('d.channel', '=', 'in-app')
    .where('m.recipient_agency_id', '=', agencyId)
    .where((eb) =>
      userId === null
        ? eb('m.recipient_user_id', 'is', null)
        : eb.or([eb('m.recipient_user_id', 'is', null), eb('m.recipient_user_id', '=', userId)]),
    );
}

export async function inboxPage(
  conn: Conn,
  who: { agencyId: string; userId: string | null },
  query: { show: 'all' | 'unread'; page: number; pageSize: number },
) {
  let q = inbox(conn, who.agencyId, who.userId);
  if (query.show === 'unread') q = q.where('d.read_at', 'is', null);
  return pageWithTotal(q, query, (base) =>
    base.select(DELIVERY_COLUMNS).orderBy('d.created_at', 'desc').orderBy('d.id'),
  );
}

export async function unreadCount(conn: Conn, who: { agencyId: string; userId: string | null }) {
  const { n } = await inbox(conn, who.agencyId, who.userId)
    .where('d.read_at', 'is', null)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

export async function markRead(trx: Trx, deliveryId: string, at: Date, name: string): Promise<void> {
  const read = trx.updateTable('outbox_delivery').set({ read_at: at, read_by_name: name, updated_at: at });
  await updateWhere(read, { id: deliveryId, read_at: null });
}

export interface ReportQuery {
  status: DeliveryStatus | 'any';
  channel: DeliveryChannel | 'any';
  /** Only deliveries of messages this agency sent (the sender's managers). */
  senderAgencyId?: string;
  page: number;
  pageSize: number;
}

export async function report(conn: Conn, query: ReportQuery) {
  let q = deliveries(conn);
  if (query.status !== 'any') q = q.where('d.status', '=', query.status);
  if (query.channel !== 'any') q = q.where('d.channel', '=', query.channel);
  if (query.senderAgencyId) q = q.where('m.sender_agency_id', '=', query.senderAgencyId);
  return pageWithTotal(q, query, (base) =>
    base
      .select([...DELIVERY_COLUMNS, 'd.updated_at'])
      .orderBy('d.updated_at', 'desc')
      .orderBy('d.id'),
  );
}

export async function statusCounts(conn: Conn, senderAgencyId?: string) {
  let q = deliveries(conn);
  if (senderAgencyId) q = q.where('m.sender_agency_id', '=', senderAgencyId);
  const rows = await q
    .select(['d.status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('d.status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) as Partial<
    Record<DeliveryStatus, number>
  >;
}

export function agencySetting(conn: Conn, agencyId: string) {
  return rowWhere(conn.selectFrom('notification_agency_setting').selectAll(), { agency_id: agencyId });
}

export type AgencySettingRow = NonNullable<Awaited<ReturnType<typeof agencySetting>>>;

export async function saveAgencySetting(
  trx: Trx,
  row: Required<Insertable<NotificationAgencySettingTable>>,
): Promise<void> {
  await trx
    .insertInto('notification_agency_setting')
    .values(row)
    .onConflict((oc) => oc.column('agency_id').doUpdateSet(overwriteExcept(row, 'agency_id')))
    .execute();
}

/** The agency's own choices (user_id null) and its people's, for the types asked. */
export function preferences(
  conn: Conn,
  agencyId: string,
  filter: { userId?: string | null; types?: readonly string[] },
) {
  const chosen = conn.selectFrom('notification_preference').select(['user_id', 'message_type', 'channels']);
  return rowsWhere(chosen, {
    agency_id: agencyId,
    ...(filter.userId !== undefined ? { user_id: filter.userId } : {}),
    ...(filter.types ? { message_type: filter.types } : {}),
  });
}

/** Replaces the agency's (userId null) or one person's choices with these, in one statement each. */
export async function replacePreferences(
  trx: Trx,
  agencyId: string,
  userId: string | null,
  choices: readonly { type: string; channels: string[] }[],
  at: Date,
): Promise<void> {
  await deleteWhere(trx.deleteFrom('notification_preference'), { agency_id: agencyId, user_id: userId });
  await insertRows(
    trx.insertInto('notification_preference'),
    choices.map((c) => ({
      agency_id: agencyId,
      user_id: userId,
      message_type: c.type,
      channels: c.channels,
      updated_at: at,
    })),
  );
}
