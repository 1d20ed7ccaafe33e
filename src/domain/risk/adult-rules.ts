/** Risk factors in the adults around the child (FINDINGS F3, F22). */
import type { AdultRiskIndicator, ChronologyEvent } from '../chronology-event.ts';
import {
  countedWithin,
  householdEventsWithin,
  listDates,
  oldestFirst,
  plural,
  type RiskContext,
  windowWords,
} from './context.ts';
import { switchedRule } from './rule.ts';
import type { RiskRule } from './types.ts';

function inOptionalWindow(context: RiskContext, event: ChronologyEvent, months: number | null): boolean {
  return months === null || context.inWindow(event, months);
}

function indicatorEvents(
  context: RiskContext,
  indicator: AdultRiskIndicator,
  months: number | null,
): ChronologyEvent[] {
  return context.events.filter(
    (e) => e.data.indicators?.includes(indicator) === true && inOptionalWindow(context, e, months),
  );
}

export const perpetratorOtherVictimsRule = switchedRule(
  'perpetrator-other-victims',
  'risk',
  'perpetratorOtherVictims',
  (context, rule) => {
    if (context.perpetratorIds.size === 0) return null;
    const elsewhere = context.events.filter((e) => {
      if (e.type !== 'dan' && e.type !== 'domestic-abuse-incident') return false;
      const byHouseholdPerpetrator =
        e.data.perpetratorIds?.some((id) => context.perpetratorIds.has(id)) === true ||
        (context.perpetratorIds.has(e.personId) && e.data.role === 'perpetrator');
      const victims = e.data.victimIds ?? [];
      const outsideHousehold = victims.length > 0 && victims.every((id) => !context.householdIds.has(id));
      return byHouseholdPerpetrator && outsideHousehold && inOptionalWindow(context, e, rule.windowMonths);
    });
    const disclosed = indicatorEvents(context, 'other-victims', rule.windowMonths);
    const evidence = oldestFirst(elsewhere, disclosed);
    if (evidence.length === 0) return null;
    return {
      title: 'The perpetrator has harmed other people',
      explanation:
        `An adult in the household who has been abusive has harmed someone outside it ${windowWords(context, rule.windowMonths)}: ` +
        `${plural(elsewhere.length, 'incident')} with another victim and ${plural(disclosed.length, 'other record')} ` +
        `of it (${listDates(context, evidence)}). Serial perpetrators pose a higher risk.`,
      eventIds: evidence.map((e) => e.id),
    };
  },
);

function indicatorRule(
  id: string,
  indicator: AdultRiskIndicator,
  title: string,
  why: string,
  key: 'adultSubstanceMisuse' | 'adultMentalHealth' | 'breachOfBailOrOrder',
  alsoTypes: readonly ChronologyEvent['type'][] = [],
): RiskRule {
  return switchedRule(id, 'risk', key, (context, rule) => {
    const typed = alsoTypes.flatMap((type) => householdEventsWithin(context, type, rule.windowMonths));
    const evidence = oldestFirst(indicatorEvents(context, indicator, rule.windowMonths), typed);
    if (evidence.length === 0) return null;
    return {
      title,
      explanation: `Recorded ${countedWithin(context, evidence, 'time', rule.windowMonths)}. ${why}`,
      eventIds: evidence.map((e) => e.id),
    };
  });
}

export const adultSubstanceMisuseRule = indicatorRule(
  'adult-substance-misuse',
  'substance-misuse',
  'Drug or alcohol misuse by an adult in the household',
  'Substance misuse alongside domestic abuse increases the risk of serious harm to the child.',
  'adultSubstanceMisuse',
);

export const adultMentalHealthRule = indicatorRule(
  'adult-mental-health',
  'mental-health',
  'Mental ill-health of an adult in the household',
  'Poor adult mental health alongside domestic abuse increases the risk to the child.',
  'adultMentalHealth',
);

export const breachOfBailOrOrderRule = indicatorRule(
  'breach-of-bail-or-order',
  'breach-of-bail-or-order',
  'Bail conditions or a court order breached',
  'A perpetrator who ignores conditions set to protect the family is unlikely to be deterred by them.',
  'breachOfBailOrOrder',
  ['bail-or-order-breach'],
);
