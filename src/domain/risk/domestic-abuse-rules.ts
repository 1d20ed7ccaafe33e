/** Rules over the household's domestic-abuse incidents (FINDINGS F3, F9). */
import { riskLevelRank } from '../instruments/bands.ts';
import { countedWithin, listDates, plural, windowWords } from './context.ts';
import { incidentCountRule } from './rule.ts';

export const repeatIncidentsRule = incidentCountRule(
  'repeat-domestic-abuse',
  'repeatIncidents',
  null,
  (recent, context, rule) => ({
    title: 'Repeat domestic abuse in the household (potential escalation)',
    explanation:
      `${plural(recent.length, 'domestic abuse incident')} in the household ${windowWords(context, rule.windowMonths)} ` +
      `(${listDates(context, recent)}). ${rule.count} or more in ` +
      `${rule.windowMonths} months is potential escalation, whatever each incident was graded.`,
  }),
);

export const accumulatingLowerGradesRule = incidentCountRule(
  'accumulating-lower-grades',
  'accumulatingLowerGrades',
  (e, rule) => e.data.riskGrade !== undefined && rule.grades.includes(e.data.riskGrade),
  (graded, context, rule) => {
    const gradeWords = [...rule.grades].sort((a, b) => riskLevelRank(a) - riskLevelRank(b)).join(' or ');
    return {
      title: 'Incidents graded lower keep happening (chronic risk)',
      explanation:
        `${plural(graded.length, 'incident')} ${windowWords(context, rule.windowMonths)} ` +
        `were each graded ${gradeWords} (${listDates(context, graded)}). Taken together they show a pattern of ` +
        'harm that no single grade reflects.',
    };
  },
);

export const childReportedAbuseRule = incidentCountRule(
  'child-reported-abuse',
  'childReportedAbuse',
  (e) => e.data.reportedBy === 'child',
  (calls, context, rule) => ({
    title: 'The child called for help',
    explanation:
      `The child made the call to police or another agency in ${countedWithin(context, calls, 'incident', rule.windowMonths)}. ` +
      'A child who has to seek help is directly caught up in the abuse.',
  }),
);
