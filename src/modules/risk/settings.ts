import Type from 'typebox';
import { createRiskRulesConfig, DEFAULT_RISK_RULES_CONFIG, type RiskRulesConfig } from '../../domain/risk.ts';

/**
 * The `risk` section of the partnership settings. Rule thresholds default to the domain's
 * DEFAULT_RISK_RULES_CONFIG (documented in docs/domain.md); `rules` overrides them for the whole
 * partnership and `areas.<area code>` for one area, one rule deep — e.g.
 * `{ "areas": { "medway": { "repeatIncidents": { "windowMonths": 6 } } } }`.
 */
const Level = Type.Union([Type.Literal('standard'), Type.Literal('medium'), Type.Literal('high')]);
const Months = Type.Integer({ minimum: 1, maximum: 240 });
const Count = Type.Integer({ minimum: 1, maximum: 1000 });

const RuleOverride = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    count: Type.Optional(Count),
    windowMonths: Type.Optional(Type.Union([Months, Type.Null()])),
    raisesTo: Type.Optional(Type.Union([Level, Type.Null()])),
    grades: Type.Optional(Type.Array(Level)),
    ageMonths: Type.Optional(Months),
    attendanceBelowPercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    minIncidents: Type.Optional(Count),
    orAnyIncidentGraded: Type.Optional(Level),
  },
  { additionalProperties: false },
);

const RULE_KEYS = [
  'repeatIncidents',
  'accumulatingLowerGrades',
  'childReportedAbuse',
  'repeatContacts',
  'reReferral',
  'perpetratorOtherVictims',
  'adultSubstanceMisuse',
  'adultMentalHealth',
  'breachOfBailOrOrder',
  'childUnderOne',
  'childDisability',
  'missedHealthAppointments',
  'custodyEpisodes',
  'schoolAbsenceOrExclusion',
  'recordedLevelBelowScore',
  'noSafetyPlan',
  'socialWorkerChanges',
  'multipleConcerns',
] as const satisfies readonly (keyof RiskRulesConfig)[];

export const RiskRuleOverridesSchema = Type.Object(
  {
    ...Object.fromEntries(RULE_KEYS.map((key) => [key, Type.Optional(RuleOverride)])),
    bands: Type.Optional(
      Type.Object(
        { mediumFrom: Type.Integer({ minimum: 1 }), highFrom: Type.Integer({ minimum: 2 }) },
        { additionalProperties: false },
      ),
    ),
    marac: Type.Optional(
      Type.Object(
        { repeatWindowMonths: Type.Optional(Months), assessmentWindowMonths: Type.Optional(Months) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const RiskSettingsSchema = Type.Object(
  {
    /** Overrides of the domain's rule defaults for every area. */
    rules: Type.Intersect([RiskRuleOverridesSchema], { default: {} }),
    /** Overrides for one area, keyed by area code, applied over `rules`. */
    areas: Type.Record(Type.String(), RiskRuleOverridesSchema, { default: {} }),
  },
  { additionalProperties: false, default: {} },
);

export type RiskSettings = Type.Static<typeof RiskSettingsSchema>;
type RuleOverrides = Type.Static<typeof RiskRuleOverridesSchema>;

export const DEFAULT_RISK_SETTINGS: RiskSettings = { rules: {}, areas: {} };

function merge(a: RuleOverrides, b: RuleOverrides): RuleOverrides {
  const out: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const base = out[key];
    out[key] =
      base && typeof base === 'object' && value && typeof value === 'object' ? { ...base, ...value } : value;
  }
  return out as RuleOverrides;
}

/**
 * The rule configuration for each area code, validated once: a bad threshold stops start-up
 * rather than silently running on a default.
 */
export function riskRulesByArea(settings: RiskSettings | undefined) {
  const risk = settings ?? DEFAULT_RISK_SETTINGS;
  const cache = new Map<string, RiskRulesConfig>();
  const base: RuleOverrides = risk.rules;
  const partnership =
    Object.keys(base).length === 0 ? DEFAULT_RISK_RULES_CONFIG : createRiskRulesConfig(base as never);
  for (const [code, overrides] of Object.entries(risk.areas)) {
    cache.set(code, createRiskRulesConfig(merge(base, overrides) as never));
  }
  return {
    forArea(areaCode: string | null | undefined): RiskRulesConfig {
      return (areaCode && cache.get(areaCode)) || partnership;
    },
  };
}
