/** Rules about a new MARAC referral that need no I/O: repeat, already open, missing information. */
import { DateTime } from 'luxon';
import { TIME_ZONE } from '../time-zone.ts';

export const REFERRAL_CRITERIA = [
  'visible-high-risk',
  'professional-judgement',
  'potential-escalation',
  'repeat',
] as const;
export type ReferralCriterion = (typeof REFERRAL_CRITERIA)[number];

export interface EarlierReferral {
  id: string;
  referredAt: Date;
  /** Still open: not yet closed (referred, listed or discussed with actions open). */
  open: boolean;
}

export interface ReferralHistory {
  /** The last referral of the same victim within the window, from any agency: a repeat. */
  repeatOf: string | null;
  /** A referral of the same victim still open: the new one duplicates it. */
  duplicateOf: string | null;
}

/**
 * SafeLives' repeat: the same victim referred again within `windowMonths` of her last referral,
 * whichever agency referred either time. Calendar months in the partnership's zone.
 */
export function referralHistory(
  earlier: readonly EarlierReferral[],
  at: Date,
  windowMonths: number,
): ReferralHistory {
  const before = earlier
    .filter((r) => r.referredAt.getTime() <= at.getTime())
    .sort((a, b) => b.referredAt.getTime() - a.referredAt.getTime());
  const last = before[0];
  const within =
    last !== undefined &&
    DateTime.fromJSDate(last.referredAt, { zone: TIME_ZONE }).plus({ months: windowMonths }).toMillis() >=
      at.getTime();
  return {
    repeatOf: within ? last.id : null,
    duplicateOf: before.find((r) => r.open)?.id ?? null,
  };
}

export interface ReferralFacts {
  forum: 'marac' | 'panel';
  criterion: string;
  dashScore: number | null;
  hasAssessment: boolean;
  childCount: number;
  perpetratorCount: number;
  consent: 'given' | 'not-given';
  sharingReason: string | null;
}

/** What the coordinator must chase before the case can be heard (the queue's "missing information"). */
export function missingInformation(facts: ReferralFacts): string[] {
  const missing: string[] = [];
  if (!facts.hasAssessment && facts.dashScore === null) missing.push('DASH risk assessment');
  if (facts.perpetratorCount === 0) missing.push('perpetrator');
  if (facts.consent === 'not-given' && !facts.sharingReason)
    missing.push('reason for sharing without consent');
  return missing;
}
