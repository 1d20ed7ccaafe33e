import Type from 'typebox';
import { Value } from 'typebox/value';
import { BUILT_IN_FLAG_CODES } from './domain/flags.ts';
import { BUILT_IN_IDENTIFIER_TYPES, patternProblem, SCHEME_PATTERN } from './domain/identifier-types.ts';
import { DEFAULT_MATCH_THRESHOLDS } from './domain/matching.ts';
import { RetentionSettingsSchema } from './modules/data-protection/retention-settings.ts';
import { EncompassSettingsSchema } from './modules/encompass/settings.ts';
import { FlagSettingsSchema } from './modules/flags/settings.ts';
import { frontDoorSettingsProblems } from './modules/front-door/settings.ts';
import { FrontDoorSettingsSchema } from './modules/front-door/settings-schema.ts';
import { HealthSettingsSchema } from './modules/health/settings.ts';
import { MaracSettingsSchema } from './modules/marac/settings.ts';
import { NotificationSettingsSchema } from './modules/notifications/settings.ts';
import { RiskSettingsSchema } from './modules/risk/settings.ts';
import { StrategyDiscussionSettingsSchema } from './modules/strategy-discussions/settings.ts';
import { ApiLimitsSettingsSchema } from './platform/api-limits-settings.ts';
import { SignInSettingsSchema } from './platform/auth/settings.ts';

/**
 * Rules that differ between safeguarding partnerships. Every leaf has a documented default;
 * a partnership overrides any of them in the JSON file named by HARBOUR_PARTNERSHIP_FILE.
 * Unknown keys are rejected so that a typo cannot silently fall back to a default.
 */
export const PartnershipSettingsSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, default: 'Harbour demonstration partnership' }),
    /** Sign-in: throttling, passwords, MFA and single sign-on providers (docs/sign-in.md). */
    signIn: SignInSettingsSchema,
    /** Person matching: scores (bits) at which a record links automatically or goes to review. */
    matching: Type.Object(
      {
        autoLink: Type.Number({ minimum: 0, maximum: 100, default: DEFAULT_MATCH_THRESHOLDS.autoLink }),
        review: Type.Number({ minimum: 0, maximum: 100, default: DEFAULT_MATCH_THRESHOLDS.review }),
        /** A blocking key shared by more live people than this is left out of the candidate query (docs/matching.md). */
        maxBlockSize: Type.Integer({ minimum: 100, maximum: 10_000_000, default: 500 }),
        /**
         * Identifier types of the partnership's own, beside the built-in NHS number, UPN, LA id,
         * police reference, PNC id and CRN (docs/configuration.md): each with the pattern a value
         * must match and its weights (m: one child's records agree; u: two children's do).
         */
        identifierTypes: Type.Array(
          Type.Object(
            {
              scheme: Type.String({ pattern: SCHEME_PATTERN }),
              label: Type.String({ minLength: 1, maxLength: 100 }),
              pattern: Type.String({ minLength: 1, maxLength: 200 }),
              hint: Type.String({ minLength: 1, maxLength: 200 }),
              m: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.9 }),
              u: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.000001 }),
            },
            { additionalProperties: false },
          ),
          { maxItems: 20, default: [] },
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    /** Front door: timescales, office hours, routing rules, levels of need, sign-off (docs/front-door.md). */
    frontDoor: FrontDoorSettingsSchema,
    /** Cumulative-risk thresholds (per area): docs/chronology-and-risk.md. */
    risk: RiskSettingsSchema,
    /** JSON API rate limits per key and per address: docs/configuration.md, decision 10. */
    api: ApiLimitsSettingsSchema,
    /** How long records are kept before a manager confirms their removal (docs/operations.md). */
    retention: RetentionSettingsSchema,
    /** The partnership's own flag types beside the built-in ones (docs/health.md). */
    flags: FlagSettingsSchema,
    /** Break-glass duration and the probation check's deadline before court (docs/health.md). */
    health: HealthSettingsSchema,
    /** Need to know: how long an episode's relationships outlive it (docs/access.md). */
    access: Type.Object(
      {
        /** Days an agency asked for information keeps sight of the contact's people after it closes. */
        enquiryGraceDays: Type.Integer({ minimum: 0, maximum: 365, default: 28 }),
      },
      { additionalProperties: false, default: {} },
    ),
    /** MARAC and the below-MARAC panel: cadence, minutes per case, deadlines (docs/marac.md). */
    marac: MaracSettingsSchema,
    /** Strategy discussions: minimum participants, the outcome deadline, the ICPC clock (docs/strategy-discussions.md). */
    strategyDiscussions: StrategyDiscussionSettingsSchema,
    /** The outbox: retries, channels by default, SMTP, GOV.UK Notify, webhooks (docs/notifications.md). */
    notifications: NotificationSettingsSchema,
    /** Operation Encompass: school age, the school day, term dates and INSET days, review, escalation (docs/encompass.md). */
    encompass: EncompassSettingsSchema,
  },
  { additionalProperties: false },
);

export type PartnershipSettings = Type.Static<typeof PartnershipSettingsSchema>;

export type ParsedSettings = { ok: true; settings: PartnershipSettings } | { ok: false; errors: string[] };

export function parsePartnershipSettings(input: unknown): ParsedSettings {
  const value = Value.Default(PartnershipSettingsSchema, Value.Clone(input ?? {}));
  const errors = [...Value.Errors(PartnershipSettingsSchema, value)]
    .filter((e) => e.keyword !== 'anyOf')
    .filter((e) => e.keyword !== 'additionalProperties')
    .map((e) =>
      e.message === 'schema is false'
        ? `${e.instancePath} is not a known setting`
        : `${e.instancePath || '/'} ${e.message}`,
    );
  const matching = (value as PartnershipSettings).matching;
  if (errors.length === 0 && matching?.review > matching?.autoLink)
    errors.push('/matching/review must not be above /matching/autoLink');
  if (errors.length === 0) {
    const seen = new Set(BUILT_IN_IDENTIFIER_TYPES.map((t) => t.scheme));
    matching.identifierTypes.forEach((type, i) => {
      if (seen.has(type.scheme))
        errors.push(`/matching/identifierTypes/${i}/scheme "${type.scheme}" is already an identifier type`);
      seen.add(type.scheme);
      const problem = patternProblem(type.pattern);
      if (problem)
        errors.push(`/matching/identifierTypes/${i}/pattern is not a regular expression: ${problem}`);
    });
  }
  if (errors.length === 0) {
    const codes = new Set<string>(BUILT_IN_FLAG_CODES);
    (value as PartnershipSettings).flags.types.forEach((type, i) => {
      if (codes.has(type.code)) errors.push(`/flags/types/${i}/code "${type.code}" is already a flag type`);
      codes.add(type.code);
    });
  }
  if (errors.length === 0)
    errors.push(...frontDoorSettingsProblems((value as PartnershipSettings).frontDoor));
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, settings: value as PartnershipSettings };
}

export const DEFAULT_PARTNERSHIP_SETTINGS: PartnershipSettings = (() => {
  const parsed = parsePartnershipSettings({});
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return parsed.settings;
})();
