import type { Selectable } from 'kysely';
import type { Db } from '../../src/db/database.ts';
import type { AuditEventTable } from '../../src/db/schema/foundation.ts';

/** The latest audit event of an action (of one subject, where given); there must be one. */
export function latestAuditEvent(
  db: Db,
  action: string,
  subjectId?: string,
): Promise<Selectable<AuditEventTable>> {
  let query = db.selectFrom('audit_event').selectAll().where('action', '=', action);
  if (subjectId !== undefined) query = query.where('subject_id', '=', subjectId);
  return query.orderBy('occurred_at', 'desc').limit(1).executeTakeFirstOrThrow();
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
