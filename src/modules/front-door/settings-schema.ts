import Type from 'typebox';
import { DEFAULT_OFFICE_HOURS } from '../../domain/calendar.ts';
import { DEFAULT_DUE_SOON_MS, DEFAULT_FRONT_DOOR_TIMESCALES } from '../../domain/clock.ts';

/**
 * The front door's partnership configuration (the `frontDoor` section of the partnership file).
 * Every default is documented in docs/front-door.md; timescales default to clock.ts's
 * DEFAULT_FRONT_DOOR_TIMESCALES so there is one source for them.
 */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const defaults = plain(DEFAULT_FRONT_DOOR_TIMESCALES);

const Unit = Type.Union([Type.Literal('hours'), Type.Literal('working-hours'), Type.Literal('working-days')]);
const timescale = (value: { amount: number; unit: string }) =>
  Type.Object(
    { amount: Type.Number({ minimum: 0, maximum: 1000 }), unit: Unit },
    { additionalProperties: false, default: plain(value) },
  );

const route = (value: 'mash' | 'early-help-triage') =>
  Type.Union([Type.Literal('mash'), Type.Literal('early-help-triage')], { default: value });
const rag = (value: 'red' | 'amber' | 'green' | 'blue' | null) =>
  Type.Union(
    [Type.Literal('red'), Type.Literal('amber'), Type.Literal('green'), Type.Literal('blue'), Type.Null()],
    { default: value },
  );

export const DEFAULT_MASH_CONCERNS = [
  'domestic-abuse',
  'physical-abuse',
  'sexual-abuse',
  'emotional-abuse',
  'neglect',
  'child-sexual-exploitation',
  'child-criminal-exploitation',
  'missing',
  'self-harm',
  'fgm-or-honour-based-abuse',
  'radicalisation',
  'trafficking',
];

export const DEFAULT_EARLY_HELP_CONCERNS = [
  'mental-health',
  'substance-misuse',
  'parenting-capacity',
  'housing',
  'school-attendance',
  'behaviour',
  'other',
];

export const DEFAULT_LEVELS_OF_NEED = [
  { code: '1', label: 'Level 1: universal needs' },
  { code: '2', label: 'Level 2: additional needs (early help)' },
  { code: '3', label: 'Level 3: complex needs (targeted early help)' },
  { code: '4', label: 'Level 4: specialist (child in need or child protection)' },
];

export const FrontDoorSettingsSchema = Type.Object(
  {
    timescales: Type.Object(
      {
        screening: timescale(defaults.screening),
        enquiries: Type.Object(
          {
            red: Type.Union([timescale(defaults.enquiries.red!), Type.Null()], {
              default: defaults.enquiries.red,
            }),
            amber: Type.Union([timescale(defaults.enquiries.amber!), Type.Null()], {
              default: defaults.enquiries.amber,
            }),
            green: Type.Union([timescale(defaults.enquiries.green!), Type.Null()], {
              default: defaults.enquiries.green,
            }),
            blue: Type.Union([timescale({ amount: 1, unit: 'working-days' }), Type.Null()], {
              default: defaults.enquiries.blue,
            }),
          },
          { additionalProperties: false, default: {} },
        ),
        decision: Type.Object(
          {
            unscreened: timescale(defaults.decision.unscreened),
            red: timescale(defaults.decision.red),
            amber: timescale(defaults.decision.amber),
            green: timescale(defaults.decision.green),
            blue: timescale(defaults.decision.blue),
          },
          { additionalProperties: false, default: {} },
        ),
        dashAwaited: Type.Object(
          {
            due: timescale(defaults.dashAwaited.due),
            escalateAfter: timescale(defaults.dashAwaited.escalateAfter),
          },
          { additionalProperties: false, default: {} },
        ),
        assessment: timescale(defaults.assessment),
        initialChildProtectionConference: timescale(defaults.initialChildProtectionConference),
        /** From receipt to telling the referrer what was decided. */
        feedback: timescale({ amount: 1, unit: 'working-days' }),
      },
      { additionalProperties: false, default: {} },
    ),
    officeHours: Type.Object(
      {
        opens: Type.String({ pattern: '^\\d{2}:\\d{2}$', default: DEFAULT_OFFICE_HOURS.opens }),
        closes: Type.String({ pattern: '^\\d{2}:\\d{2}$', default: DEFAULT_OFFICE_HOURS.closes }),
        weekdays: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), {
          default: [...DEFAULT_OFFICE_HOURS.weekdays],
        }),
        extraClosures: Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), { default: [] }),
      },
      { additionalProperties: false, default: {} },
    ),
    /**
     * Opening hours of receiving agencies, by agency kind: an enquiry's deadline counts in them.
     * A kind not named keeps the front door's office hours.
     */
    agencyHours: Type.Record(
      Type.String(),
      Type.Union([
        Type.Object({ open24Hours: Type.Literal(true) }, { additionalProperties: false }),
        Type.Object(
          {
            opens: Type.String({ pattern: '^\\d{2}:\\d{2}$' }),
            closes: Type.String({ pattern: '^\\d{2}:\\d{2}$' }),
            weekdays: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { minItems: 1 }),
            /** Local dates closed besides weekends and bank holidays (for schools: the holidays). */
            closures: Type.Optional(Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }))),
          },
          { additionalProperties: false },
        ),
      ]),
      {
        default: {
          police: { open24Hours: true },
          acute_trust: { open24Hours: true },
          school: { opens: '08:30', closes: '15:30', weekdays: [1, 2, 3, 4, 5] },
        },
      },
    ),
    dueSoonMinutes: Type.Integer({ minimum: 1, maximum: 24 * 60, default: DEFAULT_DUE_SOON_MS / 60_000 }),
    routing: Type.Object(
      {
        mashConcerns: Type.Array(Type.String(), { default: DEFAULT_MASH_CONCERNS }),
        earlyHelpConcerns: Type.Array(Type.String(), { default: DEFAULT_EARLY_HELP_CONCERNS }),
        contactDefault: route('mash'),
        danRiskGrades: Type.Object(
          {
            standard: route('early-help-triage'),
            medium: route('mash'),
            high: route('mash'),
          },
          { additionalProperties: false, default: {} },
        ),
        danDashAwaited: route('mash'),
        danChildInjured: route('mash'),
      },
      { additionalProperties: false, default: {} },
    ),
    initialRag: Type.Object(
      {
        standard: rag('green'),
        medium: rag('amber'),
        high: rag('red'),
        childInjured: rag('red'),
      },
      { additionalProperties: false, default: {} },
    ),
    levelsOfNeed: Type.Array(
      Type.Object(
        { code: Type.String({ minLength: 1 }), label: Type.String({ minLength: 1 }) },
        { additionalProperties: false },
      ),
      { minItems: 1, default: DEFAULT_LEVELS_OF_NEED },
    ),
    signOff: Type.Object(
      {
        /** Decisions at a level after this one (in levelsOfNeed order) need a manager's sign-off. */
        aboveLevel: Type.String({ default: '2' }),
        /** Outcomes that need sign-off whatever the level. */
        outcomes: Type.Array(Type.String(), { default: ['strategy-discussion', 'immediate-protection'] }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false, default: {} },
);

export type FrontDoorSettings = Type.Static<typeof FrontDoorSettingsSchema>;
