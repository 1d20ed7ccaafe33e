import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Action, decide, scopeFor } from '../../src/platform/access.ts';
import type { Principal } from '../../src/platform/principal.ts';
import type { AgencyKind, Role } from '../../src/platform/roles.ts';
import { ROLES } from '../../src/platform/roles.ts';

const OWN_AREA = 'area-own';
const OTHER_AREA = 'area-other';
const MY_AGENCY = 'agency-mine';
const OTHER_AGENCY = 'agency-other';

function principal(role: Role, agencyKind: AgencyKind): Principal {
  return {
    userId: 'u1',
    name: role,
    agencyId: MY_AGENCY,
    agencyCode: 'mine',
    agencyName: 'Mine',
    agencyKind,
    areaIds: [OWN_AREA],
    roles: [role],
    channel: 'web',
  };
}

/** The four situations a record can be in, relative to the principal: area × relationship. */
const SITUATIONS = [
  { label: 'own area, not party', resource: { areaId: OWN_AREA, relatedAgencyIds: [OTHER_AGENCY] } },
  { label: 'own area, party to it', resource: { areaId: OWN_AREA, relatedAgencyIds: [MY_AGENCY] } },
  { label: 'other area, not party', resource: { areaId: OTHER_AREA, relatedAgencyIds: [OTHER_AGENCY] } },
  {
    label: 'other area, party to it',
    resource: { areaId: OTHER_AREA, relatedAgencyIds: [MY_AGENCY, OTHER_AGENCY] },
  },
] as const;

/**
 * Expected answers, written out by hand from the need-to-know rules in docs/architecture.md,
 * one letter per situation above: Y allowed, N refused.
 */
type Row = { role: Role; kind: AgencyKind; expect: Partial<Record<Action, string>> };
const MASH = {
  'person:view': 'YYNN',
  'contact:view': 'YYNN',
  'contact:create': 'YYNN',
  'dan:submit': 'NNNN',
  'enquiry:view-response': 'YYNN',
  'chronology:view': 'YYNN',
  'chronology:record': 'YYNN',
  'risk:view': 'YYNN',
  'risk-assessment:create': 'YYNN',
  'dash-awaited:view': 'NNNN',
  'person:create': 'YYNN',
  'person:match': 'YYNN',
  'person:merge': 'YYNN',
  'queue:view': 'YYNN',
  'contact:screen': 'YYNN',
  'early-help:manage': 'YYNN',
  'manager-view:view': 'NNNN',
};
/** Front-door work a partner never does: it refers, answers its own enquiries and sees its own outcomes. */
const NO_FRONT_DOOR_WORK = {
  'queue:view': 'NNNN',
  'contact:screen': 'NNNN',
  'contact:decide': 'NNNN',
  'early-help:manage': 'NNNN',
  'manager-view:view': 'NNNN',
};
const PARTNER = {
  'person:view': 'NYNY',
  'contact:view': 'NYNY',
  'contact:create': 'YYNN',
  'dan:submit': 'NNNN',
  'enquiry:view-response': 'NYNY',
  'enquiry:respond': 'NYNY',
  'chronology:view': 'NYNY',
  'chronology:record': 'NYNY',
  'risk:view': 'NNNN',
  'risk-assessment:create': 'NYNY',
  'dash-awaited:view': 'NNNN',
  'person:create': 'NNNN',
  'person:match': 'NNNN',
  'person:merge': 'NNNN',
  ...NO_FRONT_DOOR_WORK,
};
const NOTHING = {
  'person:view': 'NNNN',
  'contact:view': 'NNNN',
  'contact:create': 'NNNN',
  'dan:submit': 'NNNN',
  'enquiry:view-response': 'NNNN',
  'chronology:view': 'NNNN',
  'chronology:record': 'NNNN',
  'risk:view': 'NNNN',
  'risk-assessment:create': 'NNNN',
  'dash-awaited:view': 'NNNN',
  'person:create': 'NNNN',
  'person:match': 'NNNN',
  'person:merge': 'NNNN',
  ...NO_FRONT_DOOR_WORK,
};
const POLICE_ASSESS = { 'risk-assessment:create': 'YYNN', 'person:match': 'YYNN' };
/** Partner systems match people and create them (bulk transfers) in the areas they serve. */
const PARTNER_SYSTEM_PEOPLE = { 'person:match': 'YYNN', 'person:create': 'YYNN' };
const NOT_MANAGER = {
  'decision:sign-off': 'NNNN',
  'person:view-access-log': 'NNNN',
  'admin:users': 'NNNN',
  'admin:sign-in-limits': 'NNNN',
};

const MATRIX: Row[] = [
  {
    role: 'front_door_practitioner',
    kind: 'childrens_social_care',
    expect: { ...MASH, ...NOT_MANAGER, 'report:view': 'NNNN' },
  },
  {
    role: 'mash_social_worker',
    kind: 'childrens_social_care',
    expect: { ...MASH, ...NOT_MANAGER, 'contact:decide': 'YYNN' },
  },
  {
    role: 'mash_manager',
    kind: 'childrens_social_care',
    expect: {
      ...MASH,
      'decision:sign-off': 'YYNN',
      'person:view-access-log': 'YYNN',
      'report:view': 'YYNN',
      'admin:users': 'NNNN',
      'dash-awaited:view': 'YYNN',
      'manager-view:view': 'YYNN',
    },
  },
  {
    role: 'mash_health',
    kind: 'community_health',
    expect: {
      ...MASH,
      'enquiry:view-response': 'NYNY',
      ...NOT_MANAGER,
      'contact:decide': 'NNNN',
      'person:create': 'NNNN',
      'person:merge': 'NNNN',
      'contact:screen': 'NNNN',
      'early-help:manage': 'NNNN',
    },
  },
  {
    role: 'police_officer',
    kind: 'police',
    expect: { ...PARTNER, ...POLICE_ASSESS, 'dan:submit': 'YYNN', ...NOT_MANAGER, 'report:view': 'NNNN' },
  },
  {
    role: 'police_officer',
    kind: 'acute_trust',
    expect: { ...PARTNER, ...POLICE_ASSESS, 'dan:submit': 'NNNN' },
  },
  {
    role: 'police_supervisor',
    kind: 'police',
    expect: {
      ...PARTNER,
      ...POLICE_ASSESS,
      'dan:submit': 'YYNN',
      'report:view': 'YYNN',
      'dash-awaited:view': 'YYNN',
      ...NOT_MANAGER,
    },
  },
  {
    role: 'health_practitioner',
    kind: 'acute_trust',
    expect: { ...PARTNER, ...NOT_MANAGER, 'contact:screen': 'NNNN' },
  },
  { role: 'school_dsl', kind: 'school', expect: { ...PARTNER, ...NOT_MANAGER } },
  { role: 'probation_officer', kind: 'probation', expect: { ...PARTNER, ...NOT_MANAGER } },
  { role: 'youth_justice_officer', kind: 'youth_justice', expect: { ...PARTNER, ...NOT_MANAGER } },
  {
    role: 'adult_services_practitioner',
    kind: 'adult_substance_misuse',
    expect: { ...PARTNER, ...NOT_MANAGER },
  },
  { role: 'idva', kind: 'idva_service', expect: { ...PARTNER, ...NOT_MANAGER } },
  {
    role: 'marac_coordinator',
    kind: 'childrens_social_care',
    expect: {
      ...PARTNER,
      'person:view': 'YYNY',
      'chronology:view': 'YYNY',
      'risk:view': 'YYNN',
      'report:view': 'YYNN',
      ...NOT_MANAGER,
    },
  },
  {
    role: 'partnership_analyst',
    kind: 'childrens_social_care',
    expect: { ...NOTHING, ...NOT_MANAGER, 'report:view': 'YYNN' },
  },
  {
    role: 'system_admin',
    kind: 'childrens_social_care',
    expect: {
      ...NOTHING,
      'decision:sign-off': 'NNNN',
      'person:view-access-log': 'NNNN',
      'admin:users': 'YYYY',
      'admin:api-keys': 'YYYY',
      'admin:sign-in-limits': 'YYYY',
    },
  },
  {
    role: 'partner_system',
    kind: 'police',
    expect: { ...PARTNER, ...PARTNER_SYSTEM_PEOPLE, 'dan:submit': 'YYNN', ...NOT_MANAGER },
  },
  {
    role: 'partner_system',
    kind: 'gp_practice',
    expect: {
      ...PARTNER,
      ...PARTNER_SYSTEM_PEOPLE,
      'dan:submit': 'NNNN',
      'risk:view': 'NYNY',
      ...NOT_MANAGER,
    },
  },
  {
    role: 'partner_system',
    kind: 'childrens_social_care',
    expect: { ...PARTNER, ...PARTNER_SYSTEM_PEOPLE, 'risk:view': 'NYNY', ...NOT_MANAGER },
  },
  {
    role: 'partner_system',
    kind: 'school',
    expect: { ...PARTNER, ...PARTNER_SYSTEM_PEOPLE, 'risk:view': 'NNNN', ...NOT_MANAGER },
  },
];

describe('access policy matrix (role × agency × area × relationship)', () => {
  it('covers every role', () => {
    const covered = new Set(MATRIX.map((row) => row.role));
    assert.deepEqual([...covered].sort(), Object.keys(ROLES).sort());
  });

  for (const row of MATRIX) {
    it(`${row.role} at a ${row.kind} agency`, () => {
      const p = principal(row.role, row.kind);
      for (const [action, pattern] of Object.entries(row.expect) as [Action, string][]) {
        SITUATIONS.forEach((situation, i) => {
          const decision = decide(p, action, situation.resource);
          assert.equal(
            decision.allowed,
            pattern[i] === 'Y',
            `${action} on a record in ${situation.label}: ${decision.reason}`,
          );
          assert.ok(decision.reason.length > 0);
        });
      }
    });
  }
});

describe('access policy details', () => {
  it('refuses everything to a principal with no roles', () => {
    const nobody: Principal = { ...principal('mash_manager', 'childrens_social_care'), roles: [] };
    const decision = decide(nobody, 'person:view', { areaId: OWN_AREA });
    assert.equal(decision.allowed, false);
    assert.match(decision.reason, /no role/);
  });

  it('explains an agency-kind refusal', () => {
    const decision = decide(principal('police_officer', 'school'), 'dan:submit', { areaId: OWN_AREA });
    assert.equal(decision.allowed, false);
    assert.match(decision.reason, /only police agencies/);
  });

  it('combines roles, taking the widest scope', () => {
    const both: Principal = {
      ...principal('school_dsl', 'school'),
      roles: ['school_dsl', 'marac_coordinator'],
    };
    assert.equal(decide(both, 'person:view', { areaId: OWN_AREA, relatedAgencyIds: [] }).allowed, true);
    assert.equal(decide(both, 'person:view', { areaId: OTHER_AREA, relatedAgencyIds: [] }).allowed, false);
  });

  it('turns grants into row filters for repositories', () => {
    assert.deepEqual(scopeFor(principal('mash_social_worker', 'childrens_social_care'), 'person:view'), {
      kind: 'filtered',
      areaIds: [OWN_AREA],
      relatedAgencyId: null,
    });
    assert.deepEqual(scopeFor(principal('school_dsl', 'school'), 'person:view'), {
      kind: 'filtered',
      areaIds: [],
      relatedAgencyId: MY_AGENCY,
    });
    assert.deepEqual(scopeFor(principal('marac_coordinator', 'childrens_social_care'), 'person:view'), {
      kind: 'filtered',
      areaIds: [OWN_AREA],
      relatedAgencyId: MY_AGENCY,
    });
    assert.deepEqual(scopeFor(principal('partnership_analyst', 'childrens_social_care'), 'person:view'), {
      kind: 'none',
    });
    assert.deepEqual(scopeFor(principal('system_admin', 'childrens_social_care'), 'admin:users'), {
      kind: 'all',
    });
  });
});
