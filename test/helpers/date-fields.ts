/** The three parts of a date as a person types them into a GOV.UK date input; '' is a part left blank. */
export interface TypedDate {
  day: string;
  month: string;
  year: string;
}

/**
 * A date input's answer as its form posts it: a field each for the day, the month and the year,
 * named after the input (`occurredAt-day`, `occurredAt-month`, `occurredAt-year`).
 */
export function dateFields(name: string, date: TypedDate): Record<string, string> {
  return { [`${name}-day`]: date.day, [`${name}-month`]: date.month, [`${name}-year`]: date.year };
}
