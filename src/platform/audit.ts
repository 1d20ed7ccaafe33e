import { createHash, randomUUID } from 'node:crypto';
import type { Db, Trx } from '../db/database.ts';
import type { Principal } from './principal.ts';

/**
 * Append-only, hash-chained audit log. Each sealed row's hash covers its content and the previous
 * row's hash, so altering or deleting any row breaks every hash after it (`harbour audit verify`).
 * Writers only append; the chain order and hashes are assigned after commit by one sealer at a
 * time (audit-sealer.ts, decision 0009), so audited transactions never wait for each other.
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
  /** Set by `batchingAudits`: entries recorded through this transaction are held for one insert. */
  batch?: AuditBatch;
}

/** Audit rows recorded in one transaction, written together by `flushAudits` before it commits. */
export interface AuditBatch {
  trx: Trx;
  rows: AuditRow[];
}

type AuditRow = ReturnType<typeof auditRow>;

export const GENESIS_HASH = '0'.repeat(64);

/** The columns a row's hash covers: its content and the hash before it (not seq or chain_seq). */
export interface ChainedFields {
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

function auditRow(context: AuditContext, entry: AuditEntry) {
  const { principal } = context;
  return {
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
    person_ids: [...(entry.personIds ?? [])],
    area_id: entry.areaId ?? null,
    reason: entry.reason ?? null,
    request_id: context.requestId ?? null,
    details: JSON.stringify(entry.details ?? {}),
  };
}

/**
 * Appends an audit row inside the caller's transaction: it exists if and only if the change it
 * records commits. The row is unsealed; the sealer chains it after commit (audit-sealer.ts).
 */
export async function recordAudit(
  dbOrTrx: Db | Trx,
  context: AuditContext,
  entry: AuditEntry,
): Promise<void> {
  // Inside a batching transaction the row waits for the batch's one insert; anything recorded on
  // another connection (a refusal audited outside the rolled-back transaction) is written at once.
  if (context.batch && context.batch.trx === dbOrTrx) {
    context.batch.rows.push(auditRow(context, entry));
    return;
  }
  await dbOrTrx.insertInto('audit_event').values(auditRow(context, entry)).execute();
}

/**
 * A context whose audit rows recorded through `trx` are collected rather than inserted one by one;
 * the caller must `flushAudits` before the transaction commits. One multi-row insert instead of one
 * per audited step: an intake audits every person it resolves or creates.
 */
export function batchingAudits(context: AuditContext, trx: Trx): AuditContext {
  return { ...context, batch: { trx, rows: [] } };
}

/** Writes the batch's rows in one insert, in the order they were recorded. */
export async function flushAudits(context: AuditContext): Promise<void> {
  const batch = context.batch;
  if (!batch || batch.rows.length === 0) return;
  const rows = batch.rows.splice(0);
  await batch.trx.insertInto('audit_event').values(rows).execute();
}
