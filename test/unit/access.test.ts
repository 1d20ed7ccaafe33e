import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type Action,
  chronologyEventScope,
  contactDisclosure,
  decide,
  decideDeliveryRetry,
  decideEncompassNotice,
  decideMaracMeeting,
  decideNotificationRead,
  decideReference,
  decideUndeliveredView,
  encompassNoticeScope,
  enquiryConcerns,
  eventVisible,
  grantedScopes,
  maracResearchVisible,
  RECORDED_BASES,
  RELATIONSHIP_BASES,
  type Relationship,
  type RelationshipBasis,
  scopeFor,
} from '../../src/platform/access.ts';
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

const NOW = new Date('2026-03-03T10:00:00Z');
const LATER = new Date('2026-04-01T00:00:00Z');
const EARLIER = new Date('2026-03-01T00:00:00Z');
const rel = (agencyId: string, basis: RelationshipBasis, expiresAt: Date | null = null): Relationship => ({
  agencyId,
  basis,
  expiresAt,
});

/**
 * The four situations a record can be in, relative to the principal: area × relationship. "Party
 * to it" is a current enquiry relationship (the basis that grants the most); each basis on its own
 * is in the next describe block.
 */
const SITUATIONS = [
  {
    label: 'own area, not party',
    resource: { areaId: OWN_AREA, relationships: [rel(OTHER_AGENCY, 'enquiry')], asOf: NOW },
  },
  {
    label: 'own area, party to it',
    resource: { areaId: OWN_AREA, relationships: [rel(MY_AGENCY, 'enquiry')], asOf: NOW },
  },
  {
    label: 'other area, not party',
    resource: { areaId: OTHER_AREA, relationships: [rel(OTHER_AGENCY, 'enquiry')], asOf: NOW },
  },
  {
    label: 'other area, party to it',
    resource: {
      areaId: OTHER_AREA,
      relationships: [rel(MY_AGENCY, 'enquiry'), rel(OTHER_AGENCY, 'school-on-roll')],
      asOf: NOW,
    },
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
  // Operation Encompass: the MASH sees its area's notices; acknowledging is the addressee's
  // (decideEncompassNotice, below), which no relationship row on a record grants.
  'encompass:view': 'YYNN',
  'encompass:acknowledge': 'NNNN',
  'encompass:share': 'NNNN',
  'encompass:review': 'NNNN',
  'encompass:administer': 'NNNN',
};
/** Front-door work a partner never does: it refers, answers its own enquiries and sees its own outcomes. */
const NO_FRONT_DOOR_WORK = {
  'queue:view': 'NNNN',
  'contact:screen': 'NNNN',
  'contact:decide': 'NNNN',
  'early-help:manage': 'NNNN',
  'manager-view:view': 'NNNN',
};
/**
 * No Operation Encompass work by area or by a record's relationship: such a role's notices are
 * those addressed to it or escalated to it (decideEncompassNotice, below).
 */
const NO_ENCOMPASS = {
  'encompass:view': 'NNNN',
  'encompass:acknowledge': 'NNNN',
  'encompass:share': 'NNNN',
  'encompass:review': 'NNNN',
  'encompass:report': 'NNNN',
  'encompass:administer': 'NNNN',
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
  // A partner's Encompass notices are those addressed to it: never by area, never by a record's relationship.
  ...NO_ENCOMPASS,
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
  'person:subject-access': 'NNNN',
  'retention:review': 'NNNN',
  'retention:confirm': 'NNNN',
  'matching:view-model': 'NNNN',
  'matching:train': 'NNNN',
  'matching:set-thresholds': 'NNNN',
  'notification:report': 'NNNN',
  'notification:configure': 'NNNN',
};
/** A police officer at a police agency; a supervisor may do all this and more (its row, below). */
const POLICE_OFFICER = {
  ...PARTNER,
  ...POLICE_ASSESS,
  'dan:submit': 'YYNN',
  ...NOT_MANAGER,
  'report:view': 'NNNN',
  'encompass:share': 'YYNN',
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
      'matching:view-model': 'YYYY',
      'matching:train': 'YYYY',
      'matching:set-thresholds': 'YYYY',
      'decision:sign-off': 'YYNN',
      'person:view-access-log': 'YYNN',
      'report:view': 'YYNN',
      'admin:users': 'NNNN',
      'dash-awaited:view': 'YYNN',
      'manager-view:view': 'YYNN',
      // Retention: the manager lists what is due and confirms its removal, in their own areas.
      'retention:review': 'YYNN',
      'retention:confirm': 'YYNN',
      'person:subject-access': 'NNNN',
      'notification:report': 'NNNN',
      'notification:configure': 'NNNN',
      'encompass:report': 'YYNN',
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
      'encompass:view': 'NNNN',
    },
  },
  { role: 'police_officer', kind: 'police', expect: POLICE_OFFICER },
  {
    role: 'police_officer',
    kind: 'acute_trust',
    expect: { ...PARTNER, ...POLICE_ASSESS, 'dan:submit': 'NNNN' },
  },
  {
    role: 'police_supervisor',
    kind: 'police',
    expect: {
      ...POLICE_OFFICER,
      'report:view': 'YYNN',
      'dash-awaited:view': 'YYNN',
      'encompass:view': 'YYNN',
      'encompass:review': 'YYNN',
      'encompass:report': 'YYNN',
    },
  },
  {
    role: 'health_practitioner',
    kind: 'acute_trust',
    expect: { ...PARTNER, ...NOT_MANAGER, 'contact:screen': 'NNNN' },
  },
  { role: 'school_dsl', kind: 'school', expect: { ...PARTNER, ...NOT_MANAGER } },
  {
    // The LA's education safeguarding officer: no case records, no front-door work; notices only as
    // their addressee or escalation (decideEncompassNotice, below), and the area's report.
    role: 'education_safeguarding_officer',
    kind: 'childrens_social_care',
    expect: {
      ...NOTHING,
      ...NOT_MANAGER,
      ...NO_ENCOMPASS,
      'enquiry:respond': 'NNNN',
      'encompass:report': 'YYNN',
    },
  },
  // The early help service: a partner that also receives stepped-down children in its areas.
  {
    role: 'early_help_practitioner',
    kind: 'early_help',
    expect: { ...PARTNER, ...NOT_MANAGER, 'early-help:manage': 'YYNN' },
  },
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
    expect: { ...NOTHING, ...NOT_MANAGER, 'report:view': 'YYNN', 'encompass:report': 'YYNN' },
  },
  {
    // Sees a record only by exporting it for a subject access request; lists retention, never confirms.
    role: 'data_protection_officer',
    kind: 'childrens_social_care',
    expect: {
      ...NOTHING,
      ...NOT_MANAGER,
      'person:subject-access': 'YYNN',
      'retention:review': 'YYNN',
    },
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
      'matching:view-model': 'YYYY',
      'matching:train': 'YYYY',
      // Thresholds trade missed links against the review queue: the MASH manager's call.
      'matching:set-thresholds': 'NNNN',
      // The outbox: every delivery's state, and each agency's channels and addresses.
      'notification:report': 'YYYY',
      'notification:configure': 'YYYY',
      'encompass:administer': 'YYYY',
      'encompass:view': 'NNNN',
    },
  },
  {
    role: 'partner_system',
    kind: 'police',
    expect: {
      ...PARTNER,
      ...PARTNER_SYSTEM_PEOPLE,
      'dan:submit': 'YYNN',
      ...NOT_MANAGER,
      'encompass:share': 'YYNN',
    },
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
    // A children's services system acts as the MASH of its areas (mash-of-area), and through
    // relationships beyond them.
    role: 'partner_system',
    kind: 'childrens_social_care',
    expect: {
      ...PARTNER,
      ...PARTNER_SYSTEM_PEOPLE,
      'person:view': 'YYNY',
      'contact:view': 'YYNY',
      'chronology:view': 'YYNY',
      'chronology:record': 'YYNY',
      'risk:view': 'YYNY',
      'risk-assessment:create': 'YYNY',
      'dash-awaited:receive': 'YYNN',
      ...NOT_MANAGER,
    },
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
  it('lets the operator’s command line export for subject access, and nothing else it was not granted', () => {
    const cli: Principal = {
      ...principal('system_admin', 'childrens_social_care'),
      roles: [],
      channel: 'cli',
    };
    assert.equal(decide(cli, 'person:subject-access', { areaId: OTHER_AREA }).allowed, true);
    assert.equal(decide(cli, 'person:view', { areaId: OWN_AREA }).allowed, false);
    const web: Principal = { ...cli, channel: 'web' };
    assert.equal(decide(web, 'person:subject-access', { areaId: OWN_AREA }).allowed, false);
  });

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
    assert.equal(decide(both, 'person:view', { areaId: OWN_AREA, relationships: [] }).allowed, true);
    assert.equal(decide(both, 'person:view', { areaId: OTHER_AREA, relationships: [] }).allowed, false);
  });

  it('turns grants into row filters for repositories', () => {
    const personBases = RECORDED_BASES;
    assert.deepEqual(scopeFor(principal('mash_social_worker', 'childrens_social_care'), 'person:view', NOW), {
      kind: 'filtered',
      areaIds: [OWN_AREA],
      relatedAgencyId: null,
      bases: personBases,
      asOf: NOW,
    });
    assert.deepEqual(scopeFor(principal('school_dsl', 'school'), 'person:view', NOW), {
      kind: 'filtered',
      areaIds: [],
      relatedAgencyId: MY_AGENCY,
      bases: personBases,
      asOf: NOW,
    });
    assert.deepEqual(scopeFor(principal('marac_coordinator', 'childrens_social_care'), 'person:view', NOW), {
      kind: 'filtered',
      areaIds: [OWN_AREA],
      relatedAgencyId: MY_AGENCY,
      bases: personBases,
      asOf: NOW,
    });
    assert.deepEqual(
      (scopeFor(principal('school_dsl', 'school'), 'enquiry:respond', NOW) as { bases: string[] }).bases,
      ['enquiry', 'strategy-discussion', 'marac'],
      'only episode bases let an agency answer an enquiry',
    );
    assert.deepEqual(scopeFor(principal('partnership_analyst', 'childrens_social_care'), 'person:view'), {
      kind: 'none',
    });
    assert.deepEqual(scopeFor(principal('system_admin', 'childrens_social_care'), 'admin:users'), {
      kind: 'all',
    });
  });
});

/** What each recorded basis lets a partner (school DSL, related scope) do, and nothing else. */
const STANDING_ACTIONS: Action[] = [
  'person:view',
  'chronology:view',
  'chronology:record',
  'risk-assessment:create',
  'contact:view',
];
const EPISODE_ONLY: Action[] = ['enquiry:respond', 'enquiry:view-response'];
const BASIS_EXPECTATIONS: Record<RelationshipBasis, { grants: Action[]; refuses: Action[] }> = {
  enquiry: {
    grants: [...STANDING_ACTIONS, ...EPISODE_ONLY],
    refuses: ['person:merge', 'dash-awaited:receive'],
  },
  'strategy-discussion': { grants: [...STANDING_ACTIONS, ...EPISODE_ONLY], refuses: ['person:merge'] },
  marac: { grants: [...STANDING_ACTIONS, ...EPISODE_ONLY], refuses: ['person:merge'] },
  'school-on-roll': { grants: STANDING_ACTIONS, refuses: EPISODE_ONLY },
  'registered-gp': { grants: STANDING_ACTIONS, refuses: EPISODE_ONLY },
  'health-visitor': { grants: STANDING_ACTIONS, refuses: EPISODE_ONLY },
  'allocated-worker': { grants: STANDING_ACTIONS, refuses: EPISODE_ONLY },
  'break-glass': {
    grants: ['person:view', 'chronology:view'],
    refuses: ['chronology:record', 'risk-assessment:create', 'flag:raise', ...EPISODE_ONLY],
  },
};

describe('relationship bases: each grants, each expires', () => {
  const partner = principal('school_dsl', 'school');

  it('documents every basis, and the recorded ones are exactly those stored', () => {
    for (const [basis, about] of Object.entries(RELATIONSHIP_BASES)) {
      assert.ok(about.meaning.length > 20, `${basis} has a meaning`);
      assert.ok(about.lasts.length > 3, `${basis} says how long it lasts`);
    }
    assert.deepEqual(Object.keys(BASIS_EXPECTATIONS).sort(), [...RECORDED_BASES].sort());
  });

  for (const basis of RECORDED_BASES) {
    it(`${basis}: grants while current, in any area; refuses once expired, or to another agency`, () => {
      const { grants, refuses } = BASIS_EXPECTATIONS[basis];
      for (const action of grants) {
        for (const area of [OWN_AREA, OTHER_AREA]) {
          const current = decide(partner, action, {
            areaId: area,
            relationships: [rel(MY_AGENCY, basis)],
            asOf: NOW,
          });
          assert.equal(current.allowed, true, `${action} on ${basis}: ${current.reason}`);
          assert.equal(current.basis, basis);
          const expiring = decide(partner, action, {
            areaId: area,
            relationships: [rel(MY_AGENCY, basis, LATER)],
            asOf: NOW,
          });
          assert.equal(expiring.allowed, true, `${action} on ${basis} before it expires`);
          const expired = decide(partner, action, {
            areaId: area,
            relationships: [rel(MY_AGENCY, basis, EARLIER)],
            asOf: NOW,
          });
          assert.equal(expired.allowed, false, `${action} on an expired ${basis}`);
          assert.match(expired.reason, /legitimate relationship/);
          const atExpiry = decide(partner, action, {
            areaId: area,
            relationships: [rel(MY_AGENCY, basis, NOW)],
            asOf: NOW,
          });
          assert.equal(atExpiry.allowed, false, 'a relationship ends at its expiry instant');
          const others = decide(partner, action, {
            areaId: area,
            relationships: [rel(OTHER_AGENCY, basis)],
            asOf: NOW,
          });
          assert.equal(others.allowed, false, `another agency's ${basis} grants nothing to this one`);
        }
      }
      for (const action of refuses) {
        const decision = decide(partner, action, {
          areaId: OTHER_AREA,
          relationships: [rel(MY_AGENCY, basis)],
          asOf: NOW,
        });
        assert.equal(decision.allowed, false, `${basis} does not grant ${action}`);
      }
    });
  }

  it('fact-supplier: the submitter sees its own submission and settles what it owes, nothing of the person', () => {
    const police = principal('police_officer', 'police');
    const own = { areaId: OTHER_AREA, suppliedBy: MY_AGENCY, relationships: [], asOf: NOW };
    assert.equal(decide(police, 'contact:view', own).basis, 'fact-supplier');
    assert.equal(decide(police, 'dash-awaited:receive', own).allowed, true);
    assert.equal(
      decide(principal('partner_system', 'police'), 'risk-assessment:create', own).allowed,
      true,
      'a force’s system assesses the people of its own DAN',
    );
    assert.equal(
      decide(police, 'person:view', own).allowed,
      false,
      'supplying a record is no relationship with its person',
    );
    assert.equal(decide(police, 'chronology:view', own).allowed, false);
    const someoneElses = { ...own, suppliedBy: OTHER_AGENCY };
    assert.equal(decide(police, 'contact:view', someoneElses).allowed, false);
    assert.equal(decide(police, 'dash-awaited:receive', someoneElses).allowed, false);
    assert.equal(
      decide(principal('school_dsl', 'school'), 'dash-awaited:receive', someoneElses).allowed,
      false,
    );
    assert.equal(
      decide(principal('front_door_practitioner', 'childrens_social_care'), 'dash-awaited:receive', {
        ...someoneElses,
        areaId: OWN_AREA,
      }).basis,
      'mash-of-area',
      'the MASH of the area may settle an awaited DASH',
    );
  });

  it('the MASH of the area sees on that basis, and not beyond its areas', () => {
    const mash = principal('mash_social_worker', 'childrens_social_care');
    assert.equal(decide(mash, 'person:view', { areaId: OWN_AREA, relationships: [] }).basis, 'mash-of-area');
    assert.equal(
      decide(mash, 'person:view', { areaId: OTHER_AREA, relationships: [rel(MY_AGENCY, 'school-on-roll')] })
        .allowed,
      false,
      'a MASH role holds no related grant: its reach is its areas',
    );
  });

  it('chronology sharing follows the same relationships, and the risk evidence filter agrees with it', () => {
    const hospital = principal('health_practitioner', 'acute_trust');
    const related = { areaId: OTHER_AREA, relationships: [rel(MY_AGENCY, 'registered-gp')], asOf: NOW };
    const scope = chronologyEventScope(hospital, related);
    assert.equal(scope.kind, 'shared');
    const police = { sourceAgencyId: OTHER_AGENCY, sourceAgencyKind: 'police', sharedWithAgencyIds: [] };
    const health = { sourceAgencyId: OTHER_AGENCY, sourceAgencyKind: 'gp_practice', sharedWithAgencyIds: [] };
    const sharedByName = { ...police, sharedWithAgencyIds: [MY_AGENCY] };
    const own = { ...police, sourceAgencyId: MY_AGENCY };
    assert.equal(eventVisible(scope, police), false, 'health does not see police events');
    assert.equal(eventVisible(scope, health), true);
    assert.equal(eventVisible(scope, sharedByName), true);
    assert.equal(eventVisible(scope, own), true);
    const expired = chronologyEventScope(hospital, {
      ...related,
      relationships: [rel(MY_AGENCY, 'enquiry', EARLIER)],
    });
    assert.equal(expired.kind, 'none');
    assert.equal(eventVisible(expired, health), false);
    assert.equal(eventVisible({ kind: 'all' }, police), true);
  });

  it('a write may name a person the agency may see, or one on a submission it supplied, nothing else', () => {
    const police = principal('partner_system', 'police');
    const stranger = { areaId: OWN_AREA, relationships: [], asOf: NOW };
    const ownDan = { areaId: OWN_AREA, suppliedBy: MY_AGENCY, relationships: [], asOf: NOW };
    const otherDan = { ...ownDan, suppliedBy: OTHER_AGENCY };
    assert.equal(decideReference(police, stranger, null).allowed, false);
    assert.equal(decideReference(police, stranger, { contact: ownDan, personIsOnIt: true }).allowed, true);
    assert.equal(decideReference(police, stranger, { contact: ownDan, personIsOnIt: false }).allowed, false);
    assert.equal(decideReference(police, stranger, { contact: otherDan, personIsOnIt: true }).allowed, false);
    const namedIn = { ...otherDan, relationships: [rel(MY_AGENCY, 'school-on-roll')] };
    assert.equal(
      decideReference(principal('school_dsl', 'school'), stranger, { contact: namedIn, personIsOnIt: true })
        .allowed,
      false,
      'a school named in a DAN may not write about the DAN’s adults',
    );
    const pupil = { ...stranger, relationships: [rel(MY_AGENCY, 'school-on-roll')] };
    assert.equal(decideReference(principal('school_dsl', 'school'), pupil, null).allowed, true);
  });

  it('a contact discloses to its submitter what it sent and the outcome, to an asked agency the concern, never the history', () => {
    const school = principal('school_dsl', 'school');
    const contact = { areaId: OTHER_AREA, suppliedBy: MY_AGENCY, relationships: [], asOf: NOW };
    const submitter = contactDisclosure(school, contact, []);
    assert.deepEqual(
      {
        whole: submitter.whole,
        narrative: submitter.narrative,
        outcome: submitter.outcome,
        history: submitter.history,
      },
      { whole: false, narrative: true, outcome: true, history: false },
    );
    const asked = contactDisclosure(
      school,
      { ...contact, suppliedBy: OTHER_AGENCY, relationships: [rel(MY_AGENCY, 'enquiry')] },
      [MY_AGENCY],
    );
    assert.deepEqual(
      [asked.narrative, asked.outcome, asked.response(MY_AGENCY), asked.response(OTHER_AGENCY)],
      [true, false, true, false],
    );
    const askedExpired = contactDisclosure(
      school,
      { ...contact, suppliedBy: OTHER_AGENCY, relationships: [rel(MY_AGENCY, 'enquiry', EARLIER)] },
      [MY_AGENCY],
    );
    assert.equal(
      askedExpired.narrative,
      false,
      'the concern is no longer shown once the episode has expired',
    );
  });
});

describe('the outbox (docs/notifications.md)', () => {
  it('gives every person an inbox but the analyst, whose agency’s messages carry case detail it may not see', () => {
    for (const role of Object.keys(ROLES) as Role[])
      assert.equal(
        grantedScopes(principal(role, 'childrens_social_care'), 'notification:inbox').length > 0,
        role !== 'partnership_analyst',
        role,
      );
  });

  it('lets the agency a message is addressed to read it, and only the person named when it names one', () => {
    const dsl = principal('school_dsl', 'school');
    const toAgency = { recipientAgencyId: MY_AGENCY, recipientUserId: null };
    assert.equal(decideNotificationRead(dsl, toAgency).allowed, true);
    assert.equal(
      decideNotificationRead(dsl, { ...toAgency, recipientAgencyId: OTHER_AGENCY }).allowed,
      false,
    );
    assert.equal(decideNotificationRead(dsl, { ...toAgency, recipientUserId: 'u1' }).allowed, true);
    assert.equal(decideNotificationRead(dsl, { ...toAgency, recipientUserId: 'u2' }).allowed, false);
    assert.equal(decideNotificationRead({ ...dsl, roles: [] }, toAgency).allowed, false);
  });

  it('shows undelivered messages to the sending agency’s managers only', () => {
    const sent = { senderAgencyId: MY_AGENCY };
    assert.equal(
      decideUndeliveredView(principal('mash_manager', 'childrens_social_care'), sent).allowed,
      true,
    );
    assert.equal(decideUndeliveredView(principal('police_supervisor', 'police'), sent).allowed, true);
    assert.equal(decideUndeliveredView(principal('police_officer', 'police'), sent).allowed, false);
    assert.equal(
      decideUndeliveredView(principal('mash_manager', 'childrens_social_care'), {
        senderAgencyId: OTHER_AGENCY,
      }).allowed,
      false,
    );
  });

  it('lets administrators try any dead-lettered delivery again, and the sender’s managers their own', () => {
    const mine = { senderAgencyId: MY_AGENCY };
    const theirs = { senderAgencyId: OTHER_AGENCY };
    assert.equal(
      decideDeliveryRetry(principal('system_admin', 'childrens_social_care'), theirs).allowed,
      true,
    );
    assert.equal(decideDeliveryRetry(principal('mash_manager', 'childrens_social_care'), mine).allowed, true);
    assert.equal(
      decideDeliveryRetry(principal('mash_manager', 'childrens_social_care'), theirs).allowed,
      false,
    );
    assert.equal(decideDeliveryRetry(principal('police_officer', 'police'), mine).allowed, false);
  });
});

describe('MARAC meetings and research (docs/marac.md)', () => {
  const meeting = (participantAgencyIds: string[], areaId = OWN_AREA) => ({ areaId, participantAgencyIds });
  it('the coordinator of the area and the agencies taking part see a meeting; nobody else', () => {
    assert.equal(
      decideMaracMeeting(principal('marac_coordinator', 'childrens_social_care'), meeting([])).allowed,
      true,
    );
    assert.equal(
      decideMaracMeeting(principal('marac_coordinator', 'childrens_social_care'), meeting([], OTHER_AREA))
        .allowed,
      false,
    );
    assert.equal(
      decideMaracMeeting(principal('police_officer', 'police'), meeting([MY_AGENCY])).allowed,
      true,
    );
    assert.equal(
      decideMaracMeeting(principal('police_officer', 'police'), meeting([OTHER_AGENCY])).allowed,
      false,
    );
    // A role that does not see MARAC cases does not see the meeting, even in a taking-part agency.
    assert.equal(
      decideMaracMeeting(principal('data_protection_officer', 'childrens_social_care'), meeting([MY_AGENCY]))
        .allowed,
      false,
    );
  });
  it('an agency sees its own research and the coordinator all of it; the others only once the meeting starts', () => {
    const police = principal('police_officer', 'police');
    const coordinator = principal('marac_coordinator', 'childrens_social_care');
    const before = { areaId: OWN_AREA, meetingStarted: false };
    assert.equal(maracResearchVisible(police, { agencyId: MY_AGENCY }, before), true);
    assert.equal(maracResearchVisible(police, { agencyId: OTHER_AGENCY }, before), false);
    assert.equal(maracResearchVisible(coordinator, { agencyId: OTHER_AGENCY }, before), true);
    assert.equal(
      maracResearchVisible(police, { agencyId: OTHER_AGENCY }, { areaId: OWN_AREA, meetingStarted: true }),
      true,
    );
  });
});

describe('Operation Encompass notices (decideEncompassNotice)', () => {
  const SCHOOL = 'agency-school';
  const POLICE = 'agency-police';
  const notice = { areaId: OWN_AREA, addresseeAgencyId: SCHOOL, sourceAgencyId: POLICE };
  const at = (role: Role, kind: AgencyKind, agencyId: string, areaIds = [OWN_AREA]) => ({
    ...principal(role, kind),
    agencyId,
    areaIds,
  });

  it('the addressee school sees and acknowledges; another school neither', () => {
    const dsl = at('school_dsl', 'school', SCHOOL);
    assert.equal(decideEncompassNotice(dsl, 'encompass:view', notice).allowed, true);
    assert.equal(decideEncompassNotice(dsl, 'encompass:acknowledge', notice).allowed, true);
    const other = at('school_dsl', 'school', 'agency-other-school');
    assert.equal(decideEncompassNotice(other, 'encompass:view', notice).allowed, false);
    assert.equal(decideEncompassNotice(other, 'encompass:acknowledge', notice).allowed, false);
    const key = at('partner_system', 'school', SCHOOL);
    assert.equal(decideEncompassNotice(key, 'encompass:acknowledge', notice).allowed, true);
    assert.equal(
      decideEncompassNotice(at('partner_system', 'school', OTHER_AGENCY), 'encompass:view', notice).allowed,
      false,
    );
  });

  it('the sending force sees it, its lead of the area reviews it, neither acknowledges it', () => {
    const officer = at('police_officer', 'police', POLICE, []);
    assert.equal(decideEncompassNotice(officer, 'encompass:view', notice).allowed, true);
    assert.equal(decideEncompassNotice(officer, 'encompass:acknowledge', notice).allowed, false);
    assert.equal(decideEncompassNotice(officer, 'encompass:review', notice).allowed, false);
    const lead = at('police_supervisor', 'police', POLICE);
    assert.equal(decideEncompassNotice(lead, 'encompass:review', notice).allowed, true);
    assert.equal(
      decideEncompassNotice(
        at('police_supervisor', 'police', POLICE, [OTHER_AREA]),
        'encompass:review',
        notice,
      ).allowed,
      false,
    );
  });

  it('the MASH sees its area’s notices, the LA’s too, but acknowledging the LA’s is its education safeguarding officer’s', () => {
    const mash = at('front_door_practitioner', 'childrens_social_care', MY_AGENCY);
    assert.equal(decideEncompassNotice(mash, 'encompass:view', notice).allowed, true);
    assert.equal(decideEncompassNotice(mash, 'encompass:acknowledge', notice).allowed, false);
    const toTheLa = { ...notice, addresseeAgencyId: MY_AGENCY };
    assert.equal(decideEncompassNotice(mash, 'encompass:view', toTheLa).allowed, true);
    assert.equal(decideEncompassNotice(mash, 'encompass:acknowledge', toTheLa).allowed, false);
    assert.equal(
      decideEncompassNotice(mash, 'encompass:view', { ...notice, areaId: OTHER_AREA }).allowed,
      false,
    );
    assert.equal(
      decideEncompassNotice(at('idva', 'idva_service', MY_AGENCY), 'encompass:view', notice).allowed,
      false,
    );
  });

  it('the LA’s education safeguarding officer sees and acknowledges the LA’s notices, sees those escalated to the LA, acknowledges no school’s', () => {
    const officer = at('education_safeguarding_officer', 'childrens_social_care', MY_AGENCY);
    const toTheLa = { ...notice, addresseeAgencyId: MY_AGENCY };
    assert.equal(decideEncompassNotice(officer, 'encompass:view', toTheLa).allowed, true);
    assert.equal(decideEncompassNotice(officer, 'encompass:acknowledge', toTheLa).allowed, true);
    // A school's notice, in the officer's own area: not theirs until it is escalated to the LA.
    assert.equal(decideEncompassNotice(officer, 'encompass:view', notice).allowed, false);
    const escalated = { ...notice, escalatedToAgencyIds: [MY_AGENCY, POLICE] };
    assert.equal(decideEncompassNotice(officer, 'encompass:view', escalated).allowed, true);
    assert.equal(decideEncompassNotice(officer, 'encompass:acknowledge', escalated).allowed, false);
    // Another LA's officer sees neither, escalation or not.
    const elsewhere = at('education_safeguarding_officer', 'childrens_social_care', OTHER_AGENCY);
    assert.equal(decideEncompassNotice(elsewhere, 'encompass:view', toTheLa).allowed, false);
    assert.equal(decideEncompassNotice(elsewhere, 'encompass:view', escalated).allowed, false);
    // An escalation opens the notice to a role that sees notices, not to any role at that agency.
    assert.equal(
      decideEncompassNotice(at('idva', 'idva_service', MY_AGENCY), 'encompass:view', escalated).allowed,
      false,
    );
    // Held for the force's review: not yet the LA's either.
    assert.equal(
      decideEncompassNotice(officer, 'encompass:view', { ...toTheLa, heldForReview: true }).allowed,
      false,
    );
    assert.deepEqual(encompassNoticeScope(officer, 'encompass:view'), { areaIds: [], agencyId: MY_AGENCY });
  });

  it('a notice held for the force’s review is not yet its addressee’s; its sender and the force’s lead see it', () => {
    const held = { ...notice, heldForReview: true };
    assert.equal(
      decideEncompassNotice(at('school_dsl', 'school', SCHOOL), 'encompass:view', held).allowed,
      false,
    );
    assert.equal(
      decideEncompassNotice(at('school_dsl', 'school', SCHOOL), 'encompass:acknowledge', held).allowed,
      false,
    );
    assert.equal(
      decideEncompassNotice(at('police_officer', 'police', POLICE, []), 'encompass:view', held).allowed,
      true,
    );
    assert.equal(
      decideEncompassNotice(at('police_supervisor', 'police', POLICE), 'encompass:review', held).allowed,
      true,
    );
  });

  it('lists are filtered the same way', () => {
    assert.deepEqual(encompassNoticeScope(at('school_dsl', 'school', SCHOOL), 'encompass:view'), {
      areaIds: [],
      agencyId: SCHOOL,
    });
    assert.deepEqual(
      encompassNoticeScope(at('mash_manager', 'childrens_social_care', MY_AGENCY), 'encompass:view'),
      {
        areaIds: [OWN_AREA],
        agencyId: MY_AGENCY,
      },
    );
    assert.equal(encompassNoticeScope(at('idva', 'idva_service', MY_AGENCY), 'encompass:view'), null);
  });
});

describe('whom an enquiry concerns (issue 12)', () => {
  const SCHOOL = 'agency-school';
  const people = [
    { personId: 'mother', child: false, relationships: [] },
    { personId: 'pupil', child: true, relationships: [rel(SCHOOL, 'school-on-roll')] },
    { personId: 'baby', child: true, relationships: [] },
    {
      personId: 'left',
      child: true,
      relationships: [rel(SCHOOL, 'school-on-roll', new Date(NOW.getTime() - 1))],
    },
  ];

  it('a school: every adult and its pupils on roll, not the baby sibling nor a child who has left', () => {
    assert.deepEqual(enquiryConcerns({ id: SCHOOL, kind: 'school' }, people, NOW), ['mother', 'pupil']);
  });

  it('a school holding none of the children: every child, since it must say whether it knows them', () => {
    assert.deepEqual(enquiryConcerns({ id: 'agency-other-school', kind: 'school' }, people, NOW), [
      'mother',
      'pupil',
      'baby',
      'left',
    ]);
  });

  it('an agency of a kind that serves every child (community health, police): everyone', () => {
    assert.deepEqual(enquiryConcerns({ id: 'agency-health', kind: 'community_health' }, people, NOW), [
      'mother',
      'pupil',
      'baby',
      'left',
    ]);
  });
});
