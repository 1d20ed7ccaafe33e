import type { Selectable, SelectQueryBuilder } from 'kysely';
import type { Db } from '../../src/db/database.ts';
import type { AuditEventTable } from '../../src/db/schema/foundation.ts';
import type { DB } from '../../src/db/schema.ts';

/** What a test looks for in the audit log: every condition given must hold. */
export interface AuditFilter {
  subjectId?: string;
  /** One action, or any of several. */
  action?: string | readonly string[];
  outcome?: AuditEventTable['outcome'];
}

/** The audit events that match, in the order they were written. */
export function auditEvents(db: Db, filter: AuditFilter): Promise<Selectable<AuditEventTable>[]> {
  let query = db.selectFrom('audit_event').selectAll().orderBy('seq');
  if (filter.subjectId !== undefined) query = query.where('subject_id', '=', filter.subjectId);
  if (typeof filter.action === 'string') query = query.where('action', '=', filter.action);
  else if (filter.action) query = query.where('action', 'in', [...filter.action]);
  if (filter.outcome) query = query.where('outcome', '=', filter.outcome);
  return query.execute();
}

/**
 * The latest audit event of an action (of one subject, where given); there must be one. Latest by
 * the order rows were written (`seq`), which two events in one millisecond do not share.
 */
export function latestAuditEvent(
  db: Db,
  action: string,
  subjectId?: string,
): Promise<Selectable<AuditEventTable>> {
  return newest(db.selectFrom('audit_event').selectAll().where('action', '=', action), subjectId);
}

/** The last event written to the audit log, of any action. */
export function lastAuditEvent(db: Db): Promise<Selectable<AuditEventTable>> {
  return newest(db.selectFrom('audit_event').selectAll());
}

function newest(
  query: SelectQueryBuilder<DB, 'audit_event', Selectable<AuditEventTable>>,
  subjectId?: string,
): Promise<Selectable<AuditEventTable>> {
  const about = subjectId === undefined ? query : query.where('subject_id', '=', subjectId);
  return about.orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
}

/**
 * The details of the latest audit event of an action (of one subject, where given), as an object
 * on either backend: PGlite can hand the JSON column back as text.
 */
export async function latestAuditDetails(
  db: Db,
  action: string,
  subjectId?: string,
): Promise<Record<string, unknown>> {
  const { details } = await latestAuditEvent(db, action, subjectId);
  return typeof details === 'string' ? JSON.parse(details) : (details as Record<string, unknown>);
}
