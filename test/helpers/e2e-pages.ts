import type { Page } from 'playwright-core';
import { harbour, signedInPage } from './e2e-session.ts';

/**
 * A page in a context of its own, signed in as the demo account, at `path` once its heading shows:
 * where a browser test's journey starts.
 */
export async function openAs(email: string, path: string, heading: string): Promise<Page> {
  const page = await signedInPage(email);
  await page.goto(`${harbour.url}${path}`);
  await page.getByRole('heading', { name: heading }).waitFor();
  return page;
}
