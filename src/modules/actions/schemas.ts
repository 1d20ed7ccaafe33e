import Type, { type Static } from 'typebox';
import {
  Nullable,
  NullableString,
  PageCountsProperties,
  problems,
} from '../../platform/http/schemas/atoms.ts';

export const ActionStatusQuery = Type.Object({
  status: Type.Union([Type.Literal('open'), Type.Literal('done'), Type.Literal('overdue')], {
    default: 'open',
  }),
  page: Type.Integer({ minimum: 1, maximum: 10000, default: 1 }),
});
export type ActionStatusQueryInput = Static<typeof ActionStatusQuery>;

export const ActionDoneBody = Type.Object(
  { note: Type.String({ maxLength: 4000, description: 'What was done' }) },
  { additionalProperties: false },
);
export type ActionDoneInput = Static<typeof ActionDoneBody>;

export const ActionSchema = Type.Object({
  id: Type.String(),
  source: Type.Object({ kind: Type.String(), id: Type.String() }),
  personIds: Type.Array(Type.String()),
  ownerAgencyId: Type.String(),
  ownerAgencyName: Type.String(),
  ownerUserId: NullableString(),
  description: Type.String(),
  dueBy: Type.String({ format: 'date-time' }),
  status: Type.String(),
  overdue: Type.Boolean(),
  doneAt: Nullable(Type.String({ format: 'date-time' })),
  doneBy: NullableString(),
  doneNote: NullableString(),
});

export const ActionListSchema = Type.Object({
  actions: Type.Array(ActionSchema),
  ...PageCountsProperties,
});

export const PROBLEMS = problems(400, 401, 403, 404, 409);
