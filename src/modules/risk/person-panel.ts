import type { FastifyRequest } from 'fastify';
import { decide } from '../../platform/access.ts';
import { auditContext } from '../../platform/http/context.ts';
import type { ChronologyService } from '../chronology/service.ts';
import { presentSummary } from './present.ts';
import type { PersonAccessFacts, RiskService } from './service.ts';

/**
 * What the person page shows about chronology and risk (risk/views/person-panel.njk): links the
 * principal may follow and, for a child, the cumulative-risk level — only where the policy allows.
 * The page has already read the person and their access facts; they are passed in, not read again.
 */
export function riskPanel({ risk, chronology }: { risk: RiskService; chronology: ChronologyService }) {
  return async (request: FastifyRequest, known: PersonAccessFacts) => {
    const principal = request.principal;
    if (!principal) return null;
    const { person, resource } = known;
    const personId = person.id;
    const allowed = (action: Parameters<typeof decide>[1]) => decide(principal, action, resource).allowed;
    const mayViewRisk = person.kind !== 'adult' && allowed('risk:view');
    const summary = mayViewRisk ? await risk.summaryFor(auditContext(request), personId, known) : null;
    const eventCount = allowed('chronology:view') ? await chronology.eventCount(personId) : 0;
    return {
      personId,
      mayViewChronology: allowed('chronology:view'),
      mayRecord: allowed('chronology:record'),
      mayAssess: person.kind === 'adult' && allowed('risk-assessment:create'),
      eventCount,
      risk: summary ? presentSummary(summary) : null,
    };
  };
}

export type RiskPanel = ReturnType<typeof riskPanel>;
