/** Gaps in the response rather than risk factors: shown, but they do not raise the level by default (F23, F29). */
import { riskLevelRank } from '../instruments/bands.ts';
import { countedWithin, householdEventsWithin, listDates, plural, windowWords } from './context.ts';
import { childEventCountRule, switchedRule } from './rule.ts';

export const noSafetyPlanRule = switchedRule(
  'no-safety-plan',
  'practice',
  'noSafetyPlan',
  (context, rule) => {
    const recent = context.incidents.filter((e) => context.inWindow(e, rule.windowMonths));
    const serious = recent.filter(
      (e) =>
        e.data.riskGrade !== undefined &&
        riskLevelRank(e.data.riskGrade) >= riskLevelRank(rule.orAnyIncidentGraded),
    );
    if (recent.length < rule.minIncidents && serious.length === 0) return null;
    const plans = householdEventsWithin(context, 'safety-plan', rule.windowMonths);
    if (plans.length > 0) return null;
    const why =
      recent.length >= rule.minIncidents
        ? `${plural(recent.length, 'incident')} ${windowWords(context, rule.windowMonths)}`
        : `an incident graded ${serious.at(-1)!.data.riskGrade}`;
    return {
      title: 'No safety plan',
      explanation:
        `${why.charAt(0).toUpperCase()}${why.slice(1)} (${listDates(context, recent)}), but no safety plan is recorded for the child or the ` +
        `adult victim in the last ${rule.windowMonths} months.`,
      eventIds: recent.map((e) => e.id),
    };
  },
);

export const socialWorkerChangesRule = childEventCountRule(
  'social-worker-changes',
  'practice',
  'socialWorkerChanges',
  'social-worker-change',
  (changes, context, rule) => ({
    title: 'Frequent changes of social worker',
    explanation:
      `The child's social worker changed ${countedWithin(context, changes, 'time', rule.windowMonths)}. ` +
      'Each change makes it harder for the child to trust someone enough to say what is happening, and for ' +
      'anyone to see the whole picture.',
  }),
);
