import { globSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** The suite `npm test` runs: every unit and integration test file. */
const PATTERNS = ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'];

/**
 * The files that take longest (docs/performance.md, "Test suite time"). They start first: a long
 * file started last keeps one of the two slots busy after the other has run dry. Longest first.
 */
const SLOW_FIRST = [
  'test/integration/cli.test.ts',
  'test/integration/access-crawl.test.ts',
  'test/integration/audit.test.ts',
  'test/integration/audit-restart.test.ts',
];

/** Every test file, each once: the slow ones first, then the rest in name order. */
export function testFiles(): string[] {
  const all = PATTERNS.flatMap((pattern) => globSync(pattern, { cwd: ROOT })).sort();
  const slow = SLOW_FIRST.filter((file) => all.includes(file));
  return [...slow, ...all.filter((file) => !slow.includes(file))].map((file) => path.join(ROOT, file));
}

/**
 * Node keeps the code it compiled (TypeScript stripped, bytecode) here between runs, so the many
 * processes a run starts (a process per test file, the CLI's and the server's in the tests that
 * start them) do not each compile the same sources again. The cache is keyed by file content.
 */
export const COMPILE_CACHE = path.join(ROOT, 'node_modules', '.cache', 'harbour-node-compile');
