/** Every role a Harbour user can hold. A user may hold several (e.g. MASH manager + practitioner). */
export const ROLES = {
  front_door_practitioner: 'Front door practitioner',
  mash_social_worker: 'MASH social worker',
  mash_manager: 'MASH manager',
  police_officer: 'Police officer',
  police_supervisor: 'Police supervisor (central referral unit)',
  mash_health: 'MASH health practitioner',
  /** Works in the early help service: receives stepped-down children and leads their plans. */
  early_help_practitioner: 'Early help practitioner',
  health_practitioner: 'Health practitioner (emergency department, health visitor, school nurse, GP)',
  school_dsl: 'School designated safeguarding lead',
  /**
   * The local authority's education safeguarding officer (Operation Encompass): receives the notices
   * of children with no school in the partnership and the escalations of unacknowledged ones.
   */
  education_safeguarding_officer: 'Education safeguarding officer (local authority)',
  probation_officer: 'Probation officer',
  youth_justice_officer: 'Youth justice officer',
  adult_services_practitioner: 'Adult services practitioner (substance misuse, mental health)',
  idva: 'Independent domestic violence adviser (IDVA)',
  marac_coordinator: 'MARAC coordinator',
  partnership_analyst: 'Partnership analyst',
  system_admin: 'System administrator',
  /** Answers subject access requests and reviews retention (decision 0012); no case work. */
  data_protection_officer: 'Data protection officer',
  /** Held only by the system user behind an agency's API keys. */
  partner_system: 'Partner system (API)',
} as const;

export type Role = keyof typeof ROLES;

/**
 * The roles whose holders may be chosen as an early help episode's lead practitioner at
 * step-down (with the teams of the lead agencies): people who work with families, not the
 * service's administrators, analysts or systems.
 */
export const EARLY_HELP_LEAD_ROLES: readonly Role[] = [
  'early_help_practitioner',
  'school_dsl',
  'mash_health',
  'health_practitioner',
  'idva',
];

export function isRole(value: string): value is Role {
  return Object.hasOwn(ROLES, value);
}

// The agency kinds are a value list of the domain (domain/agency-kinds.ts), re-exported for the policy.
export { AGENCY_KINDS, type AgencyKind, isAgencyKind } from '../domain/agency-kinds.ts';
