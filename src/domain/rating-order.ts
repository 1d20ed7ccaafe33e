/**
 * No RAG rating may be due later than a less urgent one received at the same moment (issue 12:
 * a red decision of 24 hours around the clock fell due after a green of one working day). The
 * timescales mix around-the-clock and working time, so the check tries real instants: every
 * quarter hour over two weeks spanning weekends, Christmas and New Year bank holidays, and the
 * days around each extra closure. Pure: the calendar is passed in.
 */
import { DateTime } from 'luxon';
import type { WorkingCalendar } from './calendar.ts';
import { addTimescale, type FrontDoorTimescales, type Rag, type Timescale } from './clock.ts';
import { TIME_ZONE } from './time-zone.ts';

const URGENCY: readonly Rag[] = ['red', 'amber', 'green', 'blue'];
const STEP_MS = 15 * 60_000;

function sampleInstants(extraClosures: readonly string[]): Date[] {
  const spans: [DateTime, DateTime][] = [
    [
      DateTime.fromISO('2026-12-19T00:00', { zone: TIME_ZONE }),
      DateTime.fromISO('2027-01-04T00:00', { zone: TIME_ZONE }),
    ],
    ...extraClosures.map((day): [DateTime, DateTime] => {
      const d = DateTime.fromISO(day, { zone: TIME_ZONE });
      return [d.minus({ days: 3 }), d.plus({ days: 2 })];
    }),
  ];
  const out: Date[] = [];
  for (const [from, to] of spans)
    for (let t = from.toMillis(); t < to.toMillis(); t += STEP_MS) out.push(new Date(t));
  return out;
}

const describe = (t: Timescale) => `${t.amount} ${t.unit.replace('-', ' ')}`;
const at = (d: Date) => DateTime.fromJSDate(d, { zone: TIME_ZONE }).toFormat('cccc d LLLL yyyy HH:mm');

/** Each pair of ratings whose deadlines break the order, with the first instant that shows it. */
export function ratingOrderProblems(
  timescales: Pick<FrontDoorTimescales, 'enquiries' | 'decision'>,
  calendar: WorkingCalendar,
  extraClosures: readonly string[] = [],
): string[] {
  const problems: string[] = [];
  const instants = sampleInstants(extraClosures);
  const kinds = [
    ['decision', timescales.decision as Readonly<Record<Rag, Timescale | null>>],
    ['enquiries', timescales.enquiries],
  ] as const;
  for (const [kind, table] of kinds) {
    // Comparing each rating with the next one configured is enough: the order is transitive.
    const rated = URGENCY.filter((rag) => table[rag]);
    for (let i = 0; i + 1 < rated.length; i++) {
      const urgent = table[rated[i]!]!;
      const lesser = table[rated[i + 1]!]!;
      if (urgent.unit === lesser.unit && urgent.amount <= lesser.amount) continue;
      const broken = instants.find(
        (t) => addTimescale(t, urgent, calendar).getTime() > addTimescale(t, lesser, calendar).getTime(),
      );
      if (broken)
        problems.push(
          `/frontDoor/timescales/${kind}: ${rated[i]} (${describe(urgent)}) would be due after ${rated[i + 1]} ` +
            `(${describe(lesser)}) for a contact received on ${at(broken)} ` +
            `(${at(addTimescale(broken, urgent, calendar))} against ${at(addTimescale(broken, lesser, calendar))}); ` +
            'no rating may be due later than a less urgent one received at the same moment',
        );
    }
  }
  return problems;
}
