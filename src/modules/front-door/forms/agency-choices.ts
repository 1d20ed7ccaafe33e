import type { FastifyRequest } from 'fastify';

/** An agency a form offers to choose (a child's school or GP). */
export interface AgencyChoice {
  code: string;
  name: string;
  kind: string;
}

/** The agencies of every area the person works in, each once. */
export function agencyChoices(agenciesFor: (areaId: string) => Promise<AgencyChoice[]>) {
  return async (request: FastifyRequest): Promise<AgencyChoice[]> => {
    const areas = request.principal?.areaIds ?? [];
    const all = (await Promise.all(areas.map((a) => agenciesFor(a)))).flat();
    return [...new Map(all.map((a) => [a.code, a])).values()];
  };
}
