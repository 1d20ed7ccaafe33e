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

type PanelLink = { href: string; text: string };
/** What says which panel it is, where it stands and who sees it: everything but its content. */
type PanelPlace = Omit<HomePanel, 'load'>;

/** A panel that always says the same thing: what the work is and where to find it. */
export function staticPanel(panel: PanelPlace & { summary: string; links: PanelLink[] }): HomePanel {
  const { summary, links, ...place } = panel;
  return { ...place, load: async () => ({ summary, links }) };
}

/**
 * A panel built from one read of the principal's work (counts, notices): the read is the module's
 * own, the summary and links are worked out from what it returned.
 */
export function readPanel<T>(
  panel: PanelPlace & {
    read(principal: Principal, request: FastifyRequest): Promise<T>;
    summary(value: T): string;
    links: PanelLink[] | ((value: T) => PanelLink[]);
  },
): HomePanel {
  const { read, summary, links, ...place } = panel;
  return {
    ...place,
    load: async (principal, request) => {
      const value = await read(principal, request);
      return { summary: summary(value), links: typeof links === 'function' ? links(value) : links };
    },
  };
}

/**
 * A panel that counts one kind of waiting work: `none` when there is nothing (it says what would
 * appear here), `some(n)` otherwise; without `none`, `some(0)` is shown.
 */
export function countPanel(
  panel: PanelPlace & {
    count(principal: Principal): Promise<number>;
    none?: string;
    some(n: number): string;
    links: PanelLink[] | ((n: number) => PanelLink[]);
  },
): HomePanel {
  const { count, none, some, ...rest } = panel;
  return readPanel({
    ...rest,
    read: (principal) => count(principal),
    summary: (n) => (n === 0 && none !== undefined ? none : some(n)),
  });
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
