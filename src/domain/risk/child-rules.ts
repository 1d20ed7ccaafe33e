/** The child's own vulnerability and what other agencies see of it (FINDINGS F3, F16, F29). */
import { DateTime } from 'luxon';
import type { ChronologyEvent } from '../chronology-event.ts';
import { listDates, plural } from './context.ts';
import type { RiskRule } from './types.ts';

export const childUnderOneRule: RiskRule = {
  id: 'child-under-one',
  evaluate(context, config) {
    const rule = config.childUnderOne;
    if (!rule.enabled) return null;
    const { dateOfBirth, expectedDateOfBirth } = context.child;
    const asOf = context.asOf.getTime();
    const unborn =
      dateOfBirth === undefined ? expectedDateOfBirth !== undefined : dateOfBirth.getTime() > asOf;
    if (unborn) {
      return {
        ruleId: 'child-under-one',
        kind: 'risk',
        title: 'Unborn baby',
        explanation:
          'The child is not yet born. Pregnancy is a time when domestic abuse often starts or gets worse, and a new ' +
          'baby cannot protect themselves or tell anyone.',
        impliedLevel: rule.raisesTo,
        eventIds: [],
      };
    }
    if (dateOfBirth === undefined) return null;
    const turns = DateTime.fromJSDate(dateOfBirth, { zone: config.timeZone }).plus({
      months: rule.ageMonths,
    });
    if (asOf >= turns.toMillis()) return null;
    return {
      ruleId: 'child-under-one',
      kind: 'risk',
      title: `Child under ${rule.ageMonths === 12 ? 'one' : `${rule.ageMonths} months`}`,
      explanation:
        `The child was born on ${context.formatDate(dateOfBirth)}. A baby is entirely dependent on the adults ` +
        'around them and at the greatest risk of serious injury in a violent household.',
      impliedLevel: rule.raisesTo,
      eventIds: [],
    };
  },
};

export const childDisabilityRule: RiskRule = {
  id: 'child-disability',
  evaluate(context, config) {
    const rule = config.childDisability;
    if (!rule.enabled || context.child.hasDisability !== true) return null;
    return {
      ruleId: 'child-disability',
      kind: 'risk',
      title: 'Disabled child',
      explanation:
        'The child is disabled. Disabled children are more likely to be harmed and less likely to be able to tell someone.',
      impliedLevel: rule.raisesTo,
      eventIds: [],
    };
  },
};

export const missedHealthAppointmentsRule: RiskRule = {
  id: 'missed-health-appointments',
  evaluate(context, config) {
    const rule = config.missedHealthAppointments;
    if (!rule.enabled) return null;
    const missed = context
      .childEvents('missed-health-appointment')
      .filter((e) => context.inWindow(e, rule.windowMonths));
    if (missed.length < rule.count) return null;
    return {
      ruleId: 'missed-health-appointments',
      kind: 'risk',
      title: 'Not brought to health appointments',
      explanation:
        `The child missed ${plural(missed.length, 'health appointment')} in the ${rule.windowMonths} months to ` +
        `${context.formatDate(context.asOf)} (${listDates(context, missed)}). Children depend on their carers to ` +
        'take them; repeated missed appointments can be neglect and hide injuries.',
      impliedLevel: rule.raisesTo,
      eventIds: missed.map((e) => e.id),
    };
  },
};

export const custodyEpisodesRule: RiskRule = {
  id: 'custody-episodes',
  evaluate(context, config) {
    const rule = config.custodyEpisodes;
    if (!rule.enabled) return null;
    const episodes = context
      .childEvents('custody-episode')
      .filter((e) => context.inWindow(e, rule.windowMonths));
    if (episodes.length < rule.count) return null;
    const untold = episodes.filter((e) => e.data.schoolInformed === false).length;
    return {
      ruleId: 'custody-episodes',
      kind: 'risk',
      title: 'The child has been held in police custody',
      explanation:
        `${plural(episodes.length, 'custody episode')} in the ${rule.windowMonths} months to ` +
        `${context.formatDate(context.asOf)} (${listDates(context, episodes)})` +
        (untold > 0
          ? `; the school was not told about ${untold === episodes.length ? 'any of them' : untold}`
          : '') +
        '. A child in trouble with the police may be reacting to harm at home or being exploited.',
      impliedLevel: rule.raisesTo,
      eventIds: episodes.map((e) => e.id),
    };
  },
};

export const schoolAbsenceOrExclusionRule: RiskRule = {
  id: 'school-absence-or-exclusion',
  evaluate(context, config) {
    const rule = config.schoolAbsenceOrExclusion;
    if (!rule.enabled) return null;
    const absenceCounts = (e: ChronologyEvent) =>
      e.data.attendancePercent === undefined || e.data.attendancePercent < rule.attendanceBelowPercent;
    const evidence = [
      ...context.childEvents('school-exclusion'),
      ...context.childEvents('school-absence').filter(absenceCounts),
    ]
      .filter((e) => context.inWindow(e, rule.windowMonths))
      .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
    if (evidence.length < rule.count) return null;
    const exclusions = evidence.filter((e) => e.type === 'school-exclusion').length;
    return {
      ruleId: 'school-absence-or-exclusion',
      kind: 'risk',
      title: 'Out of school',
      explanation:
        `${plural(exclusions, 'exclusion')} and ${plural(evidence.length - exclusions, 'absence concern')} in the ` +
        `${rule.windowMonths} months to ${context.formatDate(context.asOf)} (${listDates(context, evidence)}). ` +
        'Time out of school removes a safe place and the adults most likely to notice harm.',
      impliedLevel: rule.raisesTo,
      eventIds: evidence.map((e) => e.id),
    };
  },
};
