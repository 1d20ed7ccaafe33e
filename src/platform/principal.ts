import type { AgencyKind, Role } from './roles.ts';

/** Whoever is acting: a signed-in person, a partner system holding an API key, the CLI, or Harbour itself. */
export interface Principal {
  userId: string | null;
  name: string;
  agencyId: string | null;
  agencyCode: string | null;
  agencyName: string | null;
  agencyKind: AgencyKind | null;
  /** Areas the principal's agency serves; case data outside them is out of reach. */
  areaIds: string[];
  roles: Role[];
  channel: 'web' | 'api' | 'cli' | 'system';
}

export const SYSTEM_PRINCIPAL: Principal = {
  userId: null,
  name: 'Harbour',
  agencyId: null,
  agencyCode: null,
  agencyName: null,
  agencyKind: null,
  areaIds: [],
  roles: [],
  channel: 'system',
};

export function cliPrincipal(operator: string): Principal {
  return { ...SYSTEM_PRINCIPAL, name: `CLI (${operator})`, channel: 'cli' };
}
