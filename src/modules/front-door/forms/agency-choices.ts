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

/** For a check page: an agency's name from the code a page stored (the code itself if unknown). */
export function agencyLabeller(agencies: readonly AgencyChoice[]) {
  const names = new Map(agencies.map((a) => [a.code, a.name]));
  return (code: string | undefined) => (code ? (names.get(code) ?? code) : '');
}

/** A select's items: "not known" first, then the agencies of the given kinds, the chosen one selected. */
export function agencyItems(
  agencies: readonly AgencyChoice[],
  kinds: readonly string[],
  selected: string | undefined,
  notKnown: string,
) {
  return [
    { value: '', text: notKnown },
    ...agencies
      .filter((a) => kinds.includes(a.kind))
      .map((a) => ({ value: a.code, text: a.name, selected: a.code === selected })),
  ];
}
