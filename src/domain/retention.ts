/**
 * Retention rules (decision 0012): when a record is due for removal. Pure: dates in, dates out.
 * The periods come from the partnership's settings (docs/configuration.md, `retention`).
 */
export interface RetentionRules {
  /** A child's record is kept until this birthday. */
  childRecordUntilAge: number;
  /** Years from birth a child's record is kept when its chronology holds one of longRetentionEventTypes. */
  longRetentionYears: number;
  longRetentionEventTypes: readonly string[];
  /** Years after it closed that a contact with no further action is kept. */
  noFurtherActionContactYears: number;
}

/** YYYY-MM-DD plus whole years; 29 February becomes 28 February in a year that has none. */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const year = y + years;
  const lastDay = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

/** The day a child's record falls due: its retention birthday, or the long period from birth. */
export function childRecordDueOn(dateOfBirth: string, longRetention: boolean, rules: RetentionRules): string {
  return addYears(dateOfBirth, longRetention ? rules.longRetentionYears : rules.childRecordUntilAge);
}

/** The day a closed no-further-action contact falls due. */
export function contactDueOn(closedOn: string, rules: RetentionRules): string {
  return addYears(closedOn, rules.noFurtherActionContactYears);
}

/** Due on its day, not before (dates compare as YYYY-MM-DD strings). */
export function isDue(dueOn: string, today: string): boolean {
  return dueOn <= today;
}

/** The latest date of birth whose record may be due today under the shorter rule (the query's bound). */
export function latestDueBirthDate(today: string, rules: RetentionRules): string {
  return addYears(today, -Math.min(rules.childRecordUntilAge, rules.longRetentionYears));
}
