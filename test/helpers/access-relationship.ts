import type { AccessRelationshipTable } from '../../src/db/schema/people.ts';
import type { Deps } from '../../src/platform/deps.ts';

/**
 * Records that an agency may see a person, as the front door would when it names the agency (a
 * set-up step: tests about what an agency then sees). One already there is left as it is.
 */
export async function grantAccess(
  deps: Pick<Deps, 'db'>,
  to: { personId: string; agencyId: string; areaId: string; basis: AccessRelationshipTable['basis'] },
  grantedBy = 'Test setup',
): Promise<void> {
  await deps.db
    .insertInto('access_relationship')
    .values({
      person_id: to.personId,
      agency_id: to.agencyId,
      area_id: to.areaId,
      basis: to.basis,
      granted_by_name: grantedBy,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}
