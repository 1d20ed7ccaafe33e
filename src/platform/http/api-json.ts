/** An instant as every JSON answer gives it: ISO 8601 in UTC (a driver may hand back a Date or a string). */
export const isoInstant = (value: Date | string): string => new Date(value).toISOString();

/** The same, for an instant that may not have happened yet (null when there is none). */
export const isoOrNull = (value: Date | string | null | undefined): string | null =>
  value ? isoInstant(value) : null;
