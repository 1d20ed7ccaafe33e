/**
 * One event on a person's chronology — the shape every agency's records are reduced to, and what
 * the cumulative-risk engine reads. Plain data, so it maps straight onto a table row / JSON body.
 */
import type { AgencyKind } from './agency-kinds.ts';
import type { RiskLevel } from './instruments/bands.ts';

export const CHRONOLOGY_EVENT_TYPES = [
  // front door
  'contact',
  'referral',
  'dan',
  'duplicate-dan',
  'domestic-abuse-incident',
  'risk-assessment',
  'decision',
  'enquiry-response',
  'case-closure',
  'early-help-step-up',
  'early-help-step-down',
  // multi-agency meetings and plans
  'marac-referral',
  'marac-discussion',
  'strategy-discussion',
  'safety-plan',
  'child-protection-plan',
  'child-in-need-plan',
  'early-help-plan',
  // health
  'missed-health-appointment',
  'ed-attendance',
  'health-visitor-concern',
  // criminal justice
  'custody-episode',
  'probation-event',
  'youth-justice-event',
  'bail-or-order-breach',
  // education
  'school-concern',
  'school-exclusion',
  'school-absence',
  'operation-encompass-notification',
  // adults and circumstances
  'adult-risk-indicator',
  'address-change',
  'social-worker-change',
  // flags and health events (issue 15)
  'flag-raised',
  'flag-ended',
  'school-nurse-concern',
  'maternity-booking',
  'other',
] as const;

export type ChronologyEventType = (typeof CHRONOLOGY_EVENT_TYPES)[number];

/** How each event type reads in a sentence ("a police DAN on 3 May 2025"). */
export const CHRONOLOGY_EVENT_TYPE_LABELS: Readonly<Record<ChronologyEventType, string>> = Object.freeze({
  contact: 'contact',
  referral: 'referral',
  dan: 'police domestic abuse notification',
  'duplicate-dan': 'duplicate domestic abuse notification',
  'domestic-abuse-incident': 'domestic abuse incident',
  'risk-assessment': 'risk assessment',
  decision: 'front-door decision',
  'enquiry-response': 'enquiry response',
  'case-closure': 'case closure',
  'early-help-step-up': 'step-up from early help',
  'early-help-step-down': 'step-down to early help',
  'marac-referral': 'MARAC referral',
  'marac-discussion': 'MARAC discussion',
  'strategy-discussion': 'strategy discussion',
  'safety-plan': 'safety plan',
  'child-protection-plan': 'child protection plan',
  'child-in-need-plan': 'child in need plan',
  'early-help-plan': 'early help plan',
  'missed-health-appointment': 'missed health appointment',
  'ed-attendance': 'emergency department attendance',
  'health-visitor-concern': 'health visitor concern',
  'custody-episode': 'custody episode',
  'probation-event': 'probation event',
  'youth-justice-event': 'youth justice event',
  'bail-or-order-breach': 'breach of bail or an order',
  'school-concern': 'school concern',
  'school-exclusion': 'school exclusion',
  'school-absence': 'school absence',
  'operation-encompass-notification': 'Operation Encompass notification',
  'adult-risk-indicator': 'adult risk indicator',
  'address-change': 'change of address',
  'social-worker-change': 'change of social worker',
  'flag-raised': 'flag raised',
  'flag-ended': 'flag ended',
  'school-nurse-concern': 'school nurse concern',
  'maternity-booking': 'maternity booking',
  other: 'event',
});

/** Events that record a domestic-abuse incident. `duplicate-dan` is deliberately not one. */
export const DOMESTIC_ABUSE_INCIDENT_TYPES: readonly ChronologyEventType[] = Object.freeze([
  'dan',
  'domestic-abuse-incident',
]);

export type Significance = 'low' | 'medium' | 'high';

/** The chronology owner's part in the event. */
export type EventRole =
  | 'victim'
  | 'perpetrator'
  | 'child-in-household'
  | 'subject'
  | 'parent-carer'
  | 'other';

export type AdultRiskIndicator =
  | 'substance-misuse'
  | 'mental-health'
  | 'breach-of-bail-or-order'
  | 'other-victims';

export type ReportedBy =
  | 'victim'
  | 'child'
  | 'perpetrator'
  | 'family-member'
  | 'neighbour'
  | 'professional'
  | 'other';

export type DecisionOutcome =
  | 'no-further-action'
  | 'universal-services'
  | 'early-help'
  | 'child-in-need-assessment'
  | 'strategy-discussion'
  | 'immediate-protection';

/** Type-specific details. Every field is optional; the comment says which event types use it. */
export interface ChronologyEventData {
  readonly role?: EventRole;
  /** Other people the event concerns (the children of the household on an adult's DAN, say). */
  readonly relatedPersonIds?: readonly string[];
  /** dan, domestic-abuse-incident, marac-*: who was harmed and who caused it. */
  readonly victimIds?: readonly string[];
  readonly perpetratorIds?: readonly string[];
  /** dan, duplicate-dan, domestic-abuse-incident: police reference or other incident key, so one incident counts once. */
  readonly incidentRef?: string;
  /** duplicate-dan: the event it duplicates. */
  readonly duplicateOfEventId?: string;
  /** dan, domestic-abuse-incident: who called for help. */
  readonly reportedBy?: ReportedBy;
  readonly childPresent?: boolean;
  readonly childInjured?: boolean;
  /**
   * The risk level this event recorded: the officer's grade on a DAN, the final level of a risk
   * assessment (after professional judgement), or the level a decision was made on.
   */
  readonly riskGrade?: RiskLevel;
  /** risk-assessment */
  readonly instrumentId?: string;
  readonly instrumentVersion?: string;
  readonly instrumentScore?: number;
  /** decision: level of need (partnership configuration) and outcome. */
  readonly decisionLevel?: string;
  readonly decisionOutcome?: DecisionOutcome;
  /** adult-risk-indicator, risk-assessment, probation-event: risk factors the event evidences. */
  readonly indicators?: readonly AdultRiskIndicator[];
  /** custody-episode: whether the child's school was told (FINDINGS F29). */
  readonly schoolInformed?: boolean;
  /** school-absence: attendance over the period reported. */
  readonly attendancePercent?: number;
  /** Any event about an unborn child, allowed before the date of birth. */
  readonly preBirth?: boolean;
}

export interface ChronologyEvent {
  readonly id: string;
  /** Whose chronology this entry is on. */
  readonly personId: string;
  readonly type: ChronologyEventType;
  readonly occurredAt: Date;
  /** `null` when Harbour itself recorded the event (a system job, say). */
  readonly sourceAgencyKind: AgencyKind | null;
  /** Who recorded it and whom it was shared with: the sharing rules read these (docs/access.md). */
  readonly sourceAgencyId?: string | null;
  readonly sharedWithAgencyIds?: readonly string[];
  readonly significance: Significance;
  readonly summary: string;
  readonly data: ChronologyEventData;
}

export function isChronologyEventType(value: unknown): value is ChronologyEventType {
  return typeof value === 'string' && (CHRONOLOGY_EVENT_TYPES as readonly string[]).includes(value);
}

export interface EventDateProblem {
  readonly field: 'occurredAt';
  /** Which rule failed, so a caller can name the field its own caller sent (a date of birth). */
  readonly reason: 'invalid' | 'future' | 'before-birth';
  readonly message: string;
}

/**
 * An event cannot be dated in the future, nor before the person was born unless it is marked as
 * a pre-birth event (a concern about an unborn baby).
 */
export function checkEventDate(
  occurredAt: Date,
  context: { readonly now: Date; readonly dateOfBirth?: Date; readonly preBirth?: boolean },
): EventDateProblem | null {
  if (Number.isNaN(occurredAt.getTime()))
    return { field: 'occurredAt', reason: 'invalid', message: 'Enter a real date and time' };
  if (occurredAt.getTime() > context.now.getTime()) {
    return {
      field: 'occurredAt',
      reason: 'future',
      message: 'The date of the event must be today or in the past',
    };
  }
  if (context.dateOfBirth && !context.preBirth && occurredAt.getTime() < context.dateOfBirth.getTime()) {
    return {
      field: 'occurredAt',
      reason: 'before-birth',
      message: 'The date of the event must be on or after the date of birth',
    };
  }
  return null;
}
