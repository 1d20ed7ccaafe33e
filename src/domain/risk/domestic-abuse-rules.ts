/** Rules over the household's domestic-abuse incidents (FINDINGS F3, F9). */
import { riskLevelRank } from '../instruments/bands.ts';
import { listDates, plural } from './context.ts';
import { switchedRule } from './rule.ts';

const ids = (events: readonly { id: string }[]): string[] => events.map((e) => e.id);

export const repeatIncidentsRule = switchedRule(
  'repeat-domestic-abuse',
  'risk',
  'repeatIncidents',
  (context, rule) => {
    const recent = context.incidents.filter((e) => context.inWindow(e, rule.windowMonths));
    if (recent.length < rule.count) return null;
    return {
      title: 'Repeat domestic abuse in the household (potential escalation)',
      explanation:
        `${plural(recent.length, 'domestic abuse incident')} in the household in the ${rule.windowMonths} months ` +
        `to ${context.formatDate(context.asOf)} (${listDates(context, recent)}). ${rule.count} or more in ` +
        `${rule.windowMonths} months is potential escalation, whatever each incident was graded.`,
      eventIds: ids(recent),
    };
  },
);

export const accumulatingLowerGradesRule = switchedRule(
  'accumulating-lower-grades',
  'risk',
  'accumulatingLowerGrades',
  (context, rule) => {
    const graded = context.incidents.filter(
      (e) =>
        context.inWindow(e, rule.windowMonths) &&
        e.data.riskGrade !== undefined &&
        rule.grades.includes(e.data.riskGrade),
    );
    if (graded.length < rule.count) return null;
    const gradeWords = [...rule.grades].sort((a, b) => riskLevelRank(a) - riskLevelRank(b)).join(' or ');
    return {
      title: 'Incidents graded lower keep happening (chronic risk)',
      explanation:
        `${plural(graded.length, 'incident')} in the ${rule.windowMonths} months to ${context.formatDate(context.asOf)} ` +
        `were each graded ${gradeWords} (${listDates(context, graded)}). Taken together they show a pattern of ` +
        'harm that no single grade reflects.',
      eventIds: ids(graded),
    };
  },
);

export const childReportedAbuseRule = switchedRule(
  'child-reported-abuse',
  'risk',
  'childReportedAbuse',
  (context, rule) => {
    const calls = context.incidents.filter(
      (e) => e.data.reportedBy === 'child' && context.inWindow(e, rule.windowMonths),
    );
    if (calls.length < rule.count) return null;
    return {
      title: 'The child called for help',
      explanation:
        `The child made the call to police or another agency in ${plural(calls.length, 'incident')} in the ` +
        `${rule.windowMonths} months to ${context.formatDate(context.asOf)} (${listDates(context, calls)}). ` +
        'A child who has to seek help is directly caught up in the abuse.',
      eventIds: ids(calls),
    };
  },
);
