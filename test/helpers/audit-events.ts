import type { Selectable } from 'kysely';
import type { Db } from '../../src/db/database.ts';
import type { AuditEventTable } from '../../src/db/schema/foundation.ts';

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

/** The last event written to the audit log. */
export function lastAuditEvent(db: Db): Promise<Selectable<AuditEventTable>> {
  return db.selectFrom('audit_event').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
}
