import type { Deps } from '../../platform/deps.ts';
import { acknowledgementPart } from './acknowledgement.ts';
import { calendarPart } from './calendar.ts';
import { episodesPart } from './episodes.ts';
import { escalationPart } from './escalation.ts';
import { encompassKernel } from './kernel.ts';
import { noticesPart } from './notices.ts';
import { reportPart } from './report.ts';
import { reviewPart } from './review.ts';
import { schoolsPart } from './schools.ts';
import type { EncompassCollaborators } from './types.ts';

export {
  type AcknowledgementInput,
  type CreatedNotice,
  type DanChildForNotice,
  type DanForNotices,
  ENCOMPASS_ESCALATION_QUEUE,
  ENCOMPASS_RELEASE_QUEUE,
  type EncompassCollaborators,
  type EncompassOutbox,
  type EncompassOutboxMessage,
  type EpisodeInput,
  type NoticeRow,
} from './types.ts';

/**
 * Operation Encompass (docs/encompass.md), built once by the composition root from its parts:
 * notices, acknowledgement, officer review, escalation, custody and missing episodes, the
 * report, the schools directory and the school calendar. They share one kernel (kernel.ts).
 */
export function encompassService(deps: Deps, collaborators: EncompassCollaborators) {
  const kernel = encompassKernel(deps, collaborators);
  const notices = noticesPart(kernel);
  return {
    ...notices.service,
    ...acknowledgementPart(kernel),
    ...reviewPart(kernel),
    ...escalationPart(kernel),
    ...episodesPart(kernel, notices),
    ...reportPart(kernel),
    ...schoolsPart(kernel),
    ...calendarPart(kernel),
  };
}

export type EncompassService = ReturnType<typeof encompassService>;
