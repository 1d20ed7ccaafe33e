import type { FastifyRequest } from 'fastify';
import { decide } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import { auditContext } from '../../platform/http/context.ts';
import { chronologyService } from '../chronology/service.ts';
import { peopleService } from '../people/service.ts';
import { presentSummary } from './present.ts';
import { riskService } from './service.ts';

/**
 * What the person page shows about chronology and risk (risk/views/person-panel.njk): links the
 * principal may follow and, for a child, the cumulative-risk level — only where the policy allows.
 */
export async function riskPanelFor(deps: Deps, request: FastifyRequest, personId: string) {
  const principal = request.principal;
  if (!principal) return null;
  const people = peopleService(deps);
  const [person] = await people.peopleByIds([personId]);
  if (!person) return null;
  const resource = (await people.accessResources([personId])).get(personId)!;
  const allowed = (action: Parameters<typeof decide>[1]) => decide(principal, action, resource).allowed;
  const mayViewRisk = person.kind !== 'adult' && allowed('risk:view');
  const summary = mayViewRisk ? await riskService(deps).summaryFor(auditContext(request), personId) : null;
  const eventCount = allowed('chronology:view') ? await chronologyService(deps).eventCount(personId) : 0;
  return {
    personId,
    mayViewChronology: allowed('chronology:view'),
    mayRecord: allowed('chronology:record'),
    mayAssess: person.kind === 'adult' && allowed('risk-assessment:create'),
    eventCount,
    risk: summary ? presentSummary(summary) : null,
  };
}
