import Type, { type Static } from 'typebox';
import { AGENCY_KINDS } from '../../domain/agency-kinds.ts';

/**
 * Strategy discussions (docs/strategy-discussions.md). The national minimum is children's social
 * care, police and health; a partnership may add kinds (a domestic abuse service). The outcome is
 * shared with every participant within outcomeDeadlineWorkingDays of being recorded; the initial
 * child protection conference is due within icpcWorkingDays of the last discussion deciding s47
 * with a conference (Working Together 2023: 15). Invitees' relationships with the children expire
 * accessGraceDays after the outcome is shared.
 */
export const StrategyDiscussionSettingsSchema = Type.Object(
  {
    minimumAgencyKinds: Type.Array(Type.Union(Object.keys(AGENCY_KINDS).map((k) => Type.Literal(k))), {
      default: ['childrens_social_care', 'police', 'community_health'],
      maxItems: 20,
    }),
    outcomeDeadlineWorkingDays: Type.Integer({ minimum: 0, maximum: 10, default: 1 }),
    icpcWorkingDays: Type.Integer({ minimum: 1, maximum: 30, default: 15 }),
    /** Days invited agencies keep sight of the children after the outcome is shared (their actions run on). */
    accessGraceDays: Type.Integer({ minimum: 0, maximum: 365, default: 28 }),
  },
  { additionalProperties: false, default: {} },
);

export type StrategyDiscussionSettings = Static<typeof StrategyDiscussionSettingsSchema>;
