/**
 * Every threshold the cumulative-risk rules use. Partnerships override these (Kent & Medway, for
 * example, count potential escalation as 3 incidents in 6 months). docs/domain.md gives the
 * rationale for each default.
 */

import type { DecisionOutcome } from '../chronology-event.ts';
import {
  assertValidBands,
  DEFAULT_RISK_BANDS,
  type RiskBands,
  type RiskLevel,
} from '../instruments/bands.ts';
import { TIME_ZONE } from '../time-zone.ts';

interface RuleSwitch {
  readonly enabled: boolean;
  /** The level the finding supports on its own; `null` shows it without raising the level. */
  readonly raisesTo: RiskLevel | null;
}

/** N events within a window of months ending at the assessment date (boundary instant included). */
export interface CountInWindow extends RuleSwitch {
  readonly count: number;
  readonly windowMonths: number;
}

export interface MinimumResponse {
  readonly code: DecisionOutcome;
  readonly text: string;
}

export interface RiskRulesConfig {
  /** Zone in which "12 months before" is counted. */
  readonly timeZone: string;
  readonly bands: RiskBands;
  /** Potential escalation: domestic-abuse incidents in the household (a MARAC criterion). */
  readonly repeatIncidents: CountInWindow;
  /** Chronic risk: incidents each graded low (standard or medium) piling up. */
  readonly accumulatingLowerGrades: CountInWindow & { readonly grades: readonly RiskLevel[] };
  /** Incidents in which the child called for help. */
  readonly childReportedAbuse: CountInWindow;
  /** Contacts, referrals and DANs about the child. */
  readonly repeatContacts: CountInWindow;
  /** A new contact or referral within the window after a case was closed. */
  readonly reReferral: RuleSwitch & { readonly windowMonths: number };
  /** A household perpetrator who has harmed someone outside the household; `null` window = ever. */
  readonly perpetratorOtherVictims: RuleSwitch & { readonly windowMonths: number | null };
  readonly adultSubstanceMisuse: RuleSwitch & { readonly windowMonths: number };
  readonly adultMentalHealth: RuleSwitch & { readonly windowMonths: number };
  readonly breachOfBailOrOrder: RuleSwitch & { readonly windowMonths: number };
  /** Babies (and unborn children) are the most vulnerable to harm in a violent household. */
  readonly childUnderOne: RuleSwitch & { readonly ageMonths: number };
  readonly childDisability: RuleSwitch;
  readonly missedHealthAppointments: CountInWindow;
  readonly custodyEpisodes: CountInWindow;
  /** Exclusions and absence reports count; so does any reported attendance below the threshold. */
  readonly schoolAbsenceOrExclusion: CountInWindow & { readonly attendanceBelowPercent: number };
  /** The latest risk assessment's score band is above the level then recorded (FINDINGS F4). */
  readonly recordedLevelBelowScore: { readonly enabled: boolean; readonly windowMonths: number };
  /** Incidents in the window that make a safety plan expected, and none recorded in it. */
  readonly noSafetyPlan: RuleSwitch & {
    readonly windowMonths: number;
    readonly minIncidents: number;
    /** A single incident graded at or above this level also makes a plan expected. */
    readonly orAnyIncidentGraded: RiskLevel;
  };
  readonly socialWorkerChanges: CountInWindow;
  /** Many separate concerns together support a higher level than any one of them. */
  readonly multipleConcerns: {
    readonly enabled: boolean;
    readonly count: number;
    readonly raisesTo: RiskLevel;
  };
  readonly minimumResponse: Readonly<Record<RiskLevel, MinimumResponse>>;
  readonly marac: {
    /** A repeat is a new incident within this many months of the last MARAC referral. */
    readonly repeatWindowMonths: number;
    /** Only risk assessments this recent count for "visible high risk" and "professional judgement". */
    readonly assessmentWindowMonths: number;
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** config: cumulative-risk rule defaults. */
export const DEFAULT_RISK_RULES_CONFIG: RiskRulesConfig = deepFreeze({
  timeZone: TIME_ZONE,
  bands: DEFAULT_RISK_BANDS,
  repeatIncidents: { enabled: true, count: 3, windowMonths: 12, raisesTo: 'high' },
  accumulatingLowerGrades: {
    enabled: true,
    count: 4,
    windowMonths: 24,
    grades: ['standard', 'medium'],
    raisesTo: 'medium',
  },
  childReportedAbuse: { enabled: true, count: 1, windowMonths: 24, raisesTo: 'medium' },
  repeatContacts: { enabled: true, count: 3, windowMonths: 12, raisesTo: 'medium' },
  reReferral: { enabled: true, windowMonths: 12, raisesTo: 'medium' },
  perpetratorOtherVictims: { enabled: true, windowMonths: null, raisesTo: 'medium' },
  adultSubstanceMisuse: { enabled: true, windowMonths: 12, raisesTo: 'medium' },
  adultMentalHealth: { enabled: true, windowMonths: 12, raisesTo: 'medium' },
  breachOfBailOrOrder: { enabled: true, windowMonths: 12, raisesTo: 'medium' },
  childUnderOne: { enabled: true, ageMonths: 12, raisesTo: 'medium' },
  childDisability: { enabled: true, raisesTo: 'medium' },
  missedHealthAppointments: { enabled: true, count: 2, windowMonths: 6, raisesTo: 'medium' },
  custodyEpisodes: { enabled: true, count: 1, windowMonths: 12, raisesTo: 'medium' },
  schoolAbsenceOrExclusion: {
    enabled: true,
    count: 1,
    windowMonths: 12,
    attendanceBelowPercent: 90,
    raisesTo: 'medium',
  },
  recordedLevelBelowScore: { enabled: true, windowMonths: 12 },
  noSafetyPlan: {
    enabled: true,
    windowMonths: 12,
    minIncidents: 2,
    orAnyIncidentGraded: 'medium',
    raisesTo: null,
  },
  socialWorkerChanges: { enabled: true, count: 3, windowMonths: 12, raisesTo: null },
  multipleConcerns: { enabled: true, count: 4, raisesTo: 'high' },
  minimumResponse: {
    standard: {
      code: 'early-help',
      text: 'Record on the chronology, make sure the school has been told, and offer early help.',
    },
    medium: {
      code: 'child-in-need-assessment',
      text: 'Gather information from every agency, agree a safety plan, and assess the child’s needs (child in need).',
    },
    high: {
      code: 'strategy-discussion',
      text: 'Hold a strategy discussion with police, health and the other agencies involved; refer to MARAC where the criteria are met.',
    },
  },
  marac: { repeatWindowMonths: 12, assessmentWindowMonths: 12 },
} satisfies RiskRulesConfig);

type Overrides<T> = {
  readonly [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : Partial<T[K]> | T[K];
};

/**
 * Defaults with a partnership's overrides, merged one rule deep — e.g.
 * `createRiskRulesConfig({ repeatIncidents: { windowMonths: 6 } })` for 3 incidents in 6 months.
 */
export function createRiskRulesConfig(overrides: Overrides<RiskRulesConfig> = {}): RiskRulesConfig {
  const merged: Record<string, unknown> = { ...DEFAULT_RISK_RULES_CONFIG };
  for (const [key, value] of Object.entries(overrides)) {
    const base = (DEFAULT_RISK_RULES_CONFIG as unknown as Record<string, unknown>)[key];
    merged[key] =
      value !== null && typeof value === 'object' && !Array.isArray(value) && typeof base === 'object'
        ? { ...(base as object), ...value }
        : value;
  }
  const config = merged as unknown as RiskRulesConfig;
  for (const [key, value] of Object.entries(config)) {
    if (value === null || typeof value !== 'object') continue;
    const rule = value as { count?: unknown; windowMonths?: unknown };
    if (rule.count !== undefined && !(Number.isInteger(rule.count) && (rule.count as number) >= 1)) {
      throw new RangeError(`${key}.count must be a whole number ≥ 1`);
    }
    if (
      rule.windowMonths !== undefined &&
      rule.windowMonths !== null &&
      !(Number.isInteger(rule.windowMonths) && (rule.windowMonths as number) >= 1)
    ) {
      throw new RangeError(`${key}.windowMonths must be a whole number of months ≥ 1`);
    }
  }
  assertValidBands(config.bands);
  return deepFreeze(config);
}
