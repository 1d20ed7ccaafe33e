import { type Action, grantedScopes } from '../access.ts';
import type { Principal } from '../principal.ts';

export interface NavigationItem {
  href: string;
  text: string;
  /** Shown only to principals who may do this. */
  action?: Action;
}

/** Modules add their entry points here when they register routes. */
const items: NavigationItem[] = [{ href: '/', text: 'Home' }];

export function addNavigationItem(item: NavigationItem): void {
  if (!items.some((existing) => existing.href === item.href)) items.push(item);
}

export function navigationFor(principal: Principal | null, currentPath: string) {
  if (!principal) return [];
  return items
    .filter((item) => !item.action || grantedScopes(principal, item.action).length > 0)
    .map((item) => ({
      href: item.href,
      text: item.text,
      active: item.href === '/' ? currentPath === '/' : currentPath.startsWith(item.href),
    }));
}
