import Type from 'typebox';
import { Value } from 'typebox/value';
import type { SchoolCalendar } from '../../domain/calendar.ts';
import { type AreaSchoolYear, areaSchoolCalendar, DEFAULT_SCHOOL_AGE } from '../../domain/encompass.ts';
import type { Deps } from '../../platform/deps.ts';

const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Term = Type.Object({ start: IsoDate, end: IsoDate }, { additionalProperties: false });
const Weekday = Type.Integer({ minimum: 1, maximum: 7 });

const SchoolYear = {
  /** Term dates (inclusive). Half terms and holidays are the gaps between them. */
  terms: Type.Array(Term, { maxItems: 60 }),
  /** INSET (training) days inside terms: not school days. */
  insetDays: Type.Array(IsoDate, { maxItems: 200 }),
  /** Other days the area's schools close (a local holiday), besides weekends and bank holidays. */
  closures: Type.Array(IsoDate, { maxItems: 200 }),
};

/**
 * Operation Encompass (docs/encompass.md). Every leaf has a default; an area (by code) may set
 * its own term dates, INSET days and the agency its local-authority notices go to.
 */
export const EncompassSettingsSchema = Type.Object(
  {
    /** Who gets a notice: reception (4 on the 31 August before the school year) to 17. */
    schoolAge: Type.Object(
      {
        receptionAgeOnAugust31: Type.Integer({
          minimum: 2,
          maximum: 6,
          default: DEFAULT_SCHOOL_AGE.receptionAgeOnAugust31,
        }),
        maximumAge: Type.Integer({ minimum: 10, maximum: 25, default: DEFAULT_SCHOOL_AGE.maximumAge }),
      },
      { additionalProperties: false, default: {} },
    ),
    /** When the school day starts (the notice is due before it) and which weekdays are school days. */
    dayStarts: Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', default: '08:30' }),
    schoolDays: Type.Array(Weekday, { minItems: 1, maxItems: 7, default: [1, 2, 3, 4, 5] }),
    /** The partnership's school year (areas may replace any part of it). Empty terms: every weekday counts. */
    terms: Type.Array(Term, { maxItems: 60, default: [] }),
    insetDays: Type.Array(IsoDate, { maxItems: 200, default: [] }),
    closures: Type.Array(IsoDate, { maxItems: 200, default: [] }),
    areas: Type.Record(
      Type.String({ pattern: '^[a-z0-9-]{1,50}$' }),
      Type.Object(
        {
          terms: Type.Optional(SchoolYear.terms),
          insetDays: Type.Optional(SchoolYear.insetDays),
          closures: Type.Optional(SchoolYear.closures),
          /** The agency whose education safeguarding officer receives the area's local-authority notices. */
          localAuthorityAgencyCode: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
        },
        { additionalProperties: false },
      ),
      { default: {} },
    ),
    /**
     * The force's choice: an officer reviews the child-focused summary before a notice is released.
     * A notice not reviewed by releaseBeforeDueMinutes before it is due is released as written, so
     * review never makes a notice late.
     */
    officerReview: Type.Object(
      {
        required: Type.Boolean({ default: false }),
        releaseBeforeDueMinutes: Type.Integer({ minimum: 0, maximum: 24 * 60, default: 60 }),
      },
      { additionalProperties: false, default: {} },
    ),
    /** Minutes after the due time an unacknowledged notice goes to the deputies, then to the LA and the force's lead. */
    escalation: Type.Object(
      {
        deputyAfterMinutes: Type.Integer({ minimum: 0, maximum: 7 * 24 * 60, default: 60 }),
        localAuthorityAfterMinutes: Type.Integer({ minimum: 0, maximum: 14 * 24 * 60, default: 180 }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false, default: {} },
);

export type EncompassSettings = Type.Static<typeof EncompassSettingsSchema>;

const DEFAULT_ENCOMPASS_SETTINGS = Value.Default(EncompassSettingsSchema, {}) as EncompassSettings;

export function encompassSettings(deps: Deps): EncompassSettings {
  return (
    (deps.config.partnership as { encompass?: EncompassSettings } | undefined)?.encompass ??
    DEFAULT_ENCOMPASS_SETTINGS
  );
}

/** Days an administrator added for the area (encompass_calendar_day), beside the file's. */
export interface AddedDays {
  terms: { start: string; end: string }[];
  insetDays: string[];
}

/** One area's school year: the file's (the area's own where it sets them) and the days added on the admin page. */
export function areaSchoolYear(
  settings: EncompassSettings,
  areaCode: string,
  added: AddedDays,
): AreaSchoolYear {
  const area = settings.areas[areaCode];
  return {
    dayStarts: settings.dayStarts,
    schoolDays: settings.schoolDays as AreaSchoolYear['schoolDays'],
    terms: [...(area?.terms ?? settings.terms), ...added.terms],
    insetDays: [...(area?.insetDays ?? settings.insetDays), ...added.insetDays],
    closures: area?.closures ?? settings.closures,
  };
}

export function schoolCalendarFor(
  settings: EncompassSettings,
  areaCode: string,
  added: AddedDays,
): SchoolCalendar {
  return areaSchoolCalendar(areaSchoolYear(settings, areaCode, added));
}
