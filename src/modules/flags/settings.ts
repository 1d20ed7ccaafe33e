import Type from 'typebox';
import { AGENCY_KINDS } from '../../domain/agency-kinds.ts';
import { oneOf } from '../../platform/http/schemas/atoms.ts';

/**
 * The `flags` section of the partnership settings: the partnership's own flag types beside the
 * built-in ones (child-protection plan, looked after, child in need, MARAC, domestic-abuse
 * household; domain/flags.ts). Each names the agency kinds that own it and whom it applies to.
 */
export const FlagSettingsSchema = Type.Object(
  {
    types: Type.Array(
      Type.Object(
        {
          code: Type.String({ pattern: '^[a-z][a-z0-9-]{1,59}$' }),
          label: Type.String({ minLength: 1, maxLength: 100 }),
          raisedBy: Type.Array(oneOf(AGENCY_KINDS), { minItems: 1 }),
          appliesTo: Type.Array(oneOf(['child', 'unborn', 'adult'] as const), {
            minItems: 1,
            default: ['child', 'unborn', 'adult'],
          }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 30, default: [] },
    ),
  },
  { additionalProperties: false, default: {} },
);
