import { DateTime } from 'luxon';
import { TIME_ZONE } from '../../domain/time-zone.ts';
import { type FieldError, ValidationError } from '../../platform/errors.ts';
import type { OutcomeInput, ScheduleInput } from './service.ts';

/** Form posts arrive as strings (or repeated strings); each parser names the fields it could not read. */
export type Form = Record<string, string | string[] | undefined>;

const one = (form: Form, key: string) => {
  const v = form[key];
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? '';
};
const many = (form: Form, key: string) => {
  const v = form[key];
  return (Array.isArray(v) ? v : v ? [v] : []).filter(Boolean);
};

/** A parsed form's value, or its problems refused as the page's validation errors. */
export function valueOrRefuse<T>(parsed: { errors: FieldError[]; value?: T }): T {
  if (!parsed.value) throw new ValidationError(parsed.errors);
  return parsed.value;
}

/** A date and a 24-hour time typed on a page, in the partnership's zone. */
function dateTime(form: Form, prefix: string): Date | null {
  const [d, m, y] = ['day', 'month', 'year'].map((part) => one(form, `${prefix}-${part}`));
  const time = one(form, `${prefix}-time`) || '12:00';
  if (!d || !m || !/^\d{4}$/.test(y ?? '') || !/^([01]?\d|2[0-3]):[0-5]\d$/.test(time)) return null;
  const [hour, minute] = time.split(':').map(Number);
  const dt = DateTime.fromObject(
    { year: Number(y), month: Number(m), day: Number(d), hour, minute },
    { zone: TIME_ZONE },
  );
  return dt.isValid ? dt.toJSDate() : null;
}

export function parseScheduleForm(form: Form): { errors: FieldError[]; value?: ScheduleInput } {
  const scheduledFor = dateTime(form, 'scheduledFor');
  const errors: FieldError[] = [];
  if (!scheduledFor)
    errors.push({ field: 'scheduledFor', message: 'Enter a real date and time for the discussion' });
  if (errors.length || !scheduledFor) return { errors };
  return {
    errors,
    value: { scheduledFor, joiningDetail: one(form, 'joiningDetail'), agencyIds: many(form, 'agencyIds') },
  };
}

export function parseOutcomeForm(form: Form): { errors: FieldError[]; value?: OutcomeInput } {
  const errors: FieldError[] = [];
  const s47 = one(form, 'section47');
  const conference = one(form, 'conference');
  if (!['yes', 'no'].includes(s47))
    errors.push({ field: 'section47', message: 'Select whether a section 47 enquiry follows' });
  if (!['yes', 'no'].includes(conference))
    errors.push({
      field: 'conference',
      message: 'Select whether an initial child protection conference is to be held',
    });
  const description = one(form, 'actionDescription');
  const owner = one(form, 'actionOwnerAgencyId');
  const dueBy = description || owner ? dateTime(form, 'actionDueBy') : null;
  if ((description || owner) && !owner)
    errors.push({ field: 'actionOwnerAgencyId', message: 'Select the agency that owns the action' });
  if ((description || owner) && !dueBy)
    errors.push({ field: 'actionDueBy', message: 'Enter a real due date for the action' });
  if (errors.length) return { errors };
  return {
    errors,
    value: {
      attendeeAgencyIds: many(form, 'attendeeAgencyIds'),
      informationShared: one(form, 'informationShared'),
      section47: s47 === 'yes',
      conference: conference === 'yes',
      levelOfNeed: one(form, 'levelOfNeed'),
      rationale: one(form, 'rationale'),
      actions: description || owner ? [{ ownerAgencyId: owner, description, dueBy: dueBy! }] : [],
    },
  };
}

/** Service errors about the first action are shown against the page's single action row. */
export function pageField(field: string): string {
  const map: Record<string, string> = {
    'actions[0].ownerAgencyId': 'actionOwnerAgencyId',
    'actions[0].description': 'actionDescription',
    'actions[0].dueBy': 'actionDueBy',
  };
  return map[field] ?? field;
}
