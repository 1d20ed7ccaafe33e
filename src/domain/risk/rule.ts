import type { ChronologyEvent, ChronologyEventType } from '../chronology-event.ts';
import type { RiskLevel } from '../instruments/bands.ts';
import type { CountInWindow, RiskRulesConfig } from './config.ts';
import { childEventsWithin, type RiskContext } from './context.ts';
import type { FindingKind, RiskFinding, RiskRule } from './types.ts';

/** The configuration entries that switch a rule on and say the level its finding supports. */
type SwitchedKey = {
  [K in keyof RiskRulesConfig]: RiskRulesConfig[K] extends { enabled: boolean; raisesTo: RiskLevel | null }
    ? K
    : never;
}[keyof RiskRulesConfig];

/** What a rule says it found; which rule, its kind and the level it supports come from its definition. */
export type Found = Pick<RiskFinding, 'title' | 'explanation' | 'eventIds'>;

/**
 * A rule switched on and off by its configuration entry, whose finding supports the level that
 * entry names: the shape of every cumulative-risk rule, so each one says only what it looks for.
 */
export function switchedRule<K extends SwitchedKey>(
  id: string,
  kind: FindingKind,
  key: K,
  find: (context: RiskContext, rule: RiskRulesConfig[K], config: RiskRulesConfig) => Found | null,
): RiskRule {
  return {
    id,
    evaluate(context, config) {
      const rule = config[key];
      if (!rule.enabled) return null;
      const found = find(context, rule, config);
      if (!found) return null;
      const { title, explanation, eventIds } = found;
      return { ruleId: id, kind, title, explanation, impliedLevel: rule.raisesTo, eventIds };
    },
  };
}

/** The configuration entries that count events in a window. */
type CountKey = {
  [K in SwitchedKey]: RiskRulesConfig[K] extends CountInWindow ? K : never;
}[SwitchedKey];

/** What a counting rule says about the events it counted; their ids come from the count. */
type Describe<K extends CountKey> = (
  events: readonly ChronologyEvent[],
  context: RiskContext,
  rule: RiskRulesConfig[K],
) => Pick<Found, 'title' | 'explanation'>;

/** A rule that fires on `count` or more of the events `select` picks; its finding names them. */
function countRule<K extends CountKey>(
  id: string,
  kind: FindingKind,
  key: K,
  select: (context: RiskContext, rule: RiskRulesConfig[K]) => readonly ChronologyEvent[],
  describe: Describe<K>,
): RiskRule {
  return switchedRule(id, kind, key, (context, rule) => {
    const events = select(context, rule);
    if (events.length < rule.count) return null;
    return { ...describe(events, context, rule), eventIds: events.map((e) => e.id) };
  });
}

/**
 * A rule that fires on `count` or more of the child's own events of one type within its window;
 * its finding names those events, and `describe` says what they mean.
 */
export function childEventCountRule<K extends CountKey>(
  id: string,
  kind: FindingKind,
  key: K,
  type: ChronologyEventType,
  describe: Describe<K>,
): RiskRule {
  const ofType = (context: RiskContext, rule: RiskRulesConfig[K]) =>
    childEventsWithin(context, type, rule.windowMonths);
  return countRule(id, kind, key, ofType, describe);
}

/**
 * A rule that fires on `count` or more of the household's domestic-abuse incidents within its
 * window that `counts` (every incident when it is null); its finding names those incidents, and
 * is a risk finding, since the incidents themselves are the risk.
 */
export function incidentCountRule<K extends CountKey>(
  id: string,
  key: K,
  counts: ((incident: ChronologyEvent, rule: RiskRulesConfig[K]) => boolean) | null,
  describe: Describe<K>,
): RiskRule {
  const counted = (context: RiskContext, rule: RiskRulesConfig[K]) =>
    context.incidents.filter((e) => context.inWindow(e, rule.windowMonths) && (!counts || counts(e, rule)));
  return countRule(id, 'risk', key, counted, describe);
}
