/**
 * Prepares a chronology once (sort, de-duplicate, index by type) so each rule is a cheap pass
 * over the few events it cares about.
 */
import { DateTime } from 'luxon';
import {
  type ChronologyEvent,
  type ChronologyEventType,
  DOMESTIC_ABUSE_INCIDENT_TYPES,
} from '../chronology-event.ts';
import { plural } from '../words.ts';
import type { RiskRulesConfig } from './config.ts';
import type { CumulativeRiskInput, HouseholdAdult, RiskSubject } from './types.ts';

export interface RiskContext {
  readonly asOf: Date;
  readonly child: RiskSubject;
  readonly adults: readonly HouseholdAdult[];
  /** The child and every linked adult. */
  readonly householdIds: ReadonlySet<string>;
  readonly perpetratorIds: ReadonlySet<string>;
  /** Every event up to `asOf`, oldest first, each id once. */
  readonly events: readonly ChronologyEvent[];
  /** Events on the child's own chronology, oldest first. */
  childEvents(type: ChronologyEventType): readonly ChronologyEvent[];
  /** Events of a type on anyone's chronology, oldest first. */
  eventsOfType(type: ChronologyEventType): readonly ChronologyEvent[];
  /** Domestic-abuse incidents involving the household, one per incident, oldest first. */
  readonly incidents: readonly ChronologyEvent[];
  /** Start of the window of `months` ending at `asOf` (counted on the local calendar). */
  windowStart(months: number): Date;
  /** Whether an event falls in the window of `months` ending at `asOf`, start instant included. */
  inWindow(event: ChronologyEvent, months: number): boolean;
  formatDate(date: Date): string;
}

function intersects(ids: readonly string[] | undefined, set: ReadonlySet<string>): boolean {
  return ids?.some((id) => set.has(id)) === true;
}

export function buildRiskContext(input: CumulativeRiskInput, config: RiskRulesConfig): RiskContext {
  const asOfMs = input.asOf.getTime();
  const childId = input.child.id;
  const householdIds = new Set<string>([childId, ...input.adults.map((a) => a.id)]);
  const perpetratorIds = new Set(input.adults.filter((a) => a.role === 'perpetrator').map((a) => a.id));

  const seen = new Set<string>();
  const events: ChronologyEvent[] = [];
  for (const event of input.events) {
    const t = event.occurredAt.getTime();
    if (Number.isNaN(t) || t > asOfMs || seen.has(event.id)) continue;
    seen.add(event.id);
    events.push(event);
  }
  events.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.id.localeCompare(b.id));

  const byType = new Map<ChronologyEventType, ChronologyEvent[]>();
  const childByType = new Map<ChronologyEventType, ChronologyEvent[]>();
  const append = (index: Map<ChronologyEventType, ChronologyEvent[]>, event: ChronologyEvent): void => {
    const list = index.get(event.type);
    if (list) list.push(event);
    else index.set(event.type, [event]);
  };
  for (const event of events) {
    append(byType, event);
    if (event.personId === childId) append(childByType, event);
  }

  // A perpetrator's own record of an incident elsewhere is not a household incident; anything on
  // the child's or a non-perpetrator adult's chronology, or naming a household member, is.
  const involvesHousehold = (event: ChronologyEvent): boolean =>
    event.personId === childId ||
    (householdIds.has(event.personId) && !perpetratorIds.has(event.personId)) ||
    intersects(event.data.relatedPersonIds, householdIds) ||
    intersects(event.data.victimIds, householdIds);

  const incidentsByKey = new Map<string, ChronologyEvent>();
  for (const type of DOMESTIC_ABUSE_INCIDENT_TYPES) {
    for (const event of byType.get(type) ?? []) {
      if (!involvesHousehold(event)) continue;
      const key = event.data.incidentRef ?? `event:${event.id}`;
      const existing = incidentsByKey.get(key);
      // The same incident on the mother's and the child's chronology counts once, shown as the child's entry.
      if (!existing || (existing.personId !== childId && event.personId === childId))
        incidentsByKey.set(key, event);
    }
  }
  const incidents = [...incidentsByKey.values()].sort(
    (a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.id.localeCompare(b.id),
  );

  const asOfLocal = DateTime.fromJSDate(input.asOf, { zone: config.timeZone });
  const windowStarts = new Map<number, number>();
  const windowStartMs = (months: number): number => {
    let start = windowStarts.get(months);
    if (start === undefined) {
      start = asOfLocal.minus({ months }).toMillis();
      windowStarts.set(months, start);
    }
    return start;
  };

  return {
    asOf: input.asOf,
    child: input.child,
    adults: input.adults,
    householdIds,
    perpetratorIds,
    events,
    incidents,
    childEvents: (type) => childByType.get(type) ?? [],
    eventsOfType: (type) => byType.get(type) ?? [],
    windowStart: (months) => new Date(windowStartMs(months)),
    inWindow: (event, months) => event.occurredAt.getTime() >= windowStartMs(months),
    formatDate: (date) =>
      DateTime.fromJSDate(date, { zone: config.timeZone }).setLocale('en-GB').toFormat('d MMMM yyyy'),
  };
}

/** The child's own events of one type in the window of months ending at the assessment date. */
export function childEventsWithin(
  context: RiskContext,
  type: ChronologyEventType,
  months: number,
): ChronologyEvent[] {
  return context.childEvents(type).filter((e) => context.inWindow(e, months));
}

/**
 * The household's events of one type, on the child's or a linked adult's chronology, in the
 * window of months ending at the assessment date.
 */
export function householdEventsWithin(
  context: RiskContext,
  type: ChronologyEventType,
  months: number,
): ChronologyEvent[] {
  return context
    .eventsOfType(type)
    .filter((e) => context.householdIds.has(e.personId) && context.inWindow(e, months));
}

/**
 * Evidence gathered from several lists, each event once, oldest first. The sort is stable, so
 * events at the same instant keep the order the lists gave them.
 */
export function oldestFirst(...lists: readonly (readonly ChronologyEvent[])[]): ChronologyEvent[] {
  return [...new Set(lists.flat())].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
}

/** "in the 12 months to 1 June 2025": the window a finding looked in ("on record" when it has none). */
export function windowWords(context: RiskContext, months: number | null): string {
  return months === null ? 'on record' : `in the ${months} months to ${context.formatDate(context.asOf)}`;
}

/**
 * "3 missed health appointments in the 12 months to 1 June 2025 (3 June 2024, ...)": how many
 * events a rule found, in which window, and when; the opening most findings explain themselves with.
 */
export function countedWithin(
  context: RiskContext,
  events: readonly ChronologyEvent[],
  noun: string,
  months: number | null,
): string {
  return `${plural(events.length, noun)} ${windowWords(context, months)} (${listDates(context, events)})`;
}

/** "3 June 2024, 1 August 2024 and 9 January 2025" — up to `max` dates, then "and N more". */
export function listDates(context: RiskContext, events: readonly ChronologyEvent[], max = 6): string {
  const dates = events.slice(0, max).map((e) => context.formatDate(e.occurredAt));
  if (events.length > max) dates.push(`${events.length - max} more`);
  if (dates.length <= 1) return dates.join('');
  return `${dates.slice(0, -1).join(', ')} and ${dates.at(-1)}`;
}

// The rules' sentences count as the pages do: one plural() for both.
export { plural };
