import Type, { type Static } from 'typebox';
import { REFERRAL_CRITERIA } from '../../domain/marac/referral.ts';
import {
  IsoDateTime,
  Nullable,
  NullableString,
  oneOf,
  Text,
  Uuid,
} from '../../platform/http/schemas/atoms.ts';

export const FORUMS = ['marac', 'panel'] as const;
/** The panel hears cases below the MARAC threshold: its referrals may say so instead of a criterion. */
export const CRITERIA = [...REFERRAL_CRITERIA, 'below-threshold'] as const;

export const ReferralBody = Type.Object({
  forum: Type.Optional(oneOf(FORUMS, { description: 'marac (default) or panel (below-MARAC)' })),
  victimPersonId: Uuid('The victim, a person the referring agency may refer in an area it serves'),
  perpetratorPersonIds: Type.Optional(Type.Array(Uuid(), { maxItems: 10 })),
  childPersonIds: Type.Optional(
    Type.Array(Uuid(), {
      maxItems: 20,
      description: 'Children in the household; default: the victim’s linked children',
    }),
  ),
  criterion: oneOf(CRITERIA),
  judgementReason: Type.Optional(Text(2000, 'Required for professional judgement')),
  riskAssessmentId: Type.Optional(Uuid('A DASH recorded in Harbour (on a DAN or an assessment)')),
  dashScore: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 27, description: 'A DASH held elsewhere: its score' }),
  ),
  dashReference: Type.Optional(Text(200, 'Where the DASH held elsewhere can be found')),
  consent: oneOf(['given', 'not-given'] as const),
  sharingReason: Type.Optional(Text(2000, 'Required when the victim has not consented')),
  diversity: Type.Optional(
    Type.Object({
      bme: Type.Optional(Type.Boolean()),
      lgbt: Type.Optional(Type.Boolean()),
      disability: Type.Optional(Type.Boolean()),
    }),
  ),
});
export type Referral = Static<typeof ReferralBody>;

export const ReferralResponse = Type.Object({
  id: Uuid(),
  reference: Type.String(),
  repeat: Type.Boolean(),
  duplicateOf: Nullable(Uuid()),
  criteria: Type.Array(
    Type.Object({
      id: Type.String(),
      met: Type.Boolean(),
      sources: Type.Array(Type.String(), { description: 'referrer, risk-engine or referral-history' }),
    }),
  ),
  missing: Type.Array(Type.String()),
});

export const MeetingsQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date', description: 'YYYY-MM-DD; default today' })),
  forum: Type.Optional(oneOf(FORUMS)),
});

export const MeetingSummary = Type.Object({
  id: Uuid(),
  reference: Type.String(),
  areaId: Uuid(),
  forum: Type.String(),
  startsAt: IsoDateTime(),
  status: Type.String(),
  cases: Type.Integer(),
  minutes: Type.String(),
});

export const MeetingDetail = Type.Object({
  ...MeetingSummary.properties,
  minutesDueAt: Nullable(IsoDateTime()),
  agenda: Type.Array(
    Type.Object({
      position: Type.Integer(),
      caseId: Uuid(),
      reference: Type.String(),
      repeat: Type.Boolean(),
      riskLevel: NullableString(),
      dashScore: Nullable(Type.Integer()),
      startsAt: IsoDateTime(),
      minutes: Type.Integer(),
      status: Type.String(),
    }),
  ),
});

export const ActionsQuery = Type.Object({
  status: Type.Optional(oneOf(['open', 'done', 'overdue'] as const)),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
});
