import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Trx } from '../db/database.ts';
import type { Principal } from './principal.ts';

/**
 * Append-only, hash-chained audit log. Each row's hash covers its content and the previous
 * row's hash, so altering or deleting any row breaks every hash after it (`harbour audit verify`).
 * Writers serialise on an advisory lock so the chain has one order even with several app instances.
 */
export interface AuditEntry {
  action: string;
  outcome?: 'allowed' | 'denied' | 'failed';
  subjectType?: string;
  subjectId?: string;
  personIds?: readonly string[];
  areaId?: string | null;
  reason?: string;
  details?: Record<string, unknown>;
}

export interface AuditContext {
  principal: Principal;
  requestId?: string;
}

export const GENESIS_HASH = '0'.repeat(64);
const AUDIT_LOCK = 4242101;

interface ChainedFields {
  id: string;
  occurred_at: Date;
  actor_user_id: string | null;
  actor_name: string;
  actor_agency_id: string | null;
  channel: string;
  action: string;
  outcome: string;
  subject_type: string | null;
  subject_id: string | null;
  person_ids: readonly string[];
  area_id: string | null;
  reason: string | null;
  request_id: string | null;
  details: unknown;
  prev_hash: string;
}

/** JSON with object keys sorted, so the same content always hashes the same after a jsonb round trip. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function hashAuditRow(row: ChainedFields): string {
  const chained: ChainedFields = {
    id: row.id,
    occurred_at: row.occurred_at,
    actor_user_id: row.actor_user_id,
    actor_name: row.actor_name,
    actor_agency_id: row.actor_agency_id,
    channel: row.channel,
    action: row.action,
    outcome: row.outcome,
    subject_type: row.subject_type,
    subject_id: row.subject_id,
    person_ids: [...row.person_ids],
    area_id: row.area_id,
    reason: row.reason,
    request_id: row.request_id,
    details: row.details,
    prev_hash: row.prev_hash,
  };
  return createHash('sha256').update(canonicalJson(chained)).digest('hex');
}

export async function recordAudit(
  dbOrTrx: Db | Trx,
  context: AuditContext,
  entry: AuditEntry,
): Promise<void> {
  if (!dbOrTrx.isTransaction) {
    await dbOrTrx.transaction().execute((trx) => recordAudit(trx, context, entry));
    return;
  }
  const trx = dbOrTrx;
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
  const last = await trx
    .selectFrom('audit_event')
    .select('hash')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const { principal } = context;
  const fields: ChainedFields = {
    id: randomUUID(),
    // Millisecond precision, because that is what a JS Date carries back out of the database.
    occurred_at: new Date(Math.floor(Date.now())),
    actor_user_id: principal.userId,
    actor_name: principal.name,
    actor_agency_id: principal.agencyId,
    channel: principal.channel,
    action: entry.action,
    outcome: entry.outcome ?? 'allowed',
    subject_type: entry.subjectType ?? null,
    subject_id: entry.subjectId ?? null,
    person_ids: entry.personIds ?? [],
    area_id: entry.areaId ?? null,
    reason: entry.reason ?? null,
    request_id: context.requestId ?? null,
    details: entry.details ?? {},
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  await trx
    .insertInto('audit_event')
    .values({
      ...fields,
      channel: principal.channel,
      outcome: fields.outcome as 'allowed' | 'denied' | 'failed',
      person_ids: [...fields.person_ids],
      details: JSON.stringify(fields.details),
      hash: hashAuditRow(fields),
    })
    .execute();
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  /** The newest row's hash: kept elsewhere, it also makes deleting the newest rows detectable. */
  headHash: string;
  problem?: { seq: number; message: string };
}

/** Walks the whole chain in order, in pages, recomputing every hash. */
export async function verifyAuditChain(db: Db, pageSize = 5000): Promise<ChainVerification> {
  let previous = GENESIS_HASH;
  let afterSeq = 0;
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_event')
      .selectAll()
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return { ok: true, checked, headHash: previous };
    for (const row of rows) {
      if (row.prev_hash !== previous) {
        return {
          ok: false,
          checked,
          headHash: previous,
          problem: {
            seq: row.seq,
            message: 'does not follow the row before it (a row was removed or reordered)',
          },
        };
      }
      const expected = hashAuditRow(row);
      if (expected !== row.hash) {
        return {
          ok: false,
          checked,
          headHash: previous,
          problem: { seq: row.seq, message: 'its content does not match its hash (the row was altered)' },
        };
      }
      previous = row.hash;
      afterSeq = row.seq;
      checked++;
    }
  }
}
