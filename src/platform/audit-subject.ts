import type { Db, Trx } from '../db/database.ts';
import type { Subject } from './access.ts';
import { type AuditContext, type AuditEntry, recordAudit } from './audit.ts';

/**
 * Audits an action on a subject named as a refusal names it (`Subject`: the record, the people it
 * concerns and its area), so that an action's refusal and its success are logged alike and a
 * module describes each kind of record once.
 */
export function auditOnSubject(
  conn: Db | Trx,
  context: AuditContext,
  action: string,
  subject: Subject,
  more: Pick<AuditEntry, 'reason' | 'details'> = {},
) {
  return recordAudit(conn, context, {
    action,
    subjectType: subject.type,
    subjectId: subject.id,
    personIds: subject.personIds,
    areaId: subject.areaId,
    ...more,
  });
}
