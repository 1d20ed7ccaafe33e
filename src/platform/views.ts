import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
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

/** Times are shown in UK time whatever the server's zone: "26 November 2026 at 2:05pm". */
export function formatDateTime(value: Date | string | null | undefined): string {
  if (!value) return '';
  const dt = DateTime.fromJSDate(new Date(value)).setZone(ZONE);
  return `${dt.toFormat('d MMMM yyyy')} at ${dt.toFormat('h:mma').toLowerCase()}`;
}

export function formatDate(value: Date | string | null | undefined): string {
  if (!value) return '';
  const dt =
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
      ? DateTime.fromISO(value, { zone: ZONE })
      : DateTime.fromJSDate(new Date(value)).setZone(ZONE);
  return dt.toFormat('d MMMM yyyy');
}

export function configureViewEnvironment(env: nunjucks.Environment): void {
  env.addFilter('dateTime', formatDateTime);
  env.addFilter('date', formatDate);
  env.addFilter('json', (value: unknown) => JSON.stringify(value));
}

/** The one form-error pattern: GOV.UK error summary items plus per-field messages. */
export function formErrors(errors: readonly FieldError[]) {
  const byField: Record<string, { text: string }> = {};
  for (const error of errors) byField[error.field] ??= { text: error.message };
  return {
    summary: errors.map((e) => ({ text: e.message, href: `#${e.field}` })),
    byField,
  };
}
