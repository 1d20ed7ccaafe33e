import type { Db, Trx } from '../../db/database.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import type { NewRelationship } from '../people/service.ts';

type CasePeople = { victim_person_id: string; perpetrator_person_ids: string[]; child_person_ids: string[] };

/** Everyone a MARAC case is about: the victim, the perpetrators and the children. */
export function casePersonIds(theCase: CasePeople): string[] {
  return [theCase.victim_person_id, ...theCase.perpetrator_person_ids, ...theCase.child_person_ids];
}

/**
 * The `marac` relationships a case gives agencies taking part in it: each agency with each person
 * the case is about (victim, perpetrators, children), for the case's episode. Listing a case on a
 * meeting and transferring it to another area both grant them.
 */
export function caseRelationships(
  theCase: CasePeople & { id: string },
  areaId: string,
  agencyIds: readonly string[],
  context: AuditContext,
  grantedAt: Date,
): NewRelationship[] {
  return agencyIds.flatMap((agencyId) =>
    casePersonIds(theCase).map((personId) => ({
      personId,
      areaId,
      agencyId,
      basis: 'marac' as const,
      episodeType: 'marac-case',
      episodeId: theCase.id,
      grantedByAgencyId: context.principal.agencyId,
      grantedByName: context.principal.name,
      grantedAt,
    })),
  );
}

/** An audit row about one case: in the case's area, naming the people the step was about. */
export async function auditCase(
  conn: Db | Trx,
  context: AuditContext,
  action: string,
  theCase: { id: string; area_id: string },
  personIds: readonly string[],
  details?: Record<string, unknown>,
): Promise<void> {
  await recordAudit(conn, context, {
    action,
    subjectType: 'marac-case',
    subjectId: theCase.id,
    personIds,
    areaId: theCase.area_id,
    ...(details ? { details } : {}),
  });
}
