import type { Db, Trx } from '../db/database.ts';
import type { Subject } from './access.ts';
import { type AuditContext, type AuditEntry, recordAudit } from './audit.ts';

/**
 * Audits an action on a subject named as a refusal names it (`Subject`: the record, the people it
 * concerns and its area), so that an action's refusal and its success are logged alike and a
 * module describes each kind of record once. Every audited action on a record goes through here.
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

/**
 * The subject of one record about one person: the record, the person and the area that holds
 * them. Naming all three lets the person's access log and an area's audit report find the entry.
 */
export function personRecordSubject(
  type: string,
  id: string,
  personId: string,
  areaId: string | null,
): Required<Subject> {
  return { type, id, personIds: [personId], areaId };
}
