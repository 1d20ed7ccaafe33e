/** The child's own vulnerability and what other agencies see of it (FINDINGS F3, F16, F29). */
import { DateTime } from 'luxon';
import type { ChronologyEvent } from '../chronology-event.ts';
import { countedWithin, listDates, oldestFirst, plural, windowWords } from './context.ts';
import { childEventCountRule, switchedRule } from './rule.ts';

export const childUnderOneRule = switchedRule(
  'child-under-one',
  'risk',
  'childUnderOne',
  (context, rule, config) => {
    const { dateOfBirth, expectedDateOfBirth } = context.child;
    const asOf = context.asOf.getTime();
    const unborn =
      dateOfBirth === undefined ? expectedDateOfBirth !== undefined : dateOfBirth.getTime() > asOf;
    if (unborn) {
      return {
        title: 'Unborn baby',
        explanation:
          'The child is not yet born. Pregnancy is a time when domestic abuse often starts or gets worse, and a new ' +
          'baby cannot protect themselves or tell anyone.',
        eventIds: [],
      };
    }
    if (dateOfBirth === undefined) return null;
    const turns = DateTime.fromJSDate(dateOfBirth, { zone: config.timeZone }).plus({
      months: rule.ageMonths,
    });
    if (asOf >= turns.toMillis()) return null;
    return {
      title: `Child under ${rule.ageMonths === 12 ? 'one' : `${rule.ageMonths} months`}`,
      explanation:
        `The child was born on ${context.formatDate(dateOfBirth)}. A baby is entirely dependent on the adults ` +
        'around them and at the greatest risk of serious injury in a violent household.',
      eventIds: [],
    };
  },
);

export const childDisabilityRule = switchedRule('child-disability', 'risk', 'childDisability', (context) => {
  if (context.child.hasDisability !== true) return null;
  return {
    title: 'Disabled child',
    explanation:
      'The child is disabled. Disabled children are more likely to be harmed and less likely to be able to tell someone.',
    eventIds: [],
  };
});

export const missedHealthAppointmentsRule = childEventCountRule(
  'missed-health-appointments',
  'risk',
  'missedHealthAppointments',
  'missed-health-appointment',
  (missed, context, rule) => ({
    title: 'Not brought to health appointments',
    explanation:
      `The child missed ${countedWithin(context, missed, 'health appointment', rule.windowMonths)}. Children ` +
      'depend on their carers to take them; repeated missed appointments can be neglect and hide injuries.',
  }),
);

export const custodyEpisodesRule = childEventCountRule(
  'custody-episodes',
  'risk',
  'custodyEpisodes',
  'custody-episode',
  (episodes, context, rule) => {
    const untold = episodes.filter((e) => e.data.schoolInformed === false).length;
    return {
      title: 'The child has been held in police custody',
      explanation:
        countedWithin(context, episodes, 'custody episode', rule.windowMonths) +
        (untold > 0
          ? `; the school was not told about ${untold === episodes.length ? 'any of them' : untold}`
          : '') +
        '. A child in trouble with the police may be reacting to harm at home or being exploited.',
    };
  },
);

export const schoolAbsenceOrExclusionRule = switchedRule(
  'school-absence-or-exclusion',
  'risk',
  'schoolAbsenceOrExclusion',
  (context, rule) => {
    const absenceCounts = (e: ChronologyEvent) =>
      e.data.attendancePercent === undefined || e.data.attendancePercent < rule.attendanceBelowPercent;
    const evidence = oldestFirst(
      context.childEvents('school-exclusion'),
      context.childEvents('school-absence').filter(absenceCounts),
    ).filter((e) => context.inWindow(e, rule.windowMonths));
    if (evidence.length < rule.count) return null;
    const exclusions = evidence.filter((e) => e.type === 'school-exclusion').length;
    return {
      title: 'Out of school',
      explanation:
        `${plural(exclusions, 'exclusion')} and ${plural(evidence.length - exclusions, 'absence concern')} ` +
        `${windowWords(context, rule.windowMonths)} (${listDates(context, evidence)}). ` +
        'Time out of school removes a safe place and the adults most likely to notice harm.',
      eventIds: evidence.map((e) => e.id),
    };
  },
);
