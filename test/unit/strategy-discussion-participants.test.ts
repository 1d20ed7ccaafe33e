import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ParticipantWhy } from '../../src/db/schema/strategy-discussions.ts';
import { chooseParticipants } from '../../src/modules/strategy-discussions/participants.ts';

/** The agencies invited for one reason, in the order they are chosen. */
const invited = (why: ParticipantWhy, ...agencyIds: string[]) =>
  agencyIds.map((agencyId) => ({ agencyId, why }));

describe('strategy discussion participants', () => {
  const areaAgencies = [
    { id: 'csc', kind: 'childrens_social_care' },
    { id: 'police', kind: 'police' },
    { id: 'health', kind: 'community_health' },
    { id: 'housing', kind: 'housing' },
  ];
  const minimumKinds = ['childrens_social_care', 'police', 'community_health'];

  it('invites the minimum, the requester, the school and agencies known to the family, each once with its first reason', () => {
    const chosen = chooseParticipants({
      areaAgencies,
      minimumKinds,
      requesterAgencyId: 'school',
      relationships: [
        { agencyId: 'school', basis: 'school-on-roll', expiresAt: null },
        { agencyId: 'gp', basis: 'registered-gp', expiresAt: null },
        { agencyId: 'police', basis: 'enquiry', expiresAt: null },
      ],
      chronologyAgencyIds: ['probation', 'police'],
      chosenAgencyIds: ['idva', 'gp'],
    });
    assert.deepEqual(chosen, [
      ...invited('minimum', 'csc', 'police', 'health'),
      ...invited('referrer', 'school'),
      ...invited('known-to-family', 'gp', 'probation'),
      ...invited('chosen', 'idva'),
    ]);
  });

  it('follows the configured minimum: an agency of another kind in the area is not invited for being there', () => {
    const chosen = chooseParticipants({
      areaAgencies,
      minimumKinds: ['police'],
      requesterAgencyId: null,
      relationships: [{ agencyId: 'other-sd', basis: 'strategy-discussion', expiresAt: null }],
      chosenAgencyIds: [],
    });
    assert.deepEqual(chosen, invited('minimum', 'police'));
  });
});
