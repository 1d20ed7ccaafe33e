import Type, { type Static } from 'typebox';
import { NullableString } from '../../platform/http/schemas/atoms.ts';
import { FlagSchema } from '../flags/index.ts';

export const LookupQuery = Type.Object(
  {
    nhsNumber: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 20,
        description:
          'The NHS number (10 digits; spaces allowed). Else give givenName, familyName and dateOfBirth',
      }),
    ),
    givenName: Type.Optional(Type.String({ maxLength: 100, description: 'First name (with no NHS number)' })),
    familyName: Type.Optional(Type.String({ maxLength: 100, description: 'Last name (with no NHS number)' })),
    dateOfBirth: Type.Optional(
      Type.String({ maxLength: 10, description: 'Date of birth, YYYY-MM-DD (with no NHS number)' }),
    ),
  },
  { additionalProperties: false },
);
export type LookupQuery = Static<typeof LookupQuery>;

export const LookupResponse = Type.Object(
  {
    answer: Type.Union([
      Type.Literal('flags'),
      Type.Literal('known-no-flags'),
      Type.Literal('not-known'),
      Type.Literal('several-known'),
    ]),
    searchedBy: Type.Union([Type.Literal('nhs-number'), Type.Literal('name-and-date-of-birth')]),
    nhsNumber: NullableString(),
    personId: NullableString(),
    flags: Type.Array(FlagSchema),
    anyFlagged: Type.Boolean({
      description:
        '`several-known` only: whether any of the people with this name and date of birth has a current flag (which one is never said)',
    }),
    mashAgencies: Type.Array(Type.String(), {
      description: '`several-known` only: the MASH to call about them',
    }),
  },
  { additionalProperties: false },
);

export const BreakGlassBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 1000 }) },
  { additionalProperties: false },
);

/** `POST /api/v1/safeguarding-checks`: probation asks police before court. */
export const SafeguardingCheckBody = Type.Object(
  {
    personId: Type.String({ format: 'uuid' }),
    courtDate: Type.String({ format: 'date', description: 'The court (sentencing) date, YYYY-MM-DD' }),
    question: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export const SafeguardingCheckAnswerBody = Type.Object(
  { answer: Type.String({ minLength: 1, maxLength: 8000 }) },
  { additionalProperties: false },
);
export const SafeguardingCheckSchema = Type.Object({
  id: Type.String(),
  personId: Type.String(),
  courtDate: Type.String(),
  dueBy: Type.String(),
  question: Type.String(),
  answer: NullableString(),
  answeredAt: NullableString(),
  escalated: Type.Boolean(),
  status: Type.Union(['open', 'answered', 'answered-late', 'overdue'].map((s) => Type.Literal(s))),
});

/** The kinds of health event a health system sends, and the chronology type each becomes. */
export const HEALTH_EVENT_KINDS = {
  'was-not-brought': 'missed-health-appointment',
  'did-not-attend': 'missed-health-appointment',
  'ed-attendance': 'ed-attendance',
  'health-visitor-concern': 'health-visitor-concern',
  'school-nurse-concern': 'school-nurse-concern',
  'maternity-booking': 'maternity-booking',
} as const;
export type HealthEventKind = keyof typeof HEALTH_EVENT_KINDS;

export const HealthEvent = Type.Object(
  {
    reference: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'The sender’s own reference: sending it again changes nothing',
    }),
    nhsNumber: Type.String({ minLength: 10, maxLength: 12 }),
    kind: Type.Union(Object.keys(HEALTH_EVENT_KINDS).map((k) => Type.Literal(k as HealthEventKind))),
    occurredAt: Type.String({ format: 'date-time' }),
    summary: Type.String({ minLength: 1, maxLength: 4000 }),
    /** maternity-booking: the woman disclosed domestic abuse at booking. */
    domesticAbuseDisclosed: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type HealthEvent = Static<typeof HealthEvent>;

export const HealthEventsBody = Type.Object(
  { events: Type.Array(HealthEvent, { minItems: 1, maxItems: 500 }) },
  { additionalProperties: false },
);

export const HealthEventsResponse = Type.Object({
  results: Type.Array(
    Type.Object({
      reference: Type.String(),
      outcome: Type.Union([
        Type.Literal('recorded'),
        Type.Literal('already-recorded'),
        Type.Literal('not-known'),
      ]),
      eventId: NullableString(),
    }),
  ),
});
