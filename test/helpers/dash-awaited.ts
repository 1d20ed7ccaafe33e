import { type Db, transaction } from '../../src/db/database.ts';
import type { Principal } from '../../src/platform/principal.ts';
import type { Services } from '../../src/services.ts';

/**
 * An officer's DASH assessment "to follow", expected as a DAN's intake expects one (in a
 * transaction of its own) but fallen due `hoursOverdue` hours ago, so a test can chase it at once:
 * the reminder goes to the supervisors of the officer's agency. Returns the expectation's id.
 */
export function overdueDash(
  db: Db,
  risk: Services['risk'],
  officer: Principal,
  awaited: { contactId: string; personIds: string[]; hoursOverdue: number },
): Promise<string> {
  return transaction(db, (trx) =>
    risk.expectAssessment(
      trx,
      { principal: officer },
      {
        contactId: awaited.contactId,
        dueFrom: new Date(Date.now() - awaited.hoursOverdue * 3_600_000),
        officerUserId: officer.userId!,
        supervisorAgencyId: officer.agencyId!,
        personIds: awaited.personIds,
      },
    ),
  );
}
