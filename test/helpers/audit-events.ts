import type { Db } from '../../src/db/database.ts';

/**
 * The details of the latest audit event of an action (of one subject, where given), as an object
 * on either backend: PGlite can hand the JSON column back as text.
 */
export async function latestAuditDetails(
  db: Db,
  action: string,
  subjectId?: string,
): Promise<Record<string, unknown>> {
  let query = db.selectFrom('audit_event').select('details').where('action', '=', action);
  if (subjectId !== undefined) query = query.where('subject_id', '=', subjectId);
  const { details } = await query.orderBy('occurred_at', 'desc').executeTakeFirstOrThrow();
  return typeof details === 'string' ? JSON.parse(details) : (details as Record<string, unknown>);
}
