import type { Trx } from '../../db/database.ts';
import type { AuditContext } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { chronologyService, type NewChronologyEvent } from '../chronology/service.ts';
import { type NewPerson, peopleService } from '../people/service.ts';

/**
 * Everything the front door asks of other capabilities, in one place: identity resolution
 * (people), chronology writes, and the risk engine. Each goes through that module's service.
 */
export interface Resolution {
  personId: string;
  outcome: 'linked' | 'new' | 'review';
  score?: number;
}

/** A cumulative-risk summary as shown beside a decision; `id` is what the decision records. */
export interface RiskSummaryView {
  id: string;
  childId: string;
  level?: string;
  [key: string]: unknown;
}

export function integrations(deps: Deps) {
  const people = peopleService(deps);
  const chronology = chronologyService(deps);

  return {
    /** Matches a person named in a submission against the index: linked, new, or new and queued for review. */
    async resolvePerson(trx: Trx, context: AuditContext, input: NewPerson): Promise<Resolution> {
      const result = await people.resolvePerson(trx, context, input);
      return {
        personId: result.personId,
        outcome: result.outcome,
        ...(result.score !== undefined ? { score: result.score } : {}),
      };
    },

    recordChronology(trx: Trx, context: AuditContext, events: NewChronologyEvent[]) {
      return chronology.record(trx, context, events);
    },

    /** A DAN whose DASH is to follow: the risk module chases it (F10). */
    async expectAssessment(
      _trx: Trx,
      _context: AuditContext,
      _input: {
        contactId: string;
        areaId: string;
        victimId: string;
        incidentRef: string;
        awaitedSince: Date;
      },
    ): Promise<void> {},

    async riskSummaryFor(_context: AuditContext, _childId: string): Promise<RiskSummaryView | null> {
      return null;
    },

    async openReviewTasks(
      _context: AuditContext,
      _areaId: string,
    ): Promise<{ childId: string; reason: string }[]> {
      return [];
    },
  };
}

export type Integrations = ReturnType<typeof integrations>;
