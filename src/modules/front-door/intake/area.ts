import type { Trx } from '../../../db/database.ts';
import { normalisePostcode, postcodeDistrict } from '../../../domain/identifiers.ts';
import { assertAllowed } from '../../../platform/access.ts';
import { ValidationError } from '../../../platform/errors.ts';
import type { Principal } from '../../../platform/principal.ts';
import type { DirectoryService } from '../../directory/service.ts';
import type { Submission } from './submission.ts';

export type AreaOf = (postcode: string | undefined) => Promise<string | null>;

/** The area a postcode's district belongs to, each district looked up once per submission. */
export function areaFinder(directory: DirectoryService, trx: Trx): AreaOf {
  const areas = new Map<string, string | null>();
  return async (postcode) => {
    const district = postcodeDistrict(normalisePostcode(postcode ?? '') ?? '');
    if (!district) return null;
    if (!areas.has(district))
      areas.set(district, (await directory.areaForPostcodeDistrict(district, trx))?.id ?? null);
    return areas.get(district)!;
  };
}

/** Step 1: the submission's postcode routes it to an area the submitter may send to. */
export async function routeToArea(areaOf: AreaOf, submission: Submission, principal: Principal) {
  const areaId = await areaOf(submission.postcode);
  if (!areaId)
    throw new ValidationError([
      {
        field: submission.postcodeField,
        message: 'This postcode is outside every area this partnership serves',
      },
    ]);
  assertAllowed(principal, submission.action, { areaId }, { type: 'contact', areaId });
  return areaId;
}
