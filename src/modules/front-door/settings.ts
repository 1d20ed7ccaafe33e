import { Value } from 'typebox/value';
import { type AgencyCalendar, type AgencyHours, agencyCalendar } from '../../domain/agency-hours.ts';
import { isAgencyKind } from '../../domain/agency-kinds.ts';
import {
  createWorkingCalendar,
  DEFAULT_CALENDAR_CONFIG,
  type IsoWeekday,
  type WorkingCalendar,
} from '../../domain/calendar.ts';
import { addTimescale, type FrontDoorTimescales, type Rag, type Timescale } from '../../domain/clock.ts';
import type { RiskLevel } from '../../domain/instruments/bands.ts';
import { ratingOrderProblems } from '../../domain/rating-order.ts';
import type { Deps } from '../../platform/deps.ts';
import { type FrontDoorSettings, FrontDoorSettingsSchema } from './settings-schema.ts';
import type { Concern } from './vocabulary.ts';

export interface FrontDoorConfig {
  settings: FrontDoorSettings;
  timescales: FrontDoorTimescales & { feedback: Timescale };
  calendar: WorkingCalendar;
  dueSoonMs: number;
}

const cache = new WeakMap<object, FrontDoorConfig>();

/** Every default of the front door's settings schema (a configuration that names none). */
const DEFAULT_FRONT_DOOR_SETTINGS = Value.Default(FrontDoorSettingsSchema, {}) as FrontDoorSettings;

function officeCalendar(settings: FrontDoorSettings): WorkingCalendar {
  return createWorkingCalendar({
    ...DEFAULT_CALENDAR_CONFIG,
    officeHours: {
      opens: settings.officeHours.opens,
      closes: settings.officeHours.closes,
      weekdays: settings.officeHours.weekdays as IsoWeekday[],
    },
    extraClosures: settings.officeHours.extraClosures,
  });
}

const orderKey = (s: FrontDoorSettings) =>
  JSON.stringify([s.timescales.enquiries, s.timescales.decision, s.officeHours]);

const agencyCalendars = new WeakMap<object, Map<string, AgencyCalendar>>();

/** The calendar an enquiry to an agency of this kind counts in (null: around the clock). */
export function agencyCalendarFor(settings: FrontDoorSettings, kind: string): AgencyCalendar {
  let byKind = agencyCalendars.get(settings);
  if (!byKind) {
    byKind = new Map();
    agencyCalendars.set(settings, byKind);
  }
  if (!byKind.has(kind)) {
    const hours = settings.agencyHours[kind] as AgencyHours | undefined;
    const office = officeCalendar(settings);
    byKind.set(kind, hours ? agencyCalendar(hours, office.config) : office);
  }
  return byKind.get(kind)!;
}

/** Problems the schema cannot see, checked when the partnership file is loaded (refused if any). */
export function frontDoorSettingsProblems(settings: FrontDoorSettings): string[] {
  const unknownKinds = Object.keys(settings.agencyHours)
    .filter((kind) => !isAgencyKind(kind))
    .map((kind) => `/frontDoor/agencyHours/${kind} is not a kind of agency`);
  if (unknownKinds.length) return unknownKinds;
  // The shipped defaults are known to keep the order (a test proves it); checking them on every
  // start would cost half a second of date arithmetic for nothing.
  if (orderKey(settings) === orderKey(DEFAULT_FRONT_DOOR_SETTINGS)) return [];
  return ratingOrderProblems(
    settings.timescales as FrontDoorTimescales,
    officeCalendar(settings),
    settings.officeHours.extraClosures,
  );
}

/** The partnership's front-door configuration, with the calendar built once per settings object. */
export function frontDoorConfig(deps: Deps): FrontDoorConfig {
  const settings = deps.config.partnership?.frontDoor ?? DEFAULT_FRONT_DOOR_SETTINGS;
  const cached = cache.get(settings);
  if (cached) return cached;
  const calendar = officeCalendar(settings);
  const config: FrontDoorConfig = {
    settings,
    timescales: settings.timescales as FrontDoorTimescales & { feedback: Timescale },
    calendar,
    dueSoonMs: settings.dueSoonMinutes * 60_000,
  };
  cache.set(settings, config);
  return config;
}

export interface RouteDecision {
  route: 'mash' | 'early-help-triage';
  reason: string;
}

/** Which queue a contact lands in, by the partnership's routing rules (shown on /front-door/routing). */
export function routeContact(settings: FrontDoorSettings, concerns: readonly Concern[]): RouteDecision {
  const rules = settings.routing;
  const mash = concerns.filter((c) => rules.mashConcerns.includes(c));
  if (mash.length > 0) return { route: 'mash', reason: `Concerns routed to the MASH: ${mash.join(', ')}` };
  if (concerns.length > 0 && concerns.every((c) => rules.earlyHelpConcerns.includes(c)))
    return { route: 'early-help-triage', reason: 'Every concern is routed to early help triage' };
  return { route: rules.contactDefault, reason: 'No routing rule matched the concerns: default route' };
}

export function routeDan(
  settings: FrontDoorSettings,
  dan: { riskGrade: RiskLevel; dashAwaited: boolean; childInjured: boolean },
): RouteDecision {
  const rules = settings.routing;
  if (dan.childInjured && rules.danChildInjured === 'mash')
    return { route: 'mash', reason: 'A child was injured' };
  if (dan.dashAwaited && rules.danDashAwaited === 'mash')
    return { route: 'mash', reason: 'The risk assessment is awaited' };
  return { route: rules.danRiskGrades[dan.riskGrade], reason: `Officer’s risk grade: ${dan.riskGrade}` };
}

/** The RAG a DAN starts with before a practitioner screens it; null leaves it unscreened. */
export function initialRag(
  settings: FrontDoorSettings,
  dan: { riskGrade: RiskLevel; childInjured: boolean },
): Rag | null {
  const byGrade = settings.initialRag[dan.riskGrade];
  if (dan.childInjured && settings.initialRag.childInjured) return settings.initialRag.childInjured;
  return byGrade;
}

/** Whether a decision at this level with this outcome needs a manager's sign-off. */
export function needsSignOff(settings: FrontDoorSettings, levelOfNeed: string, outcome: string): boolean {
  if (settings.signOff.outcomes.includes(outcome)) return true;
  const codes = settings.levelsOfNeed.map((l) => l.code);
  const threshold = codes.indexOf(settings.signOff.aboveLevel);
  return threshold >= 0 && codes.indexOf(levelOfNeed) > threshold;
}

export function feedbackDueAt(config: FrontDoorConfig, receivedAt: Date): Date {
  return addTimescale(receivedAt, config.timescales.feedback, config.calendar);
}
