import type { DecisionOutcome } from '../../domain/chronology-event.ts';

/** Children in Need census contact source codes (DOMAIN.md). */
export const CONTACT_SOURCES = {
  '1A': 'Individual: family member, relative or carer',
  '1B': 'Individual: acquaintance (including neighbours and child minders)',
  '1C': 'Individual: self',
  '1D': 'Individual: other',
  '2A': 'School',
  '2B': 'Education services',
  '3A': 'Health services: GP',
  '3B': 'Health services: health visitor',
  '3C': 'Health services: school nurse',
  '3D': 'Health services: other primary health services',
  '3E': 'Health services: A&E (emergency department)',
  '3F': 'Health services: other',
  '4': 'Housing (local authority or housing association)',
  '5A': 'Local authority services: social care',
  '5B': 'Local authority services: other internal department',
  '5C': 'Local authority services: external local authority',
  '5D': 'Other local authority service',
  '6': 'Police',
  '7': 'Other legal agency (courts, probation, prison, Cafcass)',
  '8': 'Other',
  '9': 'Anonymous',
  '10': 'Unknown',
} as const;

export type ContactSource = keyof typeof CONTACT_SOURCES;

export function isContactSource(value: unknown): value is ContactSource {
  return typeof value === 'string' && Object.hasOwn(CONTACT_SOURCES, value);
}

/** Structured concern categories; routing rules (configuration) refer to these codes. */
export const CONCERNS = {
  'domestic-abuse': 'Domestic abuse',
  'physical-abuse': 'Physical abuse',
  'sexual-abuse': 'Sexual abuse',
  'emotional-abuse': 'Emotional abuse',
  neglect: 'Neglect',
  'child-sexual-exploitation': 'Child sexual exploitation',
  'child-criminal-exploitation': 'Child criminal exploitation',
  missing: 'Missing from home, care or education',
  'self-harm': 'Self-harm or suicidal thoughts',
  'fgm-or-honour-based-abuse': 'Female genital mutilation or honour-based abuse',
  radicalisation: 'Radicalisation',
  trafficking: 'Trafficking or modern slavery',
  'mental-health': 'Mental health (child or parent)',
  'substance-misuse': 'Substance misuse (child or parent)',
  'parenting-capacity': 'Parenting capacity',
  housing: 'Housing or homelessness',
  'school-attendance': 'School attendance',
  behaviour: 'Behaviour',
  other: 'Other',
} as const;

export type Concern = keyof typeof CONCERNS;

export function isConcern(value: unknown): value is Concern {
  return typeof value === 'string' && Object.hasOwn(CONCERNS, value);
}

export const OUTCOMES: Readonly<Record<DecisionOutcome, string>> = {
  'no-further-action': 'No further action',
  'universal-services': 'Signpost to universal services',
  'early-help': 'Early help',
  'child-in-need-assessment': 'Child in need assessment (section 17)',
  'strategy-discussion': 'Strategy discussion (section 47 enquiry)',
  'immediate-protection': 'Immediate protection',
};

export function isOutcome(value: unknown): value is DecisionOutcome {
  return typeof value === 'string' && Object.hasOwn(OUTCOMES, value);
}

export const RAG_LABELS = {
  red: 'Red: potential child protection',
  amber: 'Amber: significant concern',
  green: 'Green: wellbeing concern',
  blue: 'Blue: no safeguarding concern',
} as const;

export const ROUTE_LABELS = {
  mash: 'MASH',
  'early-help-triage': 'Early help triage',
} as const;
export type ContactRoute = keyof typeof ROUTE_LABELS;

export const STATUS_LABELS = {
  screening: 'Awaiting screening',
  gathering: 'Gathering information',
  'awaiting-sign-off': 'Awaiting manager sign-off',
  closed: 'Decided',
  duplicate: 'Duplicate',
  joined: 'Joined to another contact',
} as const;

export type ContactStatus = keyof typeof STATUS_LABELS;

/** Statuses still on the front-door clock. */
export const OPEN_STATUSES = ['screening', 'gathering', 'awaiting-sign-off'] as const;

export const DASH_STATUSES = {
  completed: 'Completed',
  awaited: 'DASH awaited (to follow)',
  refused: 'Victim declined to answer',
} as const;

export type DashStatus = keyof typeof DASH_STATUSES;

export const REPORTED_BY = {
  victim: 'Victim',
  child: 'Child',
  perpetrator: 'Perpetrator',
  'family-member': 'Family member',
  neighbour: 'Neighbour',
  professional: 'Professional',
  other: 'Other',
} as const;

export const EARLY_HELP_RESPONSES = {
  accepted: 'Accepted',
  declined: 'Declined',
  considering: 'Wants time to consider',
} as const;

export const ROLE_LABELS = {
  child: 'Child',
  victim: 'Victim',
  suspect: 'Suspect',
  adult: 'Adult involved',
} as const;
export type PersonRole = keyof typeof ROLE_LABELS;

export const MATCH_OUTCOME_LABELS = {
  linked: 'Matched to an existing record',
  new: 'New record created',
  review: 'New record: possible match awaiting review',
} as const;
export type MatchOutcome = keyof typeof MATCH_OUTCOME_LABELS;

/** An enquiry is open until the agency answers, or withdrawn when the decision is made first. */
export const ENQUIRY_STATUSES = ['open', 'responded', 'withdrawn'] as const;
export type EnquiryStatus = (typeof ENQUIRY_STATUSES)[number];
