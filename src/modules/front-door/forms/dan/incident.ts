import { DateTime } from 'luxon';
import { TIME_ZONE } from '../../../../domain/time-zone.ts';
import { dateInput, dateItems, text, unprefixed } from '../../../../platform/http/form-fields.ts';
import type { QuestionPage } from '../../../../platform/http/journeys/journey.ts';
import type { DanInput } from '../../types.ts';
import { validateIncident } from '../../validation.ts';
import { REPORTED_BY } from '../../vocabulary.ts';
import { addressFrom } from '../person-fields.ts';
import type { DanDraft } from './draft.ts';

const TIME = /^([01]?\d|2[0-3])[:.]([0-5]\d)$/;

function incidentValues(draft: DanDraft) {
  const at = draft.incident?.occurredAt
    ? DateTime.fromISO(draft.incident.occurredAt).setZone(TIME_ZONE)
    : null;
  return {
    ...draft.incident,
    occurredAtTime: at?.isValid ? at.toFormat('HH:mm') : '',
    occurredAtItems: dateItems('occurredAt', at?.isValid ? at.toISODate()! : undefined, false),
  };
}

const isReportedBy = (value: string | undefined): value is keyof typeof REPORTED_BY =>
  value !== undefined && Object.hasOwn(REPORTED_BY, value);

/** When and where the incident happened, and who reported it. */
export function incidentPage(now: () => Date): QuestionPage<DanDraft> {
  return {
    id: 'incident',
    title: 'The incident',
    show: ({ draft }) => ({ values: incidentValues(draft), reportedBy: REPORTED_BY }),
    save: ({ draft, form }) => {
      const date = dateInput(form, 'occurredAt');
      const time = text(form, 'occurredAtTime');
      const clock = time ? TIME.exec(time) : null;
      const occurredAt =
        date.value && clock
          ? DateTime.fromISO(date.value, { zone: TIME_ZONE })
              .set({ hour: Number(clock[1]), minute: Number(clock[2]) })
              .toUTC()
              .toISO()!
          : '';
      const reported = text(form, 'reportedBy');
      draft.incident = {
        policeReference: text(form, 'policeReference') ?? '',
        occurredAt,
        location: addressFrom(form, 'location.') ?? { line1: '', postcode: '' },
        circumstances: text(form, 'circumstances') ?? '',
        ...(isReportedBy(reported) ? { reportedBy: reported } : {}),
      };
      let errors = unprefixed(validateIncident(draft.incident as DanInput['incident'], now()), 'incident.');
      if (!occurredAt) {
        errors = errors.filter((e) => e.field !== 'occurredAt');
        if (date.invalid || !date.value)
          errors.unshift({ field: 'occurredAt', message: 'Enter the date of the incident as a real date' });
        if (!clock)
          errors.unshift({ field: 'occurredAtTime', message: 'Enter the time of the incident, like 21:40' });
      }
      return { errors, shown: { values: { ...incidentValues(draft), occurredAtTime: time ?? '' } } };
    },
  };
}
