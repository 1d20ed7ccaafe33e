import Type from 'typebox';

/** The `health` section of the partnership settings (docs/health.md). */
export const HealthSettingsSchema = Type.Object(
  {
    /** How long a clinician's break-glass access lasts from the request. */
    breakGlassHours: Type.Integer({ minimum: 1, maximum: 168, default: 24 }),
    /** A probation child-safeguarding check is due this many working days before the court date. */
    safeguardingCheckWorkingDaysBeforeCourt: Type.Integer({ minimum: 1, maximum: 30, default: 5 }),
  },
  { additionalProperties: false, default: {} },
);
