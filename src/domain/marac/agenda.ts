/** How a MARAC (or panel) agenda is ordered and timed. Pure: the service supplies the cases. */
import type { RiskLevel } from '../instruments/bands.ts';

export interface AgendaCandidate {
  id: string;
  repeat: boolean;
  level: RiskLevel | null;
  dashScore: number | null;
  referredAt: Date;
}

const LEVEL_RANK: Record<RiskLevel, number> = { high: 3, medium: 2, standard: 1 };

/**
 * Repeats first, then the highest risk (level, then DASH score), then the longest waiting, so a
 * meeting that overruns reaches the most dangerous cases before it stops.
 */
export function orderAgenda<T extends AgendaCandidate>(cases: readonly T[]): T[] {
  return [...cases].sort(
    (a, b) =>
      Number(b.repeat) - Number(a.repeat) ||
      (b.level ? LEVEL_RANK[b.level] : 0) - (a.level ? LEVEL_RANK[a.level] : 0) ||
      (b.dashScore ?? -1) - (a.dashScore ?? -1) ||
      a.referredAt.getTime() - b.referredAt.getTime() ||
      a.id.localeCompare(b.id),
  );
}

/** Each case's slot: the meeting's start plus `minutesPerCase` for every case before it. */
export function agendaSlots<T>(ordered: readonly T[], startsAt: Date, minutesPerCase: number) {
  return ordered.map((item, index) => ({
    item,
    position: index + 1,
    startsAt: new Date(startsAt.getTime() + index * minutesPerCase * 60_000),
    minutes: minutesPerCase,
  }));
}

export type Cadence = 'weekly' | 'fortnightly' | 'monthly';

/** The meeting after `last` at the forum's cadence (monthly keeps the same weekday of the month's week). */
export function nextMeetingAfter(last: Date, cadence: Cadence): Date {
  const days = cadence === 'weekly' ? 7 : cadence === 'fortnightly' ? 14 : 28;
  return new Date(last.getTime() + days * 24 * 60 * 60 * 1000);
}

export type MinutesState = 'not-due' | 'due' | 'overdue' | 'published' | 'published-late';

/** Where a meeting's minutes stand against their deadline (minutes due N working days after it ends). */
export function minutesState(
  meeting: { minutesDueAt: Date | null; minutesPublishedAt: Date | null },
  now: Date,
): MinutesState {
  const { minutesDueAt: due, minutesPublishedAt: published } = meeting;
  if (!due) return 'not-due';
  if (published) return published.getTime() > due.getTime() ? 'published-late' : 'published';
  return now.getTime() > due.getTime() ? 'overdue' : 'due';
}
