import Type from 'typebox';
import { Value } from 'typebox/value';
import type { Deps } from '../../platform/deps.ts';

/**
 * The `marac` section of the partnership settings (docs/configuration.md, docs/marac.md). The
 * defaults are common MARAC practice: weekly, 15 minutes a case, minutes within 3 working days;
 * the below-MARAC panel monthly. `areas.<area code>` sets one area's cadence and contact point.
 */
const Cadence = Type.Union([Type.Literal('weekly'), Type.Literal('fortnightly'), Type.Literal('monthly')]);
const Forum = (cadence: 'weekly' | 'monthly', minutesPerCase: number) =>
  Type.Object(
    {
      cadence: Type.Union([Type.Literal('weekly'), Type.Literal('fortnightly'), Type.Literal('monthly')], {
        default: cadence,
      }),
      minutesPerCase: Type.Integer({ minimum: 5, maximum: 60, default: minutesPerCase }),
    },
    { additionalProperties: false, default: {} },
  );

export const MaracSettingsSchema = Type.Object(
  {
    marac: Forum('weekly', 15),
    panel: Forum('monthly', 10),
    /** Working days after the meeting ends by which its minutes are due. */
    minutesDueWorkingDays: Type.Integer({ minimum: 1, maximum: 20, default: 3 }),
    /** Working days before the meeting by which each agency's research is due. */
    researchDueWorkingDaysBefore: Type.Integer({ minimum: 0, maximum: 10, default: 1 }),
    /** A referral of the same victim within this many months of the last is a repeat. */
    repeatWindowMonths: Type.Integer({ minimum: 1, maximum: 36, default: 12 }),
    /** The MARAC flag's review date, this many months after the discussion. */
    flagReviewMonths: Type.Integer({ minimum: 1, maximum: 36, default: 12 }),
    /** Days a participating agency keeps sight of the case's people after the case closes. */
    graceDays: Type.Integer({ minimum: 0, maximum: 365, default: 28 }),
    /** Agencies of these kinds serving the area are asked for research on every case. */
    participatingAgencyKinds: Type.Array(Type.String({ minLength: 1, maxLength: 50 }), {
      maxItems: 30,
      default: [
        'police',
        'childrens_social_care',
        'acute_trust',
        'community_health',
        'idva_service',
        'probation',
        'housing',
        'adult_mental_health',
        'adult_substance_misuse',
      ],
    }),
    /** The contact point a MARAC flag names, unless the area sets its own. */
    contactPoint: Type.String({
      minLength: 1,
      maxLength: 200,
      default: 'The MARAC coordinator of the referring area',
    }),
    areas: Type.Record(
      Type.String({ pattern: '^[a-z0-9-]{1,50}$' }),
      Type.Object(
        {
          maracCadence: Type.Optional(Cadence),
          panelCadence: Type.Optional(Cadence),
          contactPoint: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        },
        { additionalProperties: false },
      ),
      { default: {} },
    ),
  },
  { additionalProperties: false, default: {} },
);

export type MaracSettings = Type.Static<typeof MaracSettingsSchema>;

const DEFAULT_MARAC_SETTINGS = Value.Default(MaracSettingsSchema, {}) as MaracSettings;

export function maracSettings(deps: Deps): MaracSettings {
  return (deps.config.partnership as { marac?: MaracSettings } | undefined)?.marac ?? DEFAULT_MARAC_SETTINGS;
}

/** The cadence and contact point for one area's forum, after the area's own overrides. */
export function forumSettings(settings: MaracSettings, areaCode: string, forum: 'marac' | 'panel') {
  const area = settings.areas[areaCode];
  const base = settings[forum];
  return {
    cadence: (forum === 'marac' ? area?.maracCadence : area?.panelCadence) ?? base.cadence,
    minutesPerCase: base.minutesPerCase,
    contactPoint: area?.contactPoint ?? settings.contactPoint,
  };
}
