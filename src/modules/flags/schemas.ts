import Type, { type Static } from 'typebox';
import { CONTACT_MAX, REASON_MAX } from '../../domain/flags.ts';
import { IsoDate, NullableString, Uuid } from '../../platform/http/schemas/atoms.ts';

/** `POST /api/v1/people/{id}/flags`: the owning service raises a flag. */
export const RaiseFlagBody = Type.Object(
  {
    type: Type.String({
      minLength: 1,
      maxLength: 60,
      description:
        'child-protection-plan, looked-after, child-in-need, marac, domestic-abuse-household, or a type the partnership defines',
    }),
    start: IsoDate('The date the flag applies from (YYYY-MM-DD)'),
    review: Type.Optional(IsoDate('When the owning agency will review it (YYYY-MM-DD)')),
    contact: Type.String({
      minLength: 1,
      maxLength: CONTACT_MAX,
      description: 'Whom to call: a team, a duty line, a named worker',
    }),
  },
  { additionalProperties: false },
);
export type RaiseFlagBody = Static<typeof RaiseFlagBody>;

/** `POST /api/v1/people/{id}/flags/{flagId}/end`. */
export const EndFlagBody = Type.Object(
  {
    end: IsoDate('The last day the flag applies (YYYY-MM-DD)'),
    reason: Type.String({
      minLength: 1,
      maxLength: REASON_MAX,
      description: 'Why it ends (the plan ended, the child left care)',
    }),
  },
  { additionalProperties: false },
);
export type EndFlagBody = Static<typeof EndFlagBody>;

export const FlagParams = Type.Object({ id: Uuid(), flagId: Uuid() });
export const PersonParams = Type.Object({ id: Uuid() });

/** A flag as the API gives it: the concern and whom to call, never the case file. */
export const FlagSchema = Type.Object(
  {
    id: Type.String(),
    personId: Type.String(),
    type: Type.String(),
    label: Type.String(),
    start: Type.String(),
    review: NullableString(),
    end: NullableString(),
    contact: Type.String(),
    owningAgency: Type.Object({
      id: Type.String(),
      name: Type.String(),
      kind: NullableString(),
      code: NullableString(),
    }),
    active: Type.Boolean(),
  },
  { additionalProperties: false },
);
