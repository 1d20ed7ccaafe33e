/** Rules over the household's domestic-abuse incidents (FINDINGS F3, F9). */
import { riskLevelRank } from '../instruments/bands.ts';
import { listDates, plural } from './context.ts';
import type { RiskRule } from './types.ts';

const ids = (events: readonly { id: string }[]): string[] => events.map((e) => e.id);

export const repeatIncidentsRule: RiskRule = {
  id: 'repeat-domestic-abuse',
  evaluate(context, config) {
    const rule = config.repeatIncidents;
    if (!rule.enabled) return null;
    const recent = context.incidents.filter((e) => context.inWindow(e, rule.windowMonths));
    if (recent.length < rule.count) return null;
    return {
      ruleId: 'repeat-domestic-abuse',
      kind: 'risk',
      title: 'Repeat domestic abuse in the household (potential escalation)',
      explanation:
        `${plural(recent.length, 'domestic abuse incident')} in the household in the ${rule.windowMonths} months ` +
        `to ${context.formatDate(context.asOf)} (${listDates(context, recent)}). ${rule.count} or more in ` +
        `${rule.windowMonths} months is potential escalation, whatever each incident was graded.`,
      impliedLevel: rule.raisesTo,
      eventIds: ids(recent),
    };
  },
};

export const accumulatingLowerGradesRule: RiskRule = {
  id: 'accumulating-lower-grades',
  evaluate(context, config) {
    const rule = config.accumulatingLowerGrades;
    if (!rule.enabled) return null;
    const graded = context.incidents.filter(
      (e) =>
        context.inWindow(e, rule.windowMonths) &&
        e.data.riskGrade !== undefined &&
        rule.grades.includes(e.data.riskGrade),
    );
    if (graded.length < rule.count) return null;
    const gradeWords = [...rule.grades].sort((a, b) => riskLevelRank(a) - riskLevelRank(b)).join(' or ');
    return {
      ruleId: 'accumulating-lower-grades',
      kind: 'risk',
      title: 'Incidents graded lower keep happening (chronic risk)',
      explanation:
        `${plural(graded.length, 'incident')} in the ${rule.windowMonths} months to ${context.formatDate(context.asOf)} ` +
        `were each graded ${gradeWords} (${listDates(context, graded)}). Taken together they show a pattern of ` +
        'harm that no single grade reflects.',
      impliedLevel: rule.raisesTo,
      eventIds: ids(graded),
    };
  },
};

export const childReportedAbuseRule: RiskRule = {
  id: 'child-reported-abuse',
  evaluate(context, config) {
    const rule = config.childReportedAbuse;
    if (!rule.enabled) return null;
    const calls = context.incidents.filter(
      (e) => e.data.reportedBy === 'child' && context.inWindow(e, rule.windowMonths),
    );
    if (calls.length < rule.count) return null;
    return {
      ruleId: 'child-reported-abuse',
      kind: 'risk',
      title: 'The child called for help',
      explanation:
        `The child made the call to police or another agency in ${plural(calls.length, 'incident')} in the ` +
        `${rule.windowMonths} months to ${context.formatDate(context.asOf)} (${listDates(context, calls)}). ` +
        'A child who has to seek help is directly caught up in the abuse.',
      impliedLevel: rule.raisesTo,
      eventIds: ids(calls),
    };
  },
};
