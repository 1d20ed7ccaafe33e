import type { Trx } from '../../../db/database.ts';
import type { Principal } from '../../../platform/principal.ts';
import * as repo from '../repository.ts';
import type { IntakeResult } from '../types.ts';
import { OPEN_STATUSES } from '../vocabulary.ts';
import type { Submission } from './submission.ts';

export type Original = NonNullable<Awaited<ReturnType<typeof repo.findOriginal>>>;
export type Link = { kind: NonNullable<IntakeResult['linkKind']>; to: Original } | null;

const isOpen = (status: string) => (OPEN_STATUSES as readonly string[]).includes(status);

/**
 * Step 3 (F8): the first contact about the same incident. A repeated DAN is a duplicate of it; a
 * referral about an incident still being worked joins it; otherwise the contact stands alone.
 */
export async function linkToOriginal(
  trx: Trx,
  submission: Submission,
  principal: Principal,
  childIds: string[],
): Promise<Link> {
  const original = await repo.findOriginal(trx, {
    incidentRef: submission.incidentRef,
    sourceAgencyId: principal.agencyId,
    incidentDate: submission.incidentDate,
    childIds,
  });
  if (!original) return null;
  if (submission.kind === 'dan') return { kind: 'duplicate', to: original };
  if (isOpen(original.status)) return { kind: 'joined', to: original };
  return null;
}

/** A contact's status as it arrives. */
export const arrivalStatus = (link: Link) =>
  link?.kind === 'duplicate' ? 'duplicate' : link?.kind === 'joined' ? 'joined' : 'screening';
