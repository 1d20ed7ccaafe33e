import type { DecisionOutcome } from '../../domain/chronology-event.ts';
import type { Rag } from '../../domain/clock.ts';
import type { ContactRoute, MatchOutcome, PersonRole } from './vocabulary.ts';

// The input shapes are TypeBox schemas (schemas.ts); their types are derived there, not written again.
export type * from './schemas.ts';

export type { PersonRole };

export interface MatchedPerson {
  role: PersonRole;
  position: number;
  personId: string;
  outcome: MatchOutcome;
}

export interface IntakeResult {
  contactId: string;
  reference: string;
  areaId: string;
  status: string;
  route: ContactRoute;
  people: MatchedPerson[];
  rag: Rag | null;
  receivedAt: string;
  screeningDueAt: string;
  decisionDueAt: string;
  duplicateOf: string | null;
  linkKind: 'duplicate' | 'joined' | null;
  /** A DAN's Operation Encompass notices, made in its transaction (docs/encompass.md). */
  encompassNotices?: { id: string; schoolAgencyId: string; dueBy: string }[];
}

export interface DecisionInput {
  levelOfNeed: string;
  outcome: DecisionOutcome;
  rationale: string;
  feedback: string;
  /** What the worker was shown beside the form (a fingerprint of the cumulative-risk summary). */
  riskSummarySeen?: Record<string, unknown> | null;
}
