import { DateTime } from 'luxon';
import { type Trx, transaction } from '../../db/database.ts';
import { assertAllowed } from '../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { type FieldError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import type { EncompassKernel } from './kernel.ts';
import * as repo from './repository.ts';
import { trimmed } from './types.ts';

const isRealDate = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d) && DateTime.fromISO(d).isValid;

/** A change to an area's calendar, audited against the calendar entry. */
function auditDay(
  trx: Trx,
  context: AuditContext,
  action: string,
  dayId: string,
  areaId: string,
  details: { kind: string; startsOn: string; endsOn: string },
) {
  return recordAudit(trx, context, {
    action,
    subjectType: 'encompass-calendar-day',
    subjectId: dayId,
    areaId,
    details,
  });
}

/** The school-day calendar an administrator keeps per area: terms and INSET days on top of the file's. */
export function calendarPart(kernel: EncompassKernel) {
  const { db, directory } = kernel;
  return {
    calendarOf: kernel.calendarOf,

    async calendarPage(context: AuditContext, areaId: string) {
      assertAllowed(context.principal, 'encompass:administer');
      const [days, calendar] = await Promise.all([repo.calendarDays(db, areaId), kernel.calendarOf(areaId)]);
      return { days, calendar };
    },

    async addCalendarDay(
      context: AuditContext,
      input: { areaId: string; kind: string; startsOn: string; endsOn: string; note: string },
    ) {
      assertAllowed(context.principal, 'encompass:administer');
      const errors: FieldError[] = [];
      const areas = await directory.areasByIds([input.areaId]);
      if (areas.length === 0) errors.push({ field: 'areaId', message: 'Choose an area' });
      if (input.kind !== 'term' && input.kind !== 'inset')
        errors.push({ field: 'kind', message: 'Select a term or an INSET day' });
      if (!isRealDate(input.startsOn))
        errors.push({ field: 'startsOn', message: 'Enter the first day as a real date' });
      const endsOn = input.endsOn || input.startsOn;
      if (!isRealDate(endsOn)) errors.push({ field: 'endsOn', message: 'Enter the last day as a real date' });
      else if (isRealDate(input.startsOn) && endsOn < input.startsOn)
        errors.push({ field: 'endsOn', message: 'The last day must be the same as or after the first day' });
      if (input.note.length > 200)
        errors.push({ field: 'note', message: 'The note must be 200 characters or fewer' });
      if (errors.length > 0) throw new ValidationError(errors);
      return transaction(db, async (trx) => {
        const row = await repo.addCalendarDay(trx, {
          area_id: input.areaId,
          kind: input.kind as 'term' | 'inset',
          starts_on: input.startsOn,
          ends_on: endsOn,
          note: trimmed(input.note) || null,
          created_by_name: context.principal.name,
        });
        await auditDay(trx, context, 'encompass.calendar-add', row.id, input.areaId, {
          kind: input.kind,
          startsOn: input.startsOn,
          endsOn,
        });
        return row;
      });
    },

    async removeCalendarDay(context: AuditContext, id: string) {
      assertAllowed(context.principal, 'encompass:administer');
      return transaction(db, async (trx) => {
        const removed = await repo.removeCalendarDay(trx, id);
        if (!removed) throw new NotFoundError('The calendar entry');
        await auditDay(trx, context, 'encompass.calendar-remove', id, removed.area_id, {
          kind: removed.kind,
          startsOn: removed.starts_on,
          endsOn: removed.ends_on,
        });
        return removed;
      });
    },
  };
}
