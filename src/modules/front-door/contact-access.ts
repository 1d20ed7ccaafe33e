import { decide, type Resource } from '../../platform/access.ts';
import type { Principal } from '../../platform/principal.ts';
import type { ContactRow } from './repository.ts';

export function contactResource(contact: Pick<ContactRow, 'area_id' | 'related_agency_ids'>): Resource {
  return { areaId: contact.area_id, relatedAgencyIds: contact.related_agency_ids };
}

/**
 * How much of a contact a principal sees. The MASH (area scope) sees all of it; a partner sees it
 * only because it is party to it, and then: the referrer sees what it sent and the outcome (F11,
 * F16), an agency asked for information sees the concern and its own enquiry, a child's school
 * sees that there is a contact about its pupil and its status. Enquiry responses are shown only
 * to those the policy lets see that agency's response: police never see health's.
 */
export function contactVisibility(principal: Principal, contact: ContactRow, enquiryAgencyIds: string[]) {
  const byArea = decide(principal, 'contact:view', { areaId: contact.area_id, relatedAgencyIds: [] }).allowed;
  const submitter = principal.agencyId !== null && contact.source_agency_id === principal.agencyId;
  const askedForInformation = principal.agencyId !== null && enquiryAgencyIds.includes(principal.agencyId);
  return {
    whole: byArea,
    narrative: byArea || submitter || askedForInformation,
    outcome: byArea || submitter,
    history: byArea,
    submitter,
    enquiry: (agencyId: string) => byArea || agencyId === principal.agencyId,
    response: (agencyId: string) =>
      decide(principal, 'enquiry:view-response', { areaId: contact.area_id, relatedAgencyIds: [agencyId] })
        .allowed,
  };
}
