import type { FastifyRequest } from 'fastify';
import { type Action, grantedScopes } from '../access.ts';
import type { Principal } from '../principal.ts';

/** A block of work on someone's home page, contributed by the module that owns that work. */
export interface HomePanel {
  id: string;
  title: string;
  action: Action;
  /**
   * Order on the page: lower first. A function where the same work comes first for one kind of
   * agency and not another (a school's Encompass notices before its enquiries; a MASH's queue first).
   */
  order: number | ((principal: Principal) => number);
  load(
    principal: Principal,
    request: FastifyRequest,
  ): Promise<{ summary: string; links: { href: string; text: string }[] }>;
}

const panels: HomePanel[] = [];

export function addHomePanel(panel: HomePanel): void {
  if (!panels.some((p) => p.id === panel.id)) panels.push(panel);
}

export async function homePanelsFor(principal: Principal, request: FastifyRequest) {
  const visible = panels
    .filter((panel) => grantedScopes(principal, panel.action).length > 0)
    .map((panel) => ({
      panel,
      order: typeof panel.order === 'number' ? panel.order : panel.order(principal),
    }))
    .sort((a, b) => a.order - b.order)
    .map(({ panel }) => panel);
  return Promise.all(
    visible.map(async (panel) => ({ title: panel.title, ...(await panel.load(principal, request)) })),
  );
}
