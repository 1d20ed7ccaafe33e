/**
 * The kinds of agency in a safeguarding partnership, defined once: the directory stores one per
 * agency, the access policy and chronology sharing decide by it, pages name it. Pure data.
 */
export const AGENCY_KINDS = {
  police: 'Police force',
  childrens_social_care: "Children's social care",
  early_help: 'Early help',
  acute_trust: 'Acute hospital trust',
  community_health: 'Community health',
  gp_practice: 'GP practice',
  camhs: 'Child and adolescent mental health',
  adult_mental_health: 'Adult mental health',
  adult_substance_misuse: 'Adult substance misuse',
  school: 'School or college',
  probation: 'Probation Service',
  youth_justice: 'Youth justice service',
  idva_service: 'Domestic abuse service (IDVA)',
  housing: 'Housing',
} as const;

export type AgencyKind = keyof typeof AGENCY_KINDS;

export function isAgencyKind(value: string): value is AgencyKind {
  return Object.hasOwn(AGENCY_KINDS, value);
}

/** Agencies that may lead an early help episode (the lead agency offered on step-down). */
export const EARLY_HELP_LEAD_AGENCY_KINDS: readonly AgencyKind[] = [
  'early_help',
  'school',
  'community_health',
  'gp_practice',
  'idva_service',
  'housing',
];
