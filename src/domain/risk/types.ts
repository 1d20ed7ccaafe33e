import type { ChronologyEvent } from '../chronology-event.ts';
import type { RiskLevel } from '../instruments/bands.ts';
import type { RiskRulesConfig } from './config.ts';
import type { RiskContext } from './context.ts';

export type HouseholdRole = 'victim' | 'perpetrator' | 'parent-carer' | 'other-adult';

export interface RiskSubject {
  readonly id: string;
  readonly dateOfBirth?: Date;
  /** For an unborn child. */
  readonly expectedDateOfBirth?: Date;
  readonly hasDisability?: boolean;
}

export interface HouseholdAdult {
  readonly id: string;
  readonly role: HouseholdRole;
}

export interface CumulativeRiskInput {
  readonly child: RiskSubject;
  readonly adults: readonly HouseholdAdult[];
  /** The child's chronology and the linked adults' (any order; later than `asOf` is ignored). */
  readonly events: readonly ChronologyEvent[];
  readonly asOf: Date;
}

/** `risk` findings can raise the level; `practice` findings are gaps in the response to act on. */
export type FindingKind = 'risk' | 'practice';

export interface RiskFinding {
  readonly ruleId: string;
  readonly kind: FindingKind;
  readonly title: string;
  /** Plain English, with the counts, window and dates that made the rule fire. */
  readonly explanation: string;
  /** The level this finding on its own supports; `null` when it does not raise the level. */
  readonly impliedLevel: RiskLevel | null;
  /** The events that support the finding, oldest first. */
  readonly eventIds: readonly string[];
}

export interface RiskRule {
  readonly id: string;
  evaluate(context: RiskContext, config: RiskRulesConfig): RiskFinding | null;
}
