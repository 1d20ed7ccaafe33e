import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type nunjucks from 'nunjucks';
import { TIME_ZONE } from '../domain/time-zone.ts';
import type { FieldError } from './errors.ts';

const SRC = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const ROOT = path.dirname(SRC);

export const TEMPLATE_PATHS = [
  path.join(SRC, 'views'),
  path.join(SRC, 'modules'),
  path.join(ROOT, 'node_modules', 'govuk-frontend', 'dist'),
  path.join(ROOT, 'node_modules', '@ministryofjustice', 'frontend'),
];

export const ASSET_DIRS = {
  govuk: path.join(ROOT, 'node_modules', 'govuk-frontend', 'dist', 'govuk'),
  moj: path.join(ROOT, 'node_modules', '@ministryofjustice', 'frontend', 'moj'),
  harbour: path.join(SRC, 'assets'),
};

const ZONE = TIME_ZONE;

// Intl's formatters are built once: formatting with one is several times cheaper than with Luxon's
// toFormat, and a queue page formats a hundred or more dates.
const DATE = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
});
const CALENDAR_DATE = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/** "2:05pm": GOV.UK style, no space, lower case, midnight and midday as 12. */
function formatTime(date: Date): string {
  let hour = '';
  let minute = '';
  let period = '';
  for (const part of TIME.formatToParts(date)) {
    if (part.type === 'hour') hour = part.value;
    else if (part.type === 'minute') minute = part.value;
    else if (part.type === 'dayPeriod') period = part.value.toLowerCase().replace(/[^a-z]/g, '');
  }
  return `${hour === '0' ? '12' : hour}:${minute}${period}`;
}

/** Times are shown in UK time whatever the server's zone: "26 November 2026 at 2:05pm". */
export function formatDateTime(value: Date | string | null | undefined): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return `${DATE.format(date)} at ${formatTime(date)}`;
}

export function formatDate(value: Date | string | null | undefined): string {
  if (!value) return '';
  // A calendar date ("2026-11-26") is a day, not an instant: shown as written, never shifted by a zone.
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value))
    return CALENDAR_DATE.format(new Date(`${value}T00:00:00Z`));
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return DATE.format(date);
}

/** "1 message", "3 messages": the same counted words the risk rules' explanations use. */
export { plural } from '../domain/words.ts';

export function configureViewEnvironment(env: nunjucks.Environment): void {
  env.addFilter('dateTime', formatDateTime);
  env.addFilter('date', formatDate);
  env.addFilter('json', (value: unknown) => JSON.stringify(value));
}

/** The one form-error pattern: GOV.UK error summary items plus per-field messages. */
export function formErrors(errors: readonly FieldError[], form?: Readonly<Record<string, unknown>>) {
  const byField: Record<string, { text: string }> = {};
  for (const error of errors) byField[error.field] ??= { text: error.message };
  // A GOV.UK date input has no input of its own name: its summary link goes to the day's box,
  // which the form sent as `<name>-day` (the Design System's error summary pattern).
  const target = (field: string) => (form && `${field}-day` in form ? `${field}-day` : field);
  return {
    summary: errors.map((e) => ({ text: e.message, href: `#${target(e.field)}` })),
    byField,
  };
}
