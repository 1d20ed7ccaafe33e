import { DateTime } from 'luxon';
import Type from 'typebox';
import { TIME_ZONE } from '../../domain/time-zone.ts';
import type { FieldError } from '../errors.ts';

/** Any url-encoded form: repeated names arrive as arrays. */
export const FormBody = Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]));
export type Form = Record<string, string | string[]>;

export function text(form: Form, name: string): string | undefined {
  const value = form[name];
  const one = Array.isArray(value) ? value[0] : value;
  return one?.trim() ? one.trim() : undefined;
}

/**
 * A field that may be left out, sent once or repeated (a form's checkboxes, a query's filters), as
 * the list of what was sent, blanks and all: the one place that knows a single value arrives bare.
 */
export function asList<T extends string>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

export function list(form: Form, name: string): string[] {
  return asList(form[name]).filter((v) => v.trim() !== '');
}

export function yesNo(form: Form, name: string): boolean | undefined {
  const value = text(form, name);
  return value === 'yes' ? true : value === 'no' ? false : undefined;
}

/** A GOV.UK date input (name-day, name-month, name-year) as YYYY-MM-DD; '' when left blank. */
export function dateInput(form: Form, name: string): { value: string; invalid: boolean } {
  const day = text(form, `${name}-day`);
  const month = text(form, `${name}-month`);
  const year = text(form, `${name}-year`);
  if (!day && !month && !year) return { value: '', invalid: false };
  if (!day || !month || !year) return { value: '', invalid: true };
  const dt = DateTime.fromObject(
    { day: Number(day), month: Number(month), year: Number(year) },
    { zone: TIME_ZONE },
  );
  if (!day || !month || !year || !/^\d{4}$/.test(year) || !dt.isValid) return { value: '', invalid: true };
  return { value: dt.toISODate()!, invalid: false };
}

export function dateParts(iso: string | undefined) {
  if (!iso) return { day: '', month: '', year: '' };
  const [year, month, day] = iso.slice(0, 10).split('-');
  return { day: String(Number(day)), month: String(Number(month)), year: year ?? '' };
}

/** Errors named `prefix.field` shown on a page whose inputs are named `field`. */
export function unprefixed(errors: FieldError[], prefix: string): FieldError[] {
  return errors.map((e) => ({
    ...e,
    field: e.field.startsWith(prefix) ? e.field.slice(prefix.length) : e.field,
  }));
}

export function dateItems(_name: string, iso: string | undefined, hasError: boolean) {
  const parts = dateParts(iso);
  const cls = (width: string) => `govuk-input--width-${width}${hasError ? ' govuk-input--error' : ''}`;
  return [
    { name: 'day', label: 'Day', classes: cls('2'), value: parts.day },
    { name: 'month', label: 'Month', classes: cls('2'), value: parts.month },
    { name: 'year', label: 'Year', classes: cls('4'), value: parts.year },
  ];
}

/** A field whose answer must be one of a value list's keys; anything else is not an answer. */
export function choice<K extends string>(
  form: Form,
  name: string,
  values: Readonly<Record<K, unknown>> | readonly K[],
): K | undefined {
  const value = text(form, name);
  const keys: readonly string[] = Array.isArray(values) ? values : Object.keys(values);
  return value !== undefined && keys.includes(value) ? (value as K) : undefined;
}

/** Only the named fields that were filled in, trimmed. */
export function filledIn<K extends string>(form: Form, prefix: string, keys: readonly K[]) {
  const out: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const value = text(form, `${prefix}${key}`);
    if (value !== undefined) out[key] = value;
  }
  return out;
}
