import type { AuditEntry } from './audit.ts';

/**
 * The subject of an audit entry for an action on one record about one person: the record, the
 * person and the area that holds them. Every such entry names all three, so that the person's
 * access log and an area's audit report find it.
 */
export function personRecordSubject(
  subjectType: string,
  subjectId: string,
  personId: string,
  areaId: string | null,
): Required<Pick<AuditEntry, 'subjectType' | 'subjectId' | 'personIds' | 'areaId'>> {
  return { subjectType, subjectId, personIds: [personId], areaId };
}
