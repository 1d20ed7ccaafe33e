import type { ParticipantWhy } from '../../db/schema/strategy-discussions.ts';
import type { Relationship } from '../../platform/access.ts';

/**
 * Who is invited to a strategy discussion: the configured minimum (children's social care,
 * police and health of the area), the agency that asked for it, each child's school, the agencies
 * known to the family (a recorded relationship with a child), and any the manager adds. Each
 * agency once, with the first reason that applies.
 */
export function chooseParticipants(input: {
  areaAgencies: readonly { id: string; kind: string }[];
  minimumKinds: readonly string[];
  requesterAgencyId: string | null;
  relationships: readonly Relationship[];
  /** Agencies that recorded events in the children's chronologies. */
  chronologyAgencyIds?: readonly string[];
  chosenAgencyIds: readonly string[];
}): { agencyId: string; why: ParticipantWhy }[] {
  const chosen = new Map<string, ParticipantWhy>();
  const add = (agencyId: string | null, why: ParticipantWhy) => {
    if (agencyId && !chosen.has(agencyId)) chosen.set(agencyId, why);
  };
  for (const agency of input.areaAgencies)
    if (input.minimumKinds.includes(agency.kind)) add(agency.id, 'minimum');
  add(input.requesterAgencyId, 'referrer');
  for (const r of input.relationships) if (r.basis === 'school-on-roll') add(r.agencyId, 'school');
  for (const r of input.relationships)
    if (r.basis !== 'strategy-discussion') add(r.agencyId, 'known-to-family');
  for (const id of input.chronologyAgencyIds ?? []) add(id, 'known-to-family');
  for (const id of input.chosenAgencyIds) add(id, 'chosen');
  return [...chosen].map(([agencyId, why]) => ({ agencyId, why }));
}
