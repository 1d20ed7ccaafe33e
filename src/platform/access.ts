import type { Principal } from './principal.ts';
import type { AgencyKind, Role } from './roles.ts';

/**
 * The one place that answers "may this principal do this to this record?".
 * Routes ask before acting; repositories turn the same answer into WHERE clauses (scopeFor),
 * so a forgotten route check still cannot leak rows.
 */
export const ACTIONS = [
  'person:view',
  'person:create',
  'person:update',
  'person:merge',
  'person:match',
  'person:view-access-log',
  'contact:create',
  'contact:view',
  'dan:submit',
  'contact:screen',
  'contact:decide',
  'decision:sign-off',
  'enquiry:respond',
  'enquiry:view-response',
  'queue:view',
  'manager-view:view',
  'report:view',
  'admin:users',
  'admin:api-keys',
  'audit:verify',
  'chronology:view',
  'chronology:record',
  'risk:view',
  'risk-assessment:create',
  'dash-awaited:view',
  'early-help:manage',
  // Sign-in (decision 0011): see and clear the throttles on failed sign-ins; reset a user's MFA.
  'admin:sign-in-limits',
] as const;

export type Action = (typeof ACTIONS)[number];

/**
 * How far a grant reaches:
 * - any: not tied to case data (administration);
 * - area: records in the areas the principal's agency serves;
 * - related: records the principal's agency has a relationship with (submitted it, the child's
 *   school or GP, the agency an enquiry was sent to), wherever they are.
 */
export type Scope = 'any' | 'area' | 'related';

export interface Resource {
  areaId?: string | null;
  /** Agencies with a need-to-know relationship to the record, including whoever submitted it. */
  relatedAgencyIds?: readonly string[];
}

export interface Decision {
  allowed: boolean;
  reason: string;
}

type Grants = Partial<Record<Action, Scope | readonly Scope[]>>;

const MASH_PRACTICE: Grants = {
  'person:view': 'area',
  'person:create': 'area',
  'person:update': 'area',
  'person:merge': 'area',
  'person:match': 'area',
  'contact:create': 'area',
  'contact:view': 'area',
  'contact:screen': 'area',
  'contact:decide': 'area',
  'enquiry:view-response': 'area',
  'queue:view': 'area',
  'chronology:view': 'area',
  'chronology:record': 'area',
  'risk:view': 'area',
  'risk-assessment:create': 'area',
  'early-help:manage': 'area',
};

/** Partners outside the MASH: they refer, answer enquiries and see what they are party to. */
const PARTNER: Grants = {
  'contact:create': 'area',
  'contact:view': 'related',
  'person:view': 'related',
  'enquiry:respond': 'related',
  'enquiry:view-response': 'related',
  'chronology:view': 'related',
  'chronology:record': 'related',
  'risk-assessment:create': 'related',
};

/** Police assess and record against the people in their incidents, as they submit DANs. */
const POLICE: Grants = {
  ...PARTNER,
  'dan:submit': 'area',
  'person:match': 'area',
  'risk-assessment:create': 'area',
};

export const GRANTS: Record<Role, Grants> = {
  front_door_practitioner: MASH_PRACTICE,
  mash_social_worker: MASH_PRACTICE,
  mash_manager: {
    ...MASH_PRACTICE,
    'decision:sign-off': 'area',
    'person:view-access-log': 'area',
    'manager-view:view': 'area',
    'report:view': 'area',
    'dash-awaited:view': 'area',
  },
  mash_health: {
    'person:view': 'area',
    'person:match': 'area',
    'contact:create': 'area',
    'contact:view': 'area',
    'queue:view': 'area',
    'enquiry:respond': 'related',
    'enquiry:view-response': 'related',
    'chronology:view': 'area',
    'chronology:record': 'area',
    'risk:view': 'area',
    'risk-assessment:create': 'area',
  },
  police_officer: POLICE,
  police_supervisor: { ...POLICE, 'report:view': 'area', 'dash-awaited:view': 'area' },
  health_practitioner: PARTNER,
  school_dsl: PARTNER,
  probation_officer: PARTNER,
  youth_justice_officer: PARTNER,
  adult_services_practitioner: PARTNER,
  idva: PARTNER,
  marac_coordinator: {
    ...PARTNER,
    'person:view': ['area', 'related'],
    'chronology:view': ['area', 'related'],
    'risk:view': 'area',
    'report:view': 'area',
  },
  partnership_analyst: { 'report:view': 'area' },
  system_admin: {
    'admin:users': 'any',
    'admin:api-keys': 'any',
    'audit:verify': 'any',
    'admin:sign-in-limits': 'any',
  },
  partner_system: {
    ...PARTNER,
    'dan:submit': 'area',
    'person:match': 'area',
    // Bulk transfers (a new community health provider's caseload) create people through the API.
    'person:create': 'area',
    'risk:view': 'related',
  },
};

/** Some actions belong to one kind of agency whatever the role says. */
const AGENCY_KIND_ONLY: Partial<Record<Action, readonly AgencyKind[]>> = {
  'dan:submit': ['police'],
  'dash-awaited:view': ['police', 'childrens_social_care'],
  // The cumulative summary draws on every agency's events, so it stays with the MASH's agencies.
  'risk:view': [
    'childrens_social_care',
    'early_help',
    'community_health',
    'acute_trust',
    'gp_practice',
    'camhs',
  ],
};

const SCOPE_RANK: Record<Scope, number> = { related: 1, area: 2, any: 3 };

/** The widest scope any of the principal's roles grants for this action, if any. */
export function grantedScopes(principal: Principal, action: Action): Scope[] {
  const kinds = AGENCY_KIND_ONLY[action];
  if (kinds && (principal.agencyKind === null || !kinds.includes(principal.agencyKind))) return [];
  const scopes = new Set<Scope>();
  for (const role of principal.roles) {
    const granted = GRANTS[role]?.[action];
    if (typeof granted === 'string') scopes.add(granted);
    else for (const scope of granted ?? []) scopes.add(scope);
  }
  return [...scopes].sort((a, b) => SCOPE_RANK[b] - SCOPE_RANK[a]);
}

export function decide(principal: Principal, action: Action, resource: Resource = {}): Decision {
  const scopes = grantedScopes(principal, action);
  if (scopes.length === 0) {
    const kinds = AGENCY_KIND_ONLY[action];
    if (kinds && (principal.agencyKind === null || !kinds.includes(principal.agencyKind))) {
      return { allowed: false, reason: `only ${kinds.join(' or ')} agencies may ${action}` };
    }
    return { allowed: false, reason: `no role held grants ${action}` };
  }
  for (const scope of scopes) {
    if (scope === 'any') return { allowed: true, reason: `${action} granted` };
    if (scope === 'area') {
      if (resource.areaId === undefined) return { allowed: true, reason: `${action} granted in own areas` };
      if (resource.areaId !== null && principal.areaIds.includes(resource.areaId)) {
        return { allowed: true, reason: `${action} granted: record is in an area the agency serves` };
      }
    }
    if (scope === 'related') {
      if (resource.relatedAgencyIds === undefined && resource.areaId === undefined) {
        return { allowed: true, reason: `${action} granted for records the agency is party to` };
      }
      if (principal.agencyId !== null && resource.relatedAgencyIds?.includes(principal.agencyId)) {
        return { allowed: true, reason: `${action} granted: the agency is party to this record` };
      }
    }
  }
  return {
    allowed: false,
    reason: scopes.includes('related')
      ? `${action} needs a relationship between the agency and this record`
      : `${action} is limited to the areas the agency serves`,
  };
}

/** What a repository must filter a list query by; 'none' means return nothing. */
export type RowScope =
  | { kind: 'all' }
  | { kind: 'none' }
  | { kind: 'filtered'; areaIds: string[]; relatedAgencyId: string | null };

export function scopeFor(principal: Principal, action: Action): RowScope {
  const scopes = grantedScopes(principal, action);
  if (scopes.includes('any')) return { kind: 'all' };
  const areaIds = scopes.includes('area') ? principal.areaIds : [];
  const relatedAgencyId = scopes.includes('related') ? principal.agencyId : null;
  if (areaIds.length === 0 && relatedAgencyId === null) return { kind: 'none' };
  return { kind: 'filtered', areaIds, relatedAgencyId };
}

/** What a denied attempt was aimed at, so the audit log can record it. */
export interface Subject {
  type: string;
  id?: string;
  personIds?: readonly string[];
  areaId?: string | null;
}

export class ForbiddenError extends Error {
  readonly action: Action;
  readonly subject: Subject | undefined;
  constructor(action: Action, reason: string, subject?: Subject) {
    super(reason);
    this.name = 'ForbiddenError';
    this.action = action;
    this.subject = subject;
  }
}

export function assertAllowed(
  principal: Principal,
  action: Action,
  resource: Resource = {},
  subject?: Subject,
): void {
  const decision = decide(principal, action, resource);
  if (!decision.allowed) throw new ForbiddenError(action, decision.reason, subject);
}

/**
 * Agencies that routinely share case information among themselves. A partner who may see a
 * person's chronology only through a relationship sees the events its own sharing group recorded
 * (health sees health, criminal justice sees criminal justice), plus any event shared with it by
 * name; the MASH sees every agency's events for the children in its areas.
 */
export const CHRONOLOGY_SHARING_GROUPS: Readonly<Record<AgencyKind, string>> = {
  police: 'criminal-justice',
  probation: 'criminal-justice',
  youth_justice: 'criminal-justice',
  childrens_social_care: 'childrens-services',
  early_help: 'childrens-services',
  acute_trust: 'health',
  community_health: 'health',
  gp_practice: 'health',
  camhs: 'health',
  adult_mental_health: 'health',
  adult_substance_misuse: 'substance-misuse',
  school: 'education',
  idva_service: 'domestic-abuse-service',
  housing: 'housing',
};

/** Which of a person's chronology events a principal may see (the repository turns it into SQL). */
export type ChronologyEventScope =
  | { kind: 'all' }
  | { kind: 'none' }
  | { kind: 'shared'; agencyId: string; sourceKinds: AgencyKind[] };

export function chronologyEventScope(
  principal: Principal,
  person: { areaId: string; relatedAgencyIds: readonly string[] },
): ChronologyEventScope {
  const scopes = grantedScopes(principal, 'chronology:view');
  if (scopes.includes('any')) return { kind: 'all' };
  if (scopes.includes('area') && principal.areaIds.includes(person.areaId)) return { kind: 'all' };
  if (
    scopes.includes('related') &&
    principal.agencyId !== null &&
    person.relatedAgencyIds.includes(principal.agencyId)
  ) {
    const group = principal.agencyKind ? CHRONOLOGY_SHARING_GROUPS[principal.agencyKind] : null;
    const sourceKinds = group
      ? (Object.keys(CHRONOLOGY_SHARING_GROUPS) as AgencyKind[]).filter(
          (kind) => CHRONOLOGY_SHARING_GROUPS[kind] === group,
        )
      : [];
    return { kind: 'shared', agencyId: principal.agencyId, sourceKinds };
  }
  return { kind: 'none' };
}
