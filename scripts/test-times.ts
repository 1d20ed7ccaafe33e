/**
 * Where the suite's time goes: runs each file of `npm test`, in the same order and two at a time,
 * as a `node --test` process of its own and reports per file its wall time and the CPU time of
 * it and every process it started (the CLI and server processes some tests start), slowest first.
 * A loaded machine stretches wall time; CPU seconds compare between runs (docs/performance.md).
 *
 *   node scripts/test-times.ts [--top N] [name-filter ...]
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { COMPILE_CACHE, ROOT, testFiles } from './test/files.ts';

interface Timing {
  file: string;
  wallSeconds: number;
  cpuSeconds: number;
  passed: boolean;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' }, concurrency: { type: 'string', default: '2' } },
});
process.env.NODE_COMPILE_CACHE ??= COMPILE_CACHE;

/** `times` (POSIX sh) prints the shell's and then its children's user and system time. */
const SCRIPT = '"$0" --test --test-reporter=dot "$1" > /dev/null 2>&1; s=$?; times; exit $s';

function seconds(text: string): number {
  const m = /(\d+)m([\d.]+)s/.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
}

function timed(file: string): Promise<Timing> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', SCRIPT, process.execPath, file], { cwd: ROOT, stdio: 'pipe' });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const children = out.trim().split('\n').at(-1) ?? '';
      const [user = '', system = ''] = children.split(/\s+/);
      resolve({
        file: path.relative(ROOT, file),
        wallSeconds: (performance.now() - started) / 1000,
        cpuSeconds: seconds(user) + seconds(system),
        passed: code === 0,
      });
    });
  });
}

const files = testFiles().filter((f) => positionals.length === 0 || positionals.some((p) => f.includes(p)));
const queue = [...files];
const timings: Timing[] = [];
const load = loadavg();
const started = performance.now();
await Promise.all(
  Array.from({ length: Number(values.concurrency) }, async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      const timing = await timed(file);
      timings.push(timing);
      console.error(`${timing.passed ? 'ok  ' : 'FAIL'} ${timing.wallSeconds.toFixed(1)} s ${timing.file}`);
    }
  }),
);
const wall = (performance.now() - started) / 1000;
const sum = (list: Timing[], key: 'wallSeconds' | 'cpuSeconds') => list.reduce((n, t) => n + t[key], 0);
const top = timings.sort((a, b) => b.wallSeconds - a.wallSeconds).slice(0, Number(values.top));
console.log('| file | wall s | CPU s |\n|---|---|---|');
for (const t of top)
  console.log(
    `| ${t.file}${t.passed ? '' : ' (FAILED)'} | ${t.wallSeconds.toFixed(1)} | ${t.cpuSeconds.toFixed(1)} |`,
  );
console.log(
  `\n${files.length} files in ${wall.toFixed(0)} s wall; the top ${top.length}: ${sum(top, 'wallSeconds').toFixed(0)} s wall, ` +
    `${sum(top, 'cpuSeconds').toFixed(0)} s CPU; all: ${sum(timings, 'cpuSeconds').toFixed(0)} s CPU. ` +
    `Load average (1, 5, 15 min) at start ${load.map((l) => l.toFixed(1)).join(', ')}, ` +
    `at end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(', ')}. ${timings.filter((t) => !t.passed).length} failed.`,
);
if (timings.some((t) => !t.passed)) process.exitCode = 1;
