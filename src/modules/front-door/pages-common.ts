import type { Deps } from '../../platform/deps.ts';
import { pagesOf as pagesOfSize } from '../../platform/http/page-counts.ts';
import type { ContactRecord } from './contact-record.ts';
import type { FrontDoorService } from './service.ts';
import {
  CONCERNS,
  CONTACT_SOURCES,
  DASH_STATUSES,
  EARLY_HELP_RESPONSES,
  MATCH_OUTCOME_LABELS,
  OUTCOMES,
  RAG_LABELS,
  REPORTED_BY,
  ROLE_LABELS,
  ROUTE_LABELS,
  STATUS_LABELS,
} from './vocabulary.ts';

/** What every front-door page shares: the page size, the id in its path, the value lists' labels. */
export const PAGE_SIZE = 25;
export { Id } from '../../platform/http/schemas/atoms.ts';

export const VOCABULARY = {
  concerns: CONCERNS,
  sources: CONTACT_SOURCES,
  outcomes: OUTCOMES,
  rags: RAG_LABELS,
  routes: ROUTE_LABELS,
  statuses: STATUS_LABELS,
  roles: ROLE_LABELS,
  matchOutcomes: MATCH_OUTCOME_LABELS,
  dashStatuses: DASH_STATUSES,
  earlyHelpResponses: EARLY_HELP_RESPONSES,
  reportedBy: REPORTED_BY,
};

/** How many pages a front-door listing has, at the front door's page size. */
export const pagesOf = (total: number) => pagesOfSize(total, PAGE_SIZE);

// The front-door pages take their one-off message the way every other page does.
export { takeFlash } from '../../platform/http/flash.ts';

/** What each sub-capability's page routes are built from. */
export interface PageContext {
  deps: Deps;
  service: FrontDoorService;
  record: ContactRecord;
}
