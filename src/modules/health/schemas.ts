import Type, { type Static } from 'typebox';
import { FlagSchema } from '../flags/schemas.ts';

export const LookupQuery = Type.Object({
  nhsNumber: Type.String({
    minLength: 1,
    maxLength: 20,
    description: 'The NHS number (10 digits; spaces allowed)',
  }),
});
export type LookupQuery = Static<typeof LookupQuery>;

export const LookupResponse = Type.Object(
  {
    answer: Type.Union([Type.Literal('flags'), Type.Literal('known-no-flags'), Type.Literal('not-known')]),
    nhsNumber: Type.String(),
    personId: Type.Union([Type.String(), Type.Null()]),
    flags: Type.Array(FlagSchema),
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
  answer: Type.Union([Type.String(), Type.Null()]),
  answeredAt: Type.Union([Type.String(), Type.Null()]),
  escalated: Type.Boolean(),
  status: Type.Union(['open', 'answered', 'answered-late', 'overdue'].map((s) => Type.Literal(s))),
});
