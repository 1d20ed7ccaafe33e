import type { Db, Trx } from '../../db/database.ts';
import type { Relationship, Resource } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import type { PeopleService } from '../people/service.ts';
import { contactAccessRow, contactPersonRoles } from './contact-repository.ts';
import type { ContactRow } from './repository.ts';

/**
 * The policy's view of a contact: its area (the MASH), its submitter (fact-supplier) and the
 * relationships it gave rise to (enquiries sent, agencies its submission named).
 */
export function contactResource(
  contact: Pick<ContactRow, 'area_id' | 'source_agency_id'>,
  relationships: readonly Relationship[],
  asOf: Date,
): Resource & {
  areaId: string;
  suppliedBy: string | null;
  relationships: readonly Relationship[];
  asOf: Date;
} {
  return { areaId: contact.area_id, suppliedBy: contact.source_agency_id, relationships, asOf };
}

/**
 * What another module needs to decide about a reference to a contact (a risk assessment's
 * contactId): the policy's view of it and the people on it. Not access-checked: the caller
 * decides with it. Lives here rather than on the service because the front door's service uses
 * the risk module, which calls this (decision 0008).
 */
export async function contactAccessFacts(
  deps: Deps,
  people: PeopleService,
  contactId: string,
  conn: Db | Trx = deps.db,
) {
  const contact = await contactAccessRow(conn, contactId);
  if (!contact) return null;
  const onIt = await contactPersonRoles(conn, contactId);
  const relationships = await people.relationshipsOfContact(contactId, conn);
  return {
    contact,
    resource: contactResource(contact, relationships, deps.now()),
    personIds: onIt.map((p) => p.person_id),
  };
}
