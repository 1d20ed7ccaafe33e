import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { spawnHarbour } from './server-process.ts';

/** Re-exported for the end-to-end tests that choose a port before the server starts. */
export { freePort } from './server-process.ts';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export interface RunningHarbour {
  url: string;
  stop(): Promise<void>;
}

/** Starts Harbour as `npm start` does (its own process, fresh data dir, demo seeded) and waits for /healthz. */
export async function startHarbour(env: Record<string, string> = {}): Promise<RunningHarbour> {
  // A caller that must know the address first (to register it with a test identity provider) sets
  // PORT, and the server is started on it.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'harbour-e2e-'));
  const { url, child } = await spawnHarbour({ HARBOUR_DATA_DIR: dataDir, ...env }, 180);
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      // The server gives itself 10 s to stop; never let a test run hang on it beyond that.
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Runs axe on the page as it is now and returns its violations, described for a readable failure. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  // Two best-practice rules the issue found on every page: content outside landmarks, and two
  // landmarks with one name. axe runs either tags or named rules, so these run on their own.
  const landmarks = await new AxeBuilder({ page }).withRules(['region', 'landmark-unique']).analyze();
  return [...results.violations, ...landmarks.violations].map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}
