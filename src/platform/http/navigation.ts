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
  const visible = items.filter((item) => !item.action || grantedScopes(principal, item.action).length > 0);
  // One item is current: the longest that the path is at or under (/front-door/manager is
  // "Oversight", not "Front door" as well).
  const under = (href: string) =>
    href === '/' ? currentPath === '/' : currentPath === href || currentPath.startsWith(`${href}/`);
  const current = visible
    .filter((item) => under(item.href))
    .sort((a, b) => b.href.length - a.href.length)[0]?.href;
  return visible.map((item) => ({ href: item.href, text: item.text, active: item.href === current }));
}
