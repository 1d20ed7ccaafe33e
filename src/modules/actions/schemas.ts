import Type, { type Static } from 'typebox';
import { problems } from '../../platform/http/schemas/atoms.ts';

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

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const ActionSchema = Type.Object({
  id: Type.String(),
  source: Type.Object({ kind: Type.String(), id: Type.String() }),
  personIds: Type.Array(Type.String()),
  ownerAgencyId: Type.String(),
  ownerAgencyName: Type.String(),
  ownerUserId: Nullable(Type.String()),
  description: Type.String(),
  dueBy: Type.String({ format: 'date-time' }),
  status: Type.String(),
  overdue: Type.Boolean(),
  doneAt: Nullable(Type.String({ format: 'date-time' })),
  doneBy: Nullable(Type.String()),
  doneNote: Nullable(Type.String()),
});

export const ActionListSchema = Type.Object({
  actions: Type.Array(ActionSchema),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});

export const PROBLEMS = problems(400, 401, 403, 404, 409);
