/**
 * Cumulative-risk engine (FINDINGS F3, F4, F9, F10, F25, F29): reads a child's chronology and the
 * linked adults' events and says, with the evidence, when the picture is worse than the latest
 * grade suggests. Pure: the assessment date is passed in and nothing is read or written.
 */
import { CHRONOLOGY_EVENT_TYPE_LABELS, type ChronologyEvent } from './chronology-event.ts';
import { maxRiskLevel, type RiskLevel, riskLevelRank } from './instruments/bands.ts';
import {
  adultMentalHealthRule,
  adultSubstanceMisuseRule,
  breachOfBailOrOrderRule,
  perpetratorOtherVictimsRule,
} from './risk/adult-rules.ts';
import {
  childDisabilityRule,
  childUnderOneRule,
  custodyEpisodesRule,
  missedHealthAppointmentsRule,
  schoolAbsenceOrExclusionRule,
} from './risk/child-rules.ts';
import { DEFAULT_RISK_RULES_CONFIG, type MinimumResponse, type RiskRulesConfig } from './risk/config.ts';
import { repeatContactsRule, reReferralRule } from './risk/contact-rules.ts';
import { buildRiskContext, plural, type RiskContext } from './risk/context.ts';
import {
  accumulatingLowerGradesRule,
  childReportedAbuseRule,
  repeatIncidentsRule,
} from './risk/domestic-abuse-rules.ts';
import { type MaracCheck, maracCriteria } from './risk/marac.ts';
import { noSafetyPlanRule, socialWorkerChangesRule } from './risk/practice-rules.ts';
import { latestRecordedLevel, recordedLevelBelowScoreRule } from './risk/recorded-level.ts';
import type { CumulativeRiskInput, RiskFinding, RiskRule } from './risk/types.ts';

export type { CountInWindow, MinimumResponse, RiskRulesConfig } from './risk/config.ts';
export { createRiskRulesConfig, DEFAULT_RISK_RULES_CONFIG } from './risk/config.ts';
export type { MaracCheck, MaracCriterion, MaracCriterionId } from './risk/marac.ts';
export type {
  CumulativeRiskInput,
  FindingKind,
  HouseholdAdult,
  HouseholdRole,
  RiskFinding,
  RiskRule,
  RiskSubject,
} from './risk/types.ts';

/** Every shipped rule, in the order findings are listed. */
export const RISK_RULES: readonly RiskRule[] = Object.freeze([
  repeatIncidentsRule,
  accumulatingLowerGradesRule,
  childReportedAbuseRule,
  recordedLevelBelowScoreRule,
  repeatContactsRule,
  reReferralRule,
  perpetratorOtherVictimsRule,
  adultSubstanceMisuseRule,
  adultMentalHealthRule,
  breachOfBailOrOrderRule,
  childUnderOneRule,
  childDisabilityRule,
  missedHealthAppointmentsRule,
  custodyEpisodesRule,
  schoolAbsenceOrExclusionRule,
  noSafetyPlanRule,
  socialWorkerChangesRule,
]);

export interface LatestRecordedLevel {
  readonly level: RiskLevel;
  readonly eventId: string;
  readonly eventType: ChronologyEvent['type'];
  readonly occurredAt: Date;
}

export interface CumulativeRiskResult {
  readonly asOf: Date;
  /** What the whole history supports; never below the latest recorded level. */
  readonly level: RiskLevel;
  readonly latestRecorded?: LatestRecordedLevel;
  /** True when the history supports more than the latest recorded level — the queue marker. */
  readonly raisedAboveLatestRecorded: boolean;
  readonly findings: readonly RiskFinding[];
  readonly minimumResponse: MinimumResponse;
  readonly marac: MaracCheck;
  /** Context that does not lower the level, such as incidents reducing since a plan. */
  readonly observations: readonly string[];
  readonly summary: string;
}

const PLAN_TYPES = ['safety-plan', 'child-protection-plan', 'child-in-need-plan', 'early-help-plan'] as const;

function reductionSincePlan(context: RiskContext): string | null {
  const plans = PLAN_TYPES.flatMap((type) => context.eventsOfType(type)).filter((e) =>
    context.householdIds.has(e.personId),
  );
  if (plans.length === 0) return null;
  const plan = plans.reduce((a, b) => (b.occurredAt.getTime() > a.occurredAt.getTime() ? b : a));
  const planAt = plan.occurredAt.getTime();
  const span = context.asOf.getTime() - planAt;
  const before = context.incidents.filter((e) => {
    const t = e.occurredAt.getTime();
    return t < planAt && t >= planAt - span;
  }).length;
  const after = context.incidents.filter((e) => e.occurredAt.getTime() >= planAt).length;
  if (before <= after) return null;
  return (
    `Incidents have reduced since the ${CHRONOLOGY_EVENT_TYPE_LABELS[plan.type]} of ${context.formatDate(plan.occurredAt)}: ` +
    `${before} in the same length of time before it, ${after} since.`
  );
}

function listTitles(findings: readonly RiskFinding[]): string {
  return findings.map((f) => f.title.charAt(0).toLowerCase() + f.title.slice(1)).join('; ');
}

export function assessCumulativeRisk(
  input: CumulativeRiskInput,
  config: RiskRulesConfig = DEFAULT_RISK_RULES_CONFIG,
  rules: readonly RiskRule[] = RISK_RULES,
): CumulativeRiskResult {
  const context = buildRiskContext(input, config);
  const findings: RiskFinding[] = [];
  for (const rule of rules) {
    const finding = rule.evaluate(context, config);
    if (finding) findings.push(finding);
  }

  const recorded = latestRecordedLevel(context);
  const raising = findings.filter((f) => f.impliedLevel !== null);
  let level = maxRiskLevel(recorded?.level ?? 'standard', ...raising.map((f) => f.impliedLevel!));

  const together = config.multipleConcerns;
  const concerns = raising.filter((f) => riskLevelRank(f.impliedLevel!) >= riskLevelRank('medium'));
  if (
    together.enabled &&
    concerns.length >= together.count &&
    riskLevelRank(together.raisesTo) > riskLevelRank(level)
  ) {
    level = together.raisesTo;
    const eventIds = [...new Set(concerns.flatMap((f) => f.eventIds))];
    findings.push({
      ruleId: 'multiple-concerns',
      kind: 'risk',
      title: 'Several separate concerns together',
      explanation:
        `${plural(concerns.length, 'separate risk factor')} are present at once (${listTitles(concerns)}); ` +
        `${together.count} or more together support a ${together.raisesTo} level.`,
      impliedLevel: together.raisesTo,
      eventIds,
    });
  }

  const raisedAboveLatestRecorded =
    recorded !== undefined && riskLevelRank(level) > riskLevelRank(recorded.level);
  if (raisedAboveLatestRecorded) {
    findings.push({
      ruleId: 'recorded-level-below-history',
      kind: 'risk',
      title: 'Recorded level is below what the history supports',
      explanation:
        `The latest recorded level is ${recorded.level} (${CHRONOLOGY_EVENT_TYPE_LABELS[recorded.event.type]}, ` +
        `${context.formatDate(recorded.event.occurredAt)}), but the history supports ${level} for the reasons listed.`,
      impliedLevel: level,
      eventIds: [recorded.event.id],
    });
  }

  const marac = maracCriteria(context, config);
  const minimumResponse = config.minimumResponse[level];
  const reduction = reductionSincePlan(context);
  const observations = reduction ? [reduction] : [];

  const sentences: string[] = [`Cumulative level: ${level}.`];
  if (!recorded) sentences.push('No risk level has been recorded yet.');
  else if (raisedAboveLatestRecorded) {
    sentences.push(
      `The latest recorded level was ${recorded.level} (${CHRONOLOGY_EVENT_TYPE_LABELS[recorded.event.type]}, ` +
        `${context.formatDate(recorded.event.occurredAt)}); the history supports ${level}.`,
    );
  } else {
    sentences.push(`This matches the latest recorded level (${recorded.level}).`);
  }
  const reasons = findings.filter((f) => f.kind === 'risk' && f.ruleId !== 'recorded-level-below-history');
  const gaps = findings.filter((f) => f.kind === 'practice');
  if (reasons.length > 0) sentences.push(`Reasons: ${listTitles(reasons)}.`);
  if (gaps.length > 0) sentences.push(`Gaps in the response: ${listTitles(gaps)}.`);
  if (reasons.length === 0 && gaps.length === 0)
    sentences.push('No pattern in the history raises the level.');
  sentences.push(...observations);
  sentences.push(`Minimum response: ${minimumResponse.text}`);
  const met = marac.criteria.filter((c) => c.met).map((c) => c.id.replaceAll('-', ' '));
  if (met.length > 0) sentences.push(`MARAC criteria met: ${met.join(', ')}.`);

  return {
    asOf: input.asOf,
    level,
    ...(recorded
      ? {
          latestRecorded: {
            level: recorded.level,
            eventId: recorded.event.id,
            eventType: recorded.event.type,
            occurredAt: recorded.event.occurredAt,
          },
        }
      : {}),
    raisedAboveLatestRecorded,
    findings,
    minimumResponse,
    marac,
    observations,
    summary: sentences.join(' '),
  };
}

/** The MARAC-criteria check on its own (it is also part of `assessCumulativeRisk`). */
export function checkMaracCriteria(
  input: CumulativeRiskInput,
  config: RiskRulesConfig = DEFAULT_RISK_RULES_CONFIG,
): MaracCheck {
  return maracCriteria(buildRiskContext(input, config), config);
}
