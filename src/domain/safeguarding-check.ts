/**
 * Probation's child-safeguarding checks with police (finding F27): the answer must reach
 * probation before sentencing, so it is due a set number of working days before the court date.
 */
import { isWorkingDate, type WorkingCalendar } from './calendar.ts';

function previousDay(isoDate: string): string {
  const date = new Date(`${isoDate}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

/** The date `workingDays` working days before `courtDate` (weekends, bank holidays, closures skipped). */
export function workingDaysBefore(courtDate: string, workingDays: number, calendar: WorkingCalendar): string {
  let day = courtDate;
  let counted = 0;
  while (counted < workingDays) {
    day = previousDay(day);
    if (isWorkingDate(day, calendar)) counted += 1;
  }
  return day;
}

/** Open, answered in time, answered late, or overdue (still open after its due date). */
export type CheckStatus = 'open' | 'answered' | 'answered-late' | 'overdue';

export function checkStatus(check: { dueBy: string; answeredOn: string | null }, today: string): CheckStatus {
  if (check.answeredOn) return check.answeredOn > check.dueBy ? 'answered-late' : 'answered';
  return today > check.dueBy ? 'overdue' : 'open';
}
