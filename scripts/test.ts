/**
 * `npm test`: the unit and integration suite through Node's test runner, two files at a time (a
 * process each), the slowest files started first. `node --test` sorts the files it is given by
 * name, which starts the longest ones late; this runs the same files in the order chosen.
 *
 *   npm test [-- --test-reporter=spec|tap|dot|./my-reporter.mjs]
 */
import path from 'node:path';
import type { Readable, Transform } from 'node:stream';
import { run } from 'node:test';
import { dot, spec, tap } from 'node:test/reporters';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { COMPILE_CACHE, testFiles } from './test/files.ts';

type Reporter = Transform | ((source: AsyncGenerator<unknown>) => AsyncGenerator<unknown>);

async function reporterNamed(name: string): Promise<Reporter> {
  if (name === 'spec') return new spec();
  if (name === 'tap') return tap as Reporter;
  if (name === 'dot') return dot as Reporter;
  const module = await import(pathToFileURL(path.resolve(name)).href);
  return module.default as Reporter;
}

const { values } = parseArgs({ options: { 'test-reporter': { type: 'string', default: 'spec' } } });
const reporter = await reporterNamed(values['test-reporter']);

// Inherited by every process the run starts: the test files and the processes they start.
process.env.NODE_COMPILE_CACHE ??= COMPILE_CACHE;

const stream: Readable = run({ files: testFiles(), concurrency: 2 }).on('test:fail', () => {
  process.exitCode = 1;
});
stream.compose(reporter).pipe(process.stdout);
