import type { AuditContext } from '../../src/platform/audit.ts';
import type { Services } from '../../src/services.ts';
import { contextOf } from './deps.ts';

/** Seeded demo users (src/modules/demo/partnership.ts) that tests act as, by what tests call them. */
export const SEEDED_USERS = {
  frontDoor: 'front.door@harbour.example',
  manager: 'mash.manager@harbour.example',
  police: 'police.officer@harbour.example',
  school: 'school.dsl@harbour.example',
  socialWorker: 'social.worker@harbour.example',
  admin: 'admin@harbour.example',
} as const;

export type SeededUser = keyof typeof SEEDED_USERS;

/** The audit contexts of the named seeded users, as the services see signed-in requests by them. */
export async function seededContexts<Name extends SeededUser>(
  directory: Services['directory'],
  names: readonly Name[],
): Promise<Record<Name, AuditContext>> {
  const contexts = {} as Record<Name, AuditContext>;
  for (const name of names) contexts[name] = await contextOf(directory, SEEDED_USERS[name]);
  return contexts;
}
