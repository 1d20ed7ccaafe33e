import { DateTime } from 'luxon';
import {
  CHRONOLOGY_EVENT_TYPE_LABELS,
  type ChronologyEventType,
  isChronologyEventType,
} from '../../domain/chronology-event.ts';
import { TIME_ZONE } from '../../domain/time-zone.ts';
import type { FieldError } from '../../platform/errors.ts';
import type { ChronologyFilters } from './service.ts';

export interface ChronologyQuery {
  type?: string[];
  agency?: string[];
  from?: string;
  to?: string;
  significance?: 'low' | 'medium' | 'high' | '';
  significant?: string;
  page?: number;
  pageSize?: number;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ZONE = TIME_ZONE;

function day(value: string | undefined): DateTime | null | undefined {
  if (!value?.trim()) return undefined;
  if (!ISO_DATE.test(value.trim())) return null;
  const dt = DateTime.fromISO(value.trim(), { zone: ZONE });
  return dt.isValid ? dt : null;
}

/** Query string → service filters; periods are whole UK days, `to` inclusive. */
export function parseChronologyQuery(query: ChronologyQuery): {
  filters: ChronologyFilters;
  errors: FieldError[];
} {
  const errors: FieldError[] = [];
  const filters: ChronologyFilters = {};
  const types = (query.type ?? []).filter((t) => t !== '');
  const unknown = types.filter((t) => !isChronologyEventType(t));
  if (unknown.length) errors.push({ field: 'type', message: `Unknown event type: ${unknown.join(', ')}` });
  else if (types.length) filters.types = types;
  const agencies = (query.agency ?? []).filter((a) => a !== '');
  if (agencies.length) filters.agencyIds = agencies;
  const from = day(query.from);
  const to = day(query.to);
  if (from === null) errors.push({ field: 'from', message: 'Enter the start of the period as a real date' });
  if (to === null) errors.push({ field: 'to', message: 'Enter the end of the period as a real date' });
  if (from && to && to < from)
    errors.push({ field: 'to', message: 'The end of the period must be on or after its start' });
  if (from) filters.from = from.toJSDate();
  if (to) filters.to = to.plus({ days: 1 }).toJSDate();
  if (query.significance) filters.minimumSignificance = query.significance;
  if (query.significant === 'yes') filters.minimumSignificance = 'high';
  if (query.page) filters.page = query.page;
  if (query.pageSize) filters.pageSize = query.pageSize;
  return { filters, errors };
}

export function typeLabel(type: string): string {
  const label = CHRONOLOGY_EVENT_TYPE_LABELS[type as ChronologyEventType] ?? type;
  return label.charAt(0).toUpperCase() + label.slice(1);
}
