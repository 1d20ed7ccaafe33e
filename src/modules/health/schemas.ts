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
