import type { AgencyKind, Role } from '../../platform/roles.ts';

/**
 * The fictional demonstration partnership: two unitary areas served by one police force.
 * Place names and postcode districts are invented; people are generated (see families.ts).
 */
export const DEMO_PASSWORD = 'harbour-demo-2026';

export const DEMO_AREAS = [
  { code: 'northbridge', name: 'Northbridge', districts: ['NB1', 'NB2', 'NB3', 'NB4'] },
  { code: 'southmere', name: 'Southmere', districts: ['SQ1', 'SQ2', 'SQ3', 'SQ4'] },
] as const;

type AreaCode = (typeof DEMO_AREAS)[number]['code'];

export interface DemoAgency {
  code: string;
  name: string;
  kind: AgencyKind;
  areas: AreaCode[];
}

const BOTH: AreaCode[] = ['northbridge', 'southmere'];

const SCHOOL_NAMES: [string, AreaCode][] = [
  ['Riverside Primary School', 'northbridge'],
  ['St Aidan’s CE Primary School', 'northbridge'],
  ['Northbridge Academy', 'northbridge'],
  ['Millfield Infant School', 'northbridge'],
  ['Canal Street Primary School', 'northbridge'],
  ['Harbour View High School', 'northbridge'],
  ['Southmere Park Primary School', 'southmere'],
  ['Holy Family Catholic Primary School', 'southmere'],
  ['Southmere College', 'southmere'],
  ['Meadow Lane Junior School', 'southmere'],
  ['Kingfisher Primary School', 'southmere'],
  ['Southmere Community High School', 'southmere'],
];

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export const DEMO_AGENCIES: DemoAgency[] = [
  { code: 'police', name: 'Harbourshire Police', kind: 'police', areas: BOTH },
  {
    code: 'northbridge-csc',
    name: 'Northbridge Council Children’s Services',
    kind: 'childrens_social_care',
    areas: ['northbridge'],
  },
  {
    code: 'southmere-csc',
    name: 'Southmere Council Children’s Services',
    kind: 'childrens_social_care',
    areas: ['southmere'],
  },
  {
    code: 'northbridge-early-help',
    name: 'Northbridge Early Help',
    kind: 'early_help',
    areas: ['northbridge'],
  },
  { code: 'southmere-early-help', name: 'Southmere Early Help', kind: 'early_help', areas: ['southmere'] },
  { code: 'hospital', name: 'Harbourshire Hospitals NHS Trust', kind: 'acute_trust', areas: BOTH },
  { code: 'community-health', name: 'Harbourshire Community Health', kind: 'community_health', areas: BOTH },
  { code: 'gp-riverside', name: 'Riverside Medical Practice', kind: 'gp_practice', areas: ['northbridge'] },
  { code: 'gp-old-mill', name: 'Old Mill Surgery', kind: 'gp_practice', areas: ['southmere'] },
  { code: 'camhs', name: 'Harbourshire CAMHS', kind: 'camhs', areas: BOTH },
  {
    code: 'adult-mental-health',
    name: 'Harbourshire Adult Mental Health Service',
    kind: 'adult_mental_health',
    areas: BOTH,
  },
  {
    code: 'recovery-service',
    name: 'Harbourshire Recovery Service',
    kind: 'adult_substance_misuse',
    areas: BOTH,
  },
  { code: 'probation', name: 'Probation Service, Harbourshire', kind: 'probation', areas: BOTH },
  { code: 'youth-justice', name: 'Harbourshire Youth Justice Service', kind: 'youth_justice', areas: BOTH },
  { code: 'idva-service', name: 'Harbour Domestic Abuse Service', kind: 'idva_service', areas: BOTH },
  { code: 'housing', name: 'Northbridge and Southmere Housing', kind: 'housing', areas: BOTH },
  ...SCHOOL_NAMES.map(([name, area]) => ({
    code: `school-${slug(name)}`,
    name,
    kind: 'school' as const,
    areas: [area],
  })),
];

export interface DemoUser {
  email: string;
  name: string;
  agency: string;
  roles: Role[];
  /** The user's team (a code of DEMO_TEAMS), when they work in one. */
  team?: string;
}

export const DEMO_USERS: DemoUser[] = [
  {
    email: 'front.door@harbour.example',
    name: 'Priya Front-Door',
    agency: 'northbridge-csc',
    roles: ['front_door_practitioner'],
  },
  {
    email: 'social.worker@harbour.example',
    name: 'Sam Social-Worker',
    agency: 'northbridge-csc',
    roles: ['mash_social_worker'],
  },
  {
    email: 'mash.manager@harbour.example',
    name: 'Morgan Manager',
    agency: 'northbridge-csc',
    roles: ['mash_manager'],
  },
  {
    email: 'police.officer@harbour.example',
    name: 'PC Alex Officer',
    agency: 'police',
    roles: ['police_officer'],
  },
  {
    email: 'police.supervisor@harbour.example',
    name: 'DS Jordan Supervisor',
    agency: 'police',
    roles: ['police_supervisor'],
  },
  {
    email: 'early.help@harbour.example',
    name: 'Erin Early-Help',
    agency: 'northbridge-early-help',
    roles: ['early_help_practitioner'],
    team: 'northbridge-early-help-team',
  },
  {
    email: 'mash.health@harbour.example',
    name: 'Hannah MASH-Health',
    agency: 'community-health',
    roles: ['mash_health'],
  },
  {
    email: 'ed.nurse@harbour.example',
    name: 'Ellis ED-Nurse',
    agency: 'hospital',
    roles: ['health_practitioner'],
  },
  {
    email: 'school.dsl@harbour.example',
    name: 'Dana DSL',
    agency: 'school-riverside-primary-school',
    roles: ['school_dsl'],
  },
  {
    email: 'education.safeguarding@harbour.example',
    name: 'Esther Education-Safeguarding',
    agency: 'northbridge-csc',
    roles: ['education_safeguarding_officer'],
  },
  {
    email: 'probation@harbour.example',
    name: 'Pat Probation',
    agency: 'probation',
    roles: ['probation_officer'],
  },
  {
    email: 'youth.justice@harbour.example',
    name: 'Yusuf Youth-Justice',
    agency: 'youth-justice',
    roles: ['youth_justice_officer'],
  },
  {
    email: 'adult.services@harbour.example',
    name: 'Ash Adult-Services',
    agency: 'recovery-service',
    roles: ['adult_services_practitioner'],
  },
  { email: 'idva@harbour.example', name: 'Isla IDVA', agency: 'idva-service', roles: ['idva'] },
  {
    email: 'marac@harbour.example',
    name: 'Max MARAC-Coordinator',
    agency: 'northbridge-csc',
    roles: ['marac_coordinator'],
  },
  {
    email: 'analyst@harbour.example',
    name: 'Ana Analyst',
    agency: 'northbridge-csc',
    roles: ['partnership_analyst'],
  },
  {
    email: 'dpo@harbour.example',
    name: 'Dara Data-Protection',
    agency: 'northbridge-csc',
    roles: ['data_protection_officer'],
  },
  {
    email: 'admin@harbour.example',
    name: 'Ada Administrator',
    agency: 'northbridge-csc',
    roles: ['system_admin'],
  },
  {
    email: 'southmere.front.door@harbour.example',
    name: 'Sol Southmere',
    agency: 'southmere-csc',
    roles: ['front_door_practitioner'],
  },
];

export const DEMO_TEAMS = [
  { code: 'northbridge-mash', name: 'Northbridge MASH', agency: 'northbridge-csc', area: 'northbridge' },
  { code: 'southmere-mash', name: 'Southmere MASH', agency: 'southmere-csc', area: 'southmere' },
  { code: 'police-cru', name: 'Central Referral Unit', agency: 'police', area: null },
  // The early help teams a stepped-down child's lead is chosen from (with their practitioners).
  {
    code: 'northbridge-early-help-team',
    name: 'Northbridge Family Support Team',
    agency: 'northbridge-early-help',
    area: 'northbridge',
  },
  {
    code: 'southmere-early-help-team',
    name: 'Southmere Family Support Team',
    agency: 'southmere-early-help',
    area: 'southmere',
  },
] as const;
