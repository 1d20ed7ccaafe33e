/** The level agencies last recorded, and whether the evidence supports more (FINDINGS F4). */
import type { ChronologyEvent } from '../chronology-event.ts';
import { bandForScore, type RiskLevel, riskLevelRank } from '../instruments/bands.ts';
import type { RiskContext } from './context.ts';
import type { RiskRule } from './types.ts';

export interface RecordedLevel {
  readonly level: RiskLevel;
  readonly event: ChronologyEvent;
}

function concernsHousehold(context: RiskContext, event: ChronologyEvent): boolean {
  return (
    context.householdIds.has(event.personId) ||
    event.data.relatedPersonIds?.some((id) => context.householdIds.has(id)) === true
  );
}

/**
 * Risk assessments about the household, oldest first. A DAN (or incident) that carries a DASH
 * score is one too: its score and answers count for every rule and check (F4, F7).
 */
export function householdAssessments(context: RiskContext): ChronologyEvent[] {
  const scoredIncidents = context.incidents.filter((e) => e.data.instrumentScore !== undefined);
  return [
    ...context.eventsOfType('risk-assessment').filter((e) => concernsHousehold(context, e)),
    ...scoredIncidents,
  ].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.id.localeCompare(b.id));
}

/** The most recent level recorded on a DAN or incident, a risk assessment, or a decision about the child. */
export function latestRecordedLevel(context: RiskContext, notBefore?: Date): RecordedLevel | undefined {
  const candidates = [
    ...context.incidents,
    ...householdAssessments(context),
    ...context.childEvents('decision'),
  ].filter(
    (e) =>
      e.data.riskGrade !== undefined &&
      (notBefore === undefined || e.occurredAt.getTime() >= notBefore.getTime()),
  );
  let latest: ChronologyEvent | undefined;
  for (const event of candidates) {
    if (!latest || event.occurredAt.getTime() >= latest.occurredAt.getTime()) latest = event;
  }
  return latest ? { level: latest.data.riskGrade!, event: latest } : undefined;
}

export const recordedLevelBelowScoreRule: RiskRule = {
  id: 'recorded-level-below-score',
  evaluate(context, config) {
    const rule = config.recordedLevelBelowScore;
    if (!rule.enabled) return null;
    const scored = householdAssessments(context).filter(
      (e) => e.data.instrumentScore !== undefined && context.inWindow(e, rule.windowMonths),
    );
    const assessment = scored.at(-1);
    if (!assessment) return null;
    const score = assessment.data.instrumentScore!;
    const band = bandForScore(score, config.bands);
    const recorded = latestRecordedLevel(context, assessment.occurredAt);
    if (!recorded || riskLevelRank(recorded.level) >= riskLevelRank(band)) return null;
    const sameEvent = recorded.event.id === assessment.id;
    return {
      ruleId: 'recorded-level-below-score',
      kind: 'risk',
      title: 'Recorded level is below the risk assessment score',
      explanation:
        `The risk assessment on ${context.formatDate(assessment.occurredAt)} scored ${score}, which is ${band} risk, ` +
        `but the level recorded ${sameEvent ? 'on it' : `since (${context.formatDate(recorded.event.occurredAt)})`} is ` +
        `${recorded.level}. Professional judgement can raise a score's level but never lower it.`,
      impliedLevel: band,
      eventIds: sameEvent ? [assessment.id] : [assessment.id, recorded.event.id],
    };
  },
};
