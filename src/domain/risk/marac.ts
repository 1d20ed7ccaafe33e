/** MARAC referral criteria: visible high risk, professional judgement, potential escalation, repeat. */
import { DateTime } from 'luxon';
import type { ChronologyEvent } from '../chronology-event.ts';
import { bandForScore } from '../instruments/bands.ts';
import type { RiskRulesConfig } from './config.ts';
import { listDates, oldestFirst, plural, type RiskContext } from './context.ts';
import { householdAssessments } from './recorded-level.ts';

export type MaracCriterionId =
  | 'visible-high-risk'
  | 'professional-judgement'
  | 'potential-escalation'
  | 'repeat';

export interface MaracCriterion {
  readonly id: MaracCriterionId;
  readonly met: boolean;
  readonly explanation: string;
  readonly eventIds: readonly string[];
}

export interface MaracCheck {
  readonly meetsCriteria: boolean;
  readonly criteria: readonly MaracCriterion[];
}

function overlaps(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  // When either side did not record who was involved, the household link is all there is to go on.
  if (!a?.length || !b?.length) return true;
  return a.some((id) => b.includes(id));
}

export function maracCriteria(context: RiskContext, config: RiskRulesConfig): MaracCheck {
  const { bands, marac } = config;
  const assessment = householdAssessments(context)
    .filter((e) => context.inWindow(e, marac.assessmentWindowMonths))
    .at(-1);
  const score = assessment?.data.instrumentScore;

  const visible: MaracCriterion =
    assessment === undefined || score === undefined
      ? {
          id: 'visible-high-risk',
          met: false,
          explanation: `No scored risk assessment in the last ${marac.assessmentWindowMonths} months.`,
          eventIds: [],
        }
      : {
          id: 'visible-high-risk',
          met: score >= bands.highFrom,
          explanation: `The latest risk assessment (${context.formatDate(assessment.occurredAt)}) scored ${score}; visible high risk is ${bands.highFrom} or more.`,
          eventIds: [assessment.id],
        };

  const judgedHigh =
    assessment !== undefined &&
    assessment.data.riskGrade === 'high' &&
    (score === undefined || bandForScore(score, bands) !== 'high');
  const judgement: MaracCriterion = {
    id: 'professional-judgement',
    met: judgedHigh,
    explanation: judgedHigh
      ? `The assessor judged the risk high on ${context.formatDate(assessment!.occurredAt)}, above the score's band.`
      : 'No assessor has judged the risk high above the score.',
    eventIds: judgedHigh ? [assessment!.id] : [],
  };

  const { count, windowMonths } = config.repeatIncidents;
  const recent = context.incidents.filter((e) => context.inWindow(e, windowMonths));
  const escalation: MaracCriterion = {
    id: 'potential-escalation',
    met: recent.length >= count,
    explanation:
      `${plural(recent.length, 'domestic abuse incident')} in the last ${windowMonths} months` +
      (recent.length > 0 ? ` (${listDates(context, recent)})` : '') +
      `; potential escalation is ${count} or more.`,
    eventIds: recent.length >= count ? recent.map((e) => e.id) : [],
  };

  const maracEvents = oldestFirst(
    context.eventsOfType('marac-referral'),
    context.eventsOfType('marac-discussion'),
  ).filter((e) => context.householdIds.has(e.personId));
  const lastMarac = maracEvents.at(-1);
  let repeat: MaracCriterion;
  if (!lastMarac) {
    repeat = { id: 'repeat', met: false, explanation: 'No previous MARAC referral.', eventIds: [] };
  } else {
    const until = DateTime.fromJSDate(lastMarac.occurredAt, { zone: config.timeZone })
      .plus({ months: marac.repeatWindowMonths })
      .toMillis();
    const repeats: ChronologyEvent[] = context.incidents.filter(
      (e) =>
        e.occurredAt.getTime() > lastMarac.occurredAt.getTime() &&
        e.occurredAt.getTime() <= until &&
        overlaps(e.data.victimIds, lastMarac.data.victimIds) &&
        overlaps(e.data.perpetratorIds, lastMarac.data.perpetratorIds),
    );
    repeat = {
      id: 'repeat',
      met: repeats.length > 0,
      explanation:
        repeats.length > 0
          ? `${plural(repeats.length, 'incident')} (${listDates(context, repeats)}) within ${marac.repeatWindowMonths} months of the last MARAC referral on ${context.formatDate(lastMarac.occurredAt)}.`
          : `No incident within ${marac.repeatWindowMonths} months after the last MARAC referral on ${context.formatDate(lastMarac.occurredAt)}.`,
      eventIds: repeats.length > 0 ? [lastMarac.id, ...repeats.map((e) => e.id)] : [],
    };
  }

  const criteria = [visible, judgement, escalation, repeat];
  return { meetsCriteria: criteria.some((c) => c.met), criteria };
}
