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
  'dash-awaited:receive',
  'early-help:manage',
  // Sign-in (decision 0011): see and clear the throttles on failed sign-ins; reset a user's MFA.
  'admin:sign-in-limits',
  // Data protection (decision 0012): export everything held about a person for a subject access
  // request, with a recorded reason; list records past their retention period; confirm their removal.
  'person:subject-access',
  'retention:review',
  'retention:confirm',
  // Identity resolution's learnt model (docs/matching.md): see it, retrain it, set the thresholds.
  'matching:view-model',
  'matching:train',
  'matching:set-thresholds',
  // MARAC and the below-MARAC panel (docs/marac.md): refer a victim; run the queue, meetings and
  // returns; see a case the agency takes part in; return the agency's research for it.
  'marac:refer',
  'marac:coordinate',
  'marac:view',
  'marac:research',
  // Multi-agency actions (docs/strategy-discussions.md): an agency sees and completes its own.
  'action:view',
  'action:complete',
  // Strategy discussions (docs/strategy-discussions.md): any agency requests one; the MASH manager
  // of the child's area schedules or declines it; the MASH records it; participants see it and
  // send information before it starts.
  'strategy-discussion:request',
  'strategy-discussion:schedule',
  'strategy-discussion:record',
  'strategy-discussion:view',
  'strategy-discussion:contribute',
  // Flags (issue 15): the owning service raises and ends a flag; health systems read flags by NHS
  // number (the emergency department's lookup, FHIR), which shows a concern and whom to call only.
  'flag:raise',
  'flag:lookup',
  // Break-glass by a clinician (recorded reason); reviewed by the MASH health lead.
  'health:break-glass',
  'health:review-break-glass',
  // Probation asks police for a child-safeguarding check before court (F27); police answer.
  'safeguarding-check:request',
  'safeguarding-check:answer',
  'safeguarding-check:view',
  // Health systems send health events (missed appointments, ED attendances, maternity bookings).
  'health-event:submit',
  // A bulk transfer's reconciliation report (F20): the agency whose records were loaded reads it.
  'import:report',
  // The outbox (docs/notifications.md): read one's own and one's agency's inbox and choose one's
  // channels; see every delivery's state; set an agency's channels and addresses; see the messages
  // one's own agency sent that could not be delivered (its managers).
  'notification:inbox',
  'notification:report',
  'notification:configure',
  'notification:view-undelivered',
  // Operation Encompass (docs/encompass.md): the addressee (a school's key adult, the LA's education
  // safeguarding officer) sees and acknowledges its notices; the MASH sees its area's; police share
  // custody and missing episodes, and a force that configures it reviews before release; the
  // schools directory and the school calendar are administered; a report of notices by school.
  'encompass:view',
  'encompass:acknowledge',
  'encompass:share',
  'encompass:review',
  'encompass:report',
  'encompass:administer',
] as const;

export type Action = (typeof ACTIONS)[number];

/**
 * How far a grant reaches:
 * - any: not tied to case data (administration);
 * - area: records in the areas the principal's agency serves (the MASH of the area);
 * - related: records the principal's agency has a legitimate relationship with, recorded as data
 *   (RELATIONSHIP_BASES), wherever they are, for as long as the relationship lasts.
 */
export type Scope = 'any' | 'area' | 'related';

/**
 * Why an agency may see a record. Each basis has one documented meaning; docs/access.md shows
 * them as a table with the inspection finding each serves. `recorded` bases are rows of
 * access_relationship (the database's check constraint lists the same names); the others follow
 * from the record itself. A new kind of meeting or invitation adds a basis here, a name in the
 * constraint, and a row when it invites an agency.
 */
export const RELATIONSHIP_BASES = {
  'mash-of-area': {
    recorded: false,
    meaning: 'The MASH agencies serving the person’s area see their records, by role.',
    lasts: 'While the agency serves the area',
  },
  enquiry: {
    recorded: true,
    meaning: 'The MASH asked this agency for information about a contact: it sees the people on it.',
    lasts: 'From the request until the contact closes, plus frontDoor.access.enquiryGraceDays',
  },
  'strategy-discussion': {
    recorded: true,
    meaning: 'The agency was invited to a strategy discussion about the child.',
    lasts: 'Until the discussion’s episode ends, plus its grace',
  },
  marac: {
    recorded: true,
    meaning: 'The agency was invited to the MARAC meeting that discusses the person.',
    lasts: 'Until the MARAC episode ends, plus its grace',
  },
  'school-on-roll': {
    recorded: true,
    meaning: 'The child is on the school’s roll (recorded by the MASH or named by another agency).',
    lasts: 'Until the child leaves the roll (the row is ended)',
  },
  'registered-gp': {
    recorded: true,
    meaning: 'The person is registered with the GP practice.',
    lasts: 'Until the registration ends',
  },
  'health-visitor': {
    recorded: true,
    meaning: 'The community health service’s health visitor or school nurse holds the child’s caseload.',
    lasts: 'Until the caseload is transferred',
  },
  'allocated-worker': {
    recorded: true,
    meaning: 'A worker of the agency is allocated to the person (lead practitioner, key worker).',
    lasts: 'Until the allocation ends',
  },
  'break-glass': {
    recorded: true,
    meaning: 'A clinician who needed more than a flag recorded a reason; reviewed by the MASH health lead.',
    lasts: 'health.breakGlassHours (default 24 hours) from the request',
  },
  'fact-supplier': {
    recorded: false,
    meaning:
      'The agency that supplied a record sees that record only: its own submission, its outcome and ' +
      'feedback, and the chronology events it recorded. Never the person it was matched to.',
    lasts: 'Always, for that record',
  },
} as const;

export type AccessBasis = keyof typeof RELATIONSHIP_BASES;
/** The bases stored as rows of access_relationship. */
export type RelationshipBasis = Exclude<AccessBasis, 'mash-of-area' | 'fact-supplier'>;
export const RECORDED_BASES = (Object.keys(RELATIONSHIP_BASES) as AccessBasis[]).filter(
  (b) => RELATIONSHIP_BASES[b].recorded,
) as RelationshipBasis[];

export function isRelationshipBasis(value: string): value is RelationshipBasis {
  return (RECORDED_BASES as string[]).includes(value);
}

/** One recorded relationship, as the policy needs it. */
export interface Relationship {
  agencyId: string;
  basis: RelationshipBasis;
  /** Null while the relationship stands; an episode's relationship expires after it ends. */
  expiresAt: Date | null;
}

export interface Resource {
  areaId?: string | null;
  /** The recorded relationships agencies hold with the record (a person's, or a contact's people's). */
  relationships?: readonly Relationship[];
  /** The agency that supplied this record (a contact's submitter, an event's recorder): fact-supplier. */
  suppliedBy?: string | null;
  /** When the decision is taken (relationships expire); defaults to now. */
  asOf?: Date;
}

export interface Decision {
  allowed: boolean;
  reason: string;
  /** The basis the access rests on, when allowed on a relationship or the area. */
  basis?: AccessBasis;
}

/** What each recorded basis lets an agency do under a 'related' grant. */
const STANDING: readonly Action[] = [
  'person:view',
  'chronology:view',
  'chronology:record',
  'risk-assessment:create',
  'risk:view',
  'contact:view',
  // Which flag an agency may raise is also limited by its kind (decideFlagRaise).
  'flag:raise',
];
const EPISODE: readonly Action[] = [...STANDING, 'enquiry:respond', 'enquiry:view-response'];
const BASIS_ACTIONS: Readonly<Record<RelationshipBasis, readonly Action[]>> = {
  enquiry: EPISODE,
  'strategy-discussion': EPISODE,
  marac: [...EPISODE, 'marac:view', 'marac:research'],
  'school-on-roll': STANDING,
  'registered-gp': STANDING,
  'health-visitor': STANDING,
  'allocated-worker': STANDING,
  // Reading only: break-glass lets a clinician see the record and the chronology, not write to it.
  'break-glass': ['person:view', 'chronology:view'],
};
/**
 * A supplier sees its own record, assesses the people on it (police record the DASH for their own
 * DAN) and settles what it owes on it (an awaited DASH), nothing more.
 */
const FACT_SUPPLIER_ACTIONS: readonly Action[] = [
  'contact:view',
  'risk-assessment:create',
  'dash-awaited:receive',
  // Its own bulk transfer's report: what became of each of the rows it sent.
  'import:report',
];

export function isActive(relationship: Relationship, asOf: Date): boolean {
  return relationship.expiresAt === null || relationship.expiresAt.getTime() > asOf.getTime();
}

/**
 * Agencies that serve particular children, and the standing relationship that says which: a
 * school its pupils, a GP practice its registered patients.
 */
export const CHILDREN_SERVED_BY: Partial<Record<AgencyKind, readonly RelationshipBasis[]>> = {
  school: ['school-on-roll'],
  gp_practice: ['registered-gp'],
};

/**
 * Which of a contact's people an enquiry to an agency concerns, and so whom the agency sees
 * (issue 12): every adult, because the agency is asked what it knows of the household (health
 * cannot check the mother otherwise), and the children the agency serves (the school sees its
 * pupils, not the baby sibling). An agency of a kind that serves particular children but holds
 * none of these children (asked without a recorded link) is shown every child, since it must say
 * whether it knows them; an agency of any other kind serves every child.
 */
export function enquiryConcerns(
  agency: { id: string; kind: AgencyKind | string },
  people: readonly { personId: string; child: boolean; relationships: readonly Relationship[] }[],
  asOf: Date,
): string[] {
  const adults = people.filter((p) => !p.child).map((p) => p.personId);
  const children = people.filter((p) => p.child);
  const bases = CHILDREN_SERVED_BY[agency.kind as AgencyKind];
  const served = bases
    ? children.filter((child) =>
        child.relationships.some(
          (r) => r.agencyId === agency.id && bases.includes(r.basis) && isActive(r, asOf),
        ),
      )
    : children;
  return [...adults, ...(served.length ? served : children).map((c) => c.personId)];
}

/** The relationship that lets this agency do this action, if any. */
export function relationshipFor(
  agencyId: string | null,
  action: Action,
  resource: Resource,
): { basis: AccessBasis } | null {
  if (agencyId === null) return null;
  if (resource.suppliedBy === agencyId && FACT_SUPPLIER_ACTIONS.includes(action))
    return { basis: 'fact-supplier' };
  const asOf = resource.asOf ?? new Date();
  const found = resource.relationships?.find(
    (r) => r.agencyId === agencyId && BASIS_ACTIONS[r.basis].includes(action) && isActive(r, asOf),
  );
  return found ? { basis: found.basis } : null;
}

type Grants = Partial<Record<Action, Scope | readonly Scope[]>>;

/**
 * What every agency holds in multi-agency meetings. Any agency serving the area may refer a victim
 * there to MARAC or ask for a strategy discussion; it then takes part in the case or discussion it
 * is related to, and sees and completes its own actions. The MASH team adds its area's discussions.
 */
const MEETING_PARTICIPANT: Grants = {
  'marac:refer': 'area',
  'marac:view': 'related',
  'marac:research': 'related',
  'action:view': 'related',
  'action:complete': 'related',
  'strategy-discussion:request': 'area',
  'strategy-discussion:view': 'related',
  'strategy-discussion:contribute': 'related',
};

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
  'dash-awaited:receive': 'area',
  'early-help:manage': 'area',
  ...MEETING_PARTICIPANT,
  'strategy-discussion:record': 'area',
  'strategy-discussion:view': ['area', 'related'],
  'strategy-discussion:contribute': ['area', 'related'],
  'flag:raise': 'area',
  'notification:inbox': 'related',
  // The MASH sees its area's notices; acknowledging the local authority's is its education
  // safeguarding officer's (education_safeguarding_officer), not the front door's.
  'encompass:view': ['area', 'related'],
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
  // Only the force that owes an awaited DASH (it supplied the DAN) may settle it.
  'dash-awaited:receive': 'related',
  ...MEETING_PARTICIPANT,
  'flag:raise': 'related',
  'notification:inbox': 'related',
  'import:report': 'related',
};

/** Police assess and record against the people in their incidents, as they submit DANs. */
const POLICE: Grants = {
  ...PARTNER,
  'dan:submit': 'area',
  'person:match': 'area',
  'risk-assessment:create': 'area',
  'encompass:share': 'area',
  'encompass:view': 'related',
};

export const GRANTS: Record<Role, Grants> = {
  front_door_practitioner: MASH_PRACTICE,
  mash_social_worker: MASH_PRACTICE,
  mash_manager: {
    ...MASH_PRACTICE,
    'decision:sign-off': 'area',
    'strategy-discussion:schedule': 'area',
    'person:view-access-log': 'area',
    'manager-view:view': 'area',
    'report:view': 'area',
    'dash-awaited:view': 'area',
    'retention:review': 'area',
    'retention:confirm': 'area',
    'encompass:report': 'area',
    // A partnership-wide setting: the manager weighs missed links against the review queue.
    'matching:view-model': 'any',
    'matching:train': 'any',
    'matching:set-thresholds': 'any',
    'notification:view-undelivered': 'related',
    'import:report': 'related',
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
    'dash-awaited:receive': 'area',
    ...MEETING_PARTICIPANT,
    'flag:lookup': 'any',
    'health:review-break-glass': 'area',
    'health-event:submit': 'area',
    'notification:inbox': 'related',
    'import:report': 'related',
  },
  police_officer: { ...POLICE, 'safeguarding-check:answer': 'area', 'safeguarding-check:view': 'area' },
  police_supervisor: {
    ...POLICE,
    'report:view': 'area',
    'dash-awaited:view': 'area',
    'safeguarding-check:answer': 'area',
    'safeguarding-check:view': 'area',
    'notification:view-undelivered': 'related',
    // The force's Encompass lead: reviews notices before release (where configured), sees the area's, reports.
    'encompass:view': ['area', 'related'],
    'encompass:review': 'area',
    'encompass:report': 'area',
  },
  // Unscheduled care looks up anyone who arrives: flags are read partnership-wide by health agencies.
  health_practitioner: {
    ...PARTNER,
    'flag:lookup': 'any',
    'health:break-glass': 'area',
    'health-event:submit': 'area',
  },
  // The early help service: the inbox of children stepped down in its areas (the front door gives
  // the lead agency an allocated-worker relationship to each, which opens their records).
  early_help_practitioner: { ...PARTNER, 'early-help:manage': 'area' },
  school_dsl: { ...PARTNER, 'encompass:view': 'related', 'encompass:acknowledge': 'related' },
  // The LA's education safeguarding officer: the notices addressed to the local authority (home-
  // educated children, no school, a school outside the partnership) and those escalated to it;
  // acknowledges the LA's own; follows schools' acknowledgement in the report. No case records.
  education_safeguarding_officer: {
    'encompass:view': 'related',
    'encompass:acknowledge': 'related',
    'encompass:report': 'area',
    'notification:inbox': 'related',
  },
  probation_officer: { ...PARTNER, 'safeguarding-check:request': 'area', 'safeguarding-check:view': 'area' },
  youth_justice_officer: PARTNER,
  adult_services_practitioner: PARTNER,
  idva: PARTNER,
  marac_coordinator: {
    ...PARTNER,
    'person:view': ['area', 'related'],
    'chronology:view': ['area', 'related'],
    'risk:view': 'area',
    'report:view': 'area',
    'marac:coordinate': 'area',
    'marac:view': ['area', 'related'],
    'flag:raise': ['area', 'related'],
  },
  // No inbox: messages addressed to an agency carry case detail, and an analyst reaches none.
  partnership_analyst: { 'report:view': 'area', 'encompass:report': 'area' },
  // A DPO sees a person's record only by exporting it for a request, each export audited with its
  // reason; they list what retention has made due, and a MASH manager confirms its removal.
  data_protection_officer: {
    'person:subject-access': 'area',
    'retention:review': 'area',
    'notification:inbox': 'related',
  },
  system_admin: {
    'admin:users': 'any',
    'admin:api-keys': 'any',
    'audit:verify': 'any',
    'admin:sign-in-limits': 'any',
    'matching:view-model': 'any',
    'matching:train': 'any',
    'notification:inbox': 'related',
    'notification:report': 'any',
    'notification:configure': 'any',
    'encompass:administer': 'any',
  },
  partner_system: {
    ...PARTNER,
    'dan:submit': 'area',
    'person:match': 'area',
    // Bulk transfers (a new community health provider's caseload) create people through the API.
    'person:create': 'area',
    'risk:view': 'related',
    'flag:lookup': 'any',
    'health-event:submit': 'area',
    'safeguarding-check:request': 'area',
    'safeguarding-check:answer': 'area',
    'safeguarding-check:view': 'area',
    // A school's system reads and acknowledges the notices addressed to its school.
    'encompass:view': 'related',
    'encompass:acknowledge': 'related',
    // A force's system shares custody and missing episodes (police agencies only).
    'encompass:share': 'area',
  },
};

/**
 * The system of a children's social care agency (its case-management system's API key) acts as
 * the MASH of the areas that agency serves: the same basis (mash-of-area) as its MASH staff, for
 * the case actions a system performs. Any other agency's system reaches only what its
 * relationships reach.
 */
const MASH_AGENCY_SYSTEM: Grants = {
  ...GRANTS.partner_system,
  'person:view': ['area', 'related'],
  'contact:view': ['area', 'related'],
  'chronology:view': ['area', 'related'],
  'chronology:record': ['area', 'related'],
  'risk:view': ['area', 'related'],
  'risk-assessment:create': ['area', 'related'],
  'dash-awaited:receive': ['area', 'related'],
  // The council's case-management system schedules and records strategy discussions as its MASH does.
  'strategy-discussion:schedule': 'area',
  'strategy-discussion:record': 'area',
  'strategy-discussion:view': ['area', 'related'],
  'strategy-discussion:contribute': ['area', 'related'],
  'flag:raise': ['area', 'related'],
};

function grantsOf(principal: Principal, role: Role): Grants | undefined {
  if (role === 'partner_system' && principal.agencyKind === 'childrens_social_care')
    return MASH_AGENCY_SYSTEM;
  return GRANTS[role];
}

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
  'flag:lookup': ['acute_trust', 'community_health', 'gp_practice', 'camhs', 'adult_mental_health'],
  'health:break-glass': ['acute_trust', 'community_health', 'gp_practice', 'camhs', 'adult_mental_health'],
  'health-event:submit': ['acute_trust', 'community_health', 'gp_practice', 'camhs', 'adult_mental_health'],
  'safeguarding-check:request': ['probation'],
  'safeguarding-check:answer': ['police'],
  'safeguarding-check:view': ['probation', 'police'],
  'encompass:share': ['police'],
  'encompass:review': ['police'],
};

const SCOPE_RANK: Record<Scope, number> = { related: 1, area: 2, any: 3 };

/** The widest scope any of the principal's roles grants for this action, if any. */
export function grantedScopes(principal: Principal, action: Action): Scope[] {
  const kinds = AGENCY_KIND_ONLY[action];
  if (kinds && (principal.agencyKind === null || !kinds.includes(principal.agencyKind))) return [];
  const scopes = new Set<Scope>();
  for (const role of principal.roles) {
    const granted = grantsOf(principal, role)?.[action];
    if (typeof granted === 'string') scopes.add(granted);
    else for (const scope of granted ?? []) scopes.add(scope);
  }
  return [...scopes].sort((a, b) => SCOPE_RANK[b] - SCOPE_RANK[a]);
}

/**
 * Actions the operator's command line may take: it runs where the database is, so it could read
 * the tables anyway. It must still give a reason, and is audited (`harbour export person`).
 */
const OPERATOR_ACTIONS: readonly Action[] = ['person:subject-access'];

export function decide(principal: Principal, action: Action, resource: Resource = {}): Decision {
  if (principal.channel === 'cli' && OPERATOR_ACTIONS.includes(action))
    return { allowed: true, reason: `${action} granted to the operator's command line` };
  const scopes = grantedScopes(principal, action);
  if (scopes.length === 0) {
    const kinds = AGENCY_KIND_ONLY[action];
    if (kinds && (principal.agencyKind === null || !kinds.includes(principal.agencyKind))) {
      return { allowed: false, reason: `only ${kinds.join(' or ')} agencies may ${action}` };
    }
    return { allowed: false, reason: `no role held grants ${action}` };
  }
  const general =
    resource.areaId === undefined &&
    resource.relationships === undefined &&
    resource.suppliedBy === undefined;
  for (const scope of scopes) {
    if (scope === 'any') return { allowed: true, reason: `${action} granted` };
    if (scope === 'area') {
      if (general) return { allowed: true, reason: `${action} granted in own areas` };
      if (resource.areaId != null && principal.areaIds.includes(resource.areaId)) {
        return {
          allowed: true,
          reason: `${action} granted: record is in an area the agency serves`,
          basis: 'mash-of-area',
        };
      }
    }
    if (scope === 'related') {
      if (general) return { allowed: true, reason: `${action} granted for records the agency is party to` };
      const found = relationshipFor(principal.agencyId, action, resource);
      if (found) {
        return {
          allowed: true,
          reason: `${action} granted: the agency's ${found.basis} relationship`,
          basis: found.basis,
        };
      }
    }
  }
  return {
    allowed: false,
    reason: scopes.includes('related')
      ? `${action} needs a current legitimate relationship between the agency and this record`
      : `${action} is limited to the areas the agency serves`,
  };
}

/** The same decision for a record known only by its area (what a page may offer in an area). */
export function decideInArea(principal: Principal, action: Action, areaId: string): Decision {
  return decide(principal, action, { areaId, relationships: [] });
}

/**
 * The role whose addressed notices (front-door alerts to "the MASH managers") the principal
 * reads, or null. Notices addressed to a role reach whoever holds it; deciding that is the
 * policy's, not the caller's.
 */
export function noticeRecipientRole(principal: Principal): 'mash_manager' | null {
  return principal.roles.includes('mash_manager') ? 'mash_manager' : null;
}

/** What a repository must filter a list query by; 'none' means return nothing. */
export type RowScope =
  | { kind: 'all' }
  | { kind: 'none' }
  | {
      kind: 'filtered';
      areaIds: string[];
      /** Rows this agency holds a current recorded relationship with (bases that grant the action). */
      relatedAgencyId: string | null;
      bases: RelationshipBasis[];
      asOf: Date;
    };

export function scopeFor(principal: Principal, action: Action, asOf: Date = new Date()): RowScope {
  const scopes = grantedScopes(principal, action);
  if (scopes.includes('any')) return { kind: 'all' };
  const areaIds = scopes.includes('area') ? principal.areaIds : [];
  const relatedAgencyId = scopes.includes('related') ? principal.agencyId : null;
  if (areaIds.length === 0 && relatedAgencyId === null) return { kind: 'none' };
  const bases = RECORDED_BASES.filter((b) => BASIS_ACTIONS[b].includes(action));
  return { kind: 'filtered', areaIds, relatedAgencyId, bases, asOf };
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
 * `assertAllowed` on a person's record judged by its area alone (an action the agencies serving
 * the area take, whatever their relationships: probation's check request, a clinician's
 * break-glass); a refusal names the person for the audit.
 */
export function assertAllowedInPersonArea(
  principal: Principal,
  action: Action,
  person: { id: string; area_id: string },
): void {
  assertAllowed(
    principal,
    action,
    { areaId: person.area_id, relationships: [] },
    { type: 'person', id: person.id, personIds: [person.id], areaId: person.area_id },
  );
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
  person: Resource & { areaId: string },
): ChronologyEventScope {
  const scopes = grantedScopes(principal, 'chronology:view');
  if (scopes.includes('any')) return { kind: 'all' };
  if (scopes.includes('area') && principal.areaIds.includes(person.areaId)) return { kind: 'all' };
  if (
    scopes.includes('related') &&
    principal.agencyId !== null &&
    relationshipFor(principal.agencyId, 'chronology:view', person)
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

/**
 * The same rule for one event held in memory (the risk engine's evidence): an event is shown when
 * the chronology would show it to this principal. The chronology repository applies it in SQL.
 */
export function eventVisible(
  scope: ChronologyEventScope,
  event: {
    sourceAgencyId: string | null;
    sourceAgencyKind: string | null;
    sharedWithAgencyIds: readonly string[];
  },
): boolean {
  if (scope.kind === 'all') return true;
  if (scope.kind === 'none') return false;
  return (
    event.sourceAgencyId === scope.agencyId ||
    event.sharedWithAgencyIds.includes(scope.agencyId) ||
    (event.sourceAgencyKind !== null && (scope.sourceKinds as string[]).includes(event.sourceAgencyKind))
  );
}

/**
 * A person named in a write (an assessment's victim, children and perpetrators) must be one the
 * principal may see, or one its own submission named when the write is about that submission
 * (police recording the DASH for their DAN; the MASH of the contact's area too). Anything else is
 * refused and nothing is written.
 */
export function decideReference(
  principal: Principal,
  person: Resource,
  onReferencedContact: { contact: Resource; personIsOnIt: boolean } | null,
): Decision {
  const view = decide(principal, 'person:view', person);
  if (view.allowed) return view;
  if (onReferencedContact?.personIsOnIt) {
    // Only as the contact's supplier or its MASH: an agency merely named in the submission (a
    // child's school) may not write about the other people on it.
    const contact = decide(principal, 'risk-assessment:create', {
      ...onReferencedContact.contact,
      relationships: [],
    });
    if (contact.allowed) return { ...contact, reason: 'the person is on a submission the agency supplied' };
  }
  return { allowed: false, reason: 'the agency may not see this person' };
}

/**
 * How much of a contact a principal sees, once contact:view is allowed. The MASH (area) sees all of
 * it; the submitter sees what it sent, the outcome and the feedback (F11, F16), but not the records
 * its people were matched to; an agency asked for information sees the concern and its own
 * enquiry; an agency the submission named (a child's school) sees that there is a contact and its
 * status. Police never see health's answers: responses follow enquiry:view-response.
 */
export function contactDisclosure(
  principal: Principal,
  contact: { areaId: string; suppliedBy: string | null; relationships: readonly Relationship[]; asOf: Date },
  enquiryAgencyIds: readonly string[],
) {
  const byArea = decideInArea(principal, 'contact:view', contact.areaId).allowed;
  const submitter = principal.agencyId !== null && contact.suppliedBy === principal.agencyId;
  const askedForInformation =
    principal.agencyId !== null &&
    enquiryAgencyIds.includes(principal.agencyId) &&
    relationshipFor(principal.agencyId, 'enquiry:respond', contact) !== null;
  return {
    whole: byArea,
    narrative: byArea || submitter || askedForInformation,
    outcome: byArea || submitter,
    history: byArea,
    submitter,
    /** Whether the records the contact's people were matched to may be linked to and named. */
    people: byArea,
    enquiry: (agencyId: string) => byArea || agencyId === principal.agencyId,
    // An agency's own answer is a fact it supplied; others' answers follow the role's grant.
    response: (agencyId: string) =>
      agencyId === principal.agencyId ||
      decideInArea(principal, 'enquiry:view-response', contact.areaId).allowed,
  };
}

/**
 * One agency's MARAC research for a case (docs/marac.md): its own agency and the coordinator of the
 * case's area see it at once; every other participating agency only once the meeting has started,
 * so no agency reads another's information before it is shared at the table.
 */
export function maracResearchVisible(
  principal: Principal,
  research: { agencyId: string },
  theCase: { areaId: string; meetingStarted: boolean },
): boolean {
  if (principal.agencyId !== null && research.agencyId === principal.agencyId) return true;
  if (decideInArea(principal, 'marac:coordinate', theCase.areaId).allowed) return true;
  return theCase.meetingStarted;
}

/**
 * A MARAC or panel meeting (docs/marac.md) is seen by the coordinator of its area and by the
 * agencies taking part in it (asked for research on one of its cases), through a role that sees
 * MARAC cases; nobody else, so an agency not at the table does not learn who is on the agenda.
 */
export function decideMaracMeeting(
  principal: Principal,
  meeting: { areaId: string; participantAgencyIds: readonly string[] },
): Decision {
  if (decideInArea(principal, 'marac:coordinate', meeting.areaId).allowed)
    return { allowed: true, reason: 'marac:coordinate granted in the meeting’s area', basis: 'mash-of-area' };
  const party = principal.agencyId !== null && meeting.participantAgencyIds.includes(principal.agencyId);
  if (party && grantedScopes(principal, 'marac:view').includes('related'))
    return {
      allowed: true,
      reason: 'marac:view granted: the agency takes part in the meeting',
      basis: 'marac',
    };
  return { allowed: false, reason: 'only the coordinator and the agencies taking part see a meeting' };
}

/**
 * A multi-agency action belongs to the agency asked to do it: only that agency sees it in its
 * list and marks it done (the meeting's participants see the meeting's actions through the
 * meeting). `related` here means the ownership recorded on the action.
 */
export function decideOwnedAction(
  principal: Principal,
  action: 'action:view' | 'action:complete',
  owner: { ownerAgencyId: string },
): Decision {
  if (grantedScopes(principal, action).length === 0)
    return { allowed: false, reason: `no role held grants ${action}` };
  if (principal.agencyId !== null && principal.agencyId === owner.ownerAgencyId)
    return { allowed: true, reason: `${action} granted: the action is the agency's own` };
  return { allowed: false, reason: `${action} is for the agency that owns the action only` };
}

/** Who took part in a strategy discussion, as the policy needs it. */
export interface StrategyDiscussionParties {
  areaId: string;
  requestedByAgencyId: string | null;
  /** The agencies invited (each holds a strategy-discussion relationship for the episode). */
  participantAgencyIds: readonly string[];
}

/**
 * A strategy discussion is seen by the MASH of the child's area and by the agencies that took
 * part in it (the requester and those invited), nobody else: a relationship with the child on
 * another basis does not open a discussion the agency was not part of.
 */
export function decideStrategyDiscussion(
  principal: Principal,
  action: 'strategy-discussion:view' | 'strategy-discussion:contribute',
  parties: StrategyDiscussionParties,
): Decision {
  const scopes = grantedScopes(principal, action);
  if (scopes.length === 0) return { allowed: false, reason: `no role held grants ${action}` };
  if (scopes.includes('area') && principal.areaIds.includes(parties.areaId))
    return {
      allowed: true,
      reason: `${action} granted: the discussion is in an area the agency serves`,
      basis: 'mash-of-area',
    };
  const party =
    principal.agencyId !== null &&
    (parties.requestedByAgencyId === principal.agencyId ||
      parties.participantAgencyIds.includes(principal.agencyId));
  if (scopes.includes('related') && party)
    return {
      allowed: true,
      reason: `${action} granted: the agency is part of the discussion`,
      basis: 'strategy-discussion',
    };
  return { allowed: false, reason: `${action} is for the agencies that are part of the discussion` };
}

/**
 * Raising a flag (issue 15): the policy's flag:raise on the person, and the agency must be of a
 * kind that owns that type of flag (children's social care owns a child-protection plan).
 */
export function decideFlagRaise(
  principal: Principal,
  person: Resource,
  raisedBy: readonly AgencyKind[],
): Decision {
  const decision = decide(principal, 'flag:raise', person);
  if (!decision.allowed) return decision;
  if (principal.agencyKind === null || !raisedBy.includes(principal.agencyKind))
    return { allowed: false, reason: `only ${raisedBy.join(' or ')} agencies raise this type of flag` };
  return decision;
}

/** Only the owning agency ends its flag (the owning service), by someone who may raise flags. */
export function decideFlagEnd(principal: Principal, flag: { owningAgencyId: string }): Decision {
  if (grantedScopes(principal, 'flag:raise').length === 0)
    return { allowed: false, reason: 'no role held grants flag:raise' };
  if (principal.agencyId === null || principal.agencyId !== flag.owningAgencyId)
    return { allowed: false, reason: 'only the agency that owns a flag may end it' };
  return { allowed: true, reason: 'the owning agency ends its flag' };
}

/**
 * Who sees a person's flags on the person record: every agency that may see the record (the
 * MASH of the area, and every agency holding a relationship). Health agencies also read flags by
 * NHS number (flag:lookup) without seeing the record.
 */
export function decideFlagView(principal: Principal, person: Resource): Decision {
  const record = decide(principal, 'person:view', person);
  if (record.allowed) return record;
  return decide(principal, 'flag:lookup');
}

/**
 * A message in the outbox is read by the agency it was sent to, and one sent to a person by name
 * by that person only (docs/notifications.md). `related` here means the addressing recorded on it.
 */
export function decideNotificationRead(
  principal: Principal,
  message: { recipientAgencyId: string; recipientUserId: string | null },
): Decision {
  if (grantedScopes(principal, 'notification:inbox').length === 0)
    return { allowed: false, reason: 'no role held grants notification:inbox' };
  if (principal.agencyId === null || principal.agencyId !== message.recipientAgencyId)
    return { allowed: false, reason: 'a message is read only by the agency it was sent to' };
  if (message.recipientUserId !== null && message.recipientUserId !== principal.userId)
    return { allowed: false, reason: 'a message to a person by name is read only by that person' };
  return { allowed: true, reason: 'notification:inbox granted: the message is addressed to the reader' };
}

/** The sender's managers see the messages their own agency sent that could not be delivered. */
export function decideUndeliveredView(
  principal: Principal,
  message: { senderAgencyId: string | null },
): Decision {
  if (grantedScopes(principal, 'notification:view-undelivered').length === 0)
    return { allowed: false, reason: 'no role held grants notification:view-undelivered' };
  if (principal.agencyId === null || principal.agencyId !== message.senderAgencyId)
    return { allowed: false, reason: 'only the sending agency’s managers see its undelivered messages' };
  return { allowed: true, reason: 'notification:view-undelivered granted: the agency sent it' };
}

/** Who an Encompass notice is for, as the policy needs it. */
export interface EncompassNoticeParties {
  areaId: string;
  /** The school, or the local authority's agency for a child with no school in the partnership. */
  addresseeAgencyId: string;
  /** The force that recorded the incident or episode. */
  sourceAgencyId: string | null;
  /** A notice held for the force's review is not yet its addressee's (docs/encompass.md). */
  heldForReview?: boolean;
  /** The agencies an escalation of the notice was sent to (recorded on its escalations). */
  escalatedToAgencyIds?: readonly string[];
}

/**
 * Whom a local-authority notice and an escalation to the local authority are addressed to by name:
 * the users of the LA's agency holding this role (docs/encompass.md). Deciding it is the policy's.
 */
export const ENCOMPASS_OFFICER_ROLE: Role = 'education_safeguarding_officer';

/**
 * An Encompass notice (docs/encompass.md) is seen by its addressee (the school's key adult and
 * deputies, or the LA's education safeguarding officer), by the force that sent it, by the
 * agencies an escalation went to, and by the MASH and the force's Encompass lead of its area; only
 * the addressee acknowledges it, and only the force's lead of the area reviews it before release.
 * `related` means the addressee, sender or escalation recorded on the notice.
 */
export function decideEncompassNotice(
  principal: Principal,
  action: 'encompass:view' | 'encompass:acknowledge' | 'encompass:review',
  notice: EncompassNoticeParties,
): Decision {
  const scopes = grantedScopes(principal, action);
  if (scopes.length === 0) return { allowed: false, reason: `no role held grants ${action}` };
  if (notice.heldForReview && principal.agencyId !== null && principal.agencyId === notice.addresseeAgencyId)
    return { allowed: false, reason: 'the notice is held for the force’s review' };
  if (scopes.includes('area') && principal.areaIds.includes(notice.areaId))
    return {
      allowed: true,
      reason: `${action} granted: the notice is in an area the agency serves`,
      basis: 'mash-of-area',
    };
  if (scopes.includes('related') && principal.agencyId !== null) {
    if (principal.agencyId === notice.addresseeAgencyId)
      return { allowed: true, reason: `${action} granted: the notice is addressed to the agency` };
    if (action === 'encompass:view' && principal.agencyId === notice.sourceAgencyId)
      return {
        allowed: true,
        reason: `${action} granted: the agency sent the notice`,
        basis: 'fact-supplier',
      };
    if (action === 'encompass:view' && notice.escalatedToAgencyIds?.includes(principal.agencyId))
      return { allowed: true, reason: `${action} granted: the notice was escalated to the agency` };
  }
  return { allowed: false, reason: `${action} is for the notice's addressee, its sender and its area` };
}

/** What a list of Encompass notices is filtered by (the repository turns it into SQL). */
export function encompassNoticeScope(
  principal: Principal,
  action: 'encompass:view' | 'encompass:acknowledge' | 'encompass:review' | 'encompass:report',
): { areaIds: string[]; agencyId: string | null } | null {
  const scopes = grantedScopes(principal, action);
  if (scopes.length === 0) return null;
  const areaIds = scopes.includes('area') ? principal.areaIds : [];
  const agencyId = scopes.includes('related') ? principal.agencyId : null;
  if (areaIds.length === 0 && agencyId === null) return null;
  return { areaIds, agencyId };
}

/**
 * "Try again" on a dead-lettered delivery: an administrator (who sees every delivery in the
 * report) for any, and the sending agency's managers for their own agency's (decideUndeliveredView).
 */
export function decideDeliveryRetry(
  principal: Principal,
  message: { senderAgencyId: string | null },
): Decision {
  if (grantedScopes(principal, 'notification:report').length > 0)
    return { allowed: true, reason: 'notification:report granted: any delivery' };
  return decideUndeliveredView(principal, message);
}
