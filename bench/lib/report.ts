import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Summary } from './stats.ts';

export type Status = 'measured' | 'not available yet' | 'not applicable' | 'failed';

export interface Target {
  text: string;
  p95Ms?: number;
  minThroughput?: number;
  /** HTTP throughput at least this fraction of the concurrent floor's. */
  minOfConcurrentFloor?: number;
}

export interface OperationResult {
  id: string;
  name: string;
  via: 'http' | 'in-process';
  status: Status;
  latency?: Summary;
  /** Operations per second (HTTP: 2xx responses per second under load; in-process: serial calls per second). */
  throughput?: number;
  concurrency?: number;
  errors?: number;
  floor?: {
    p50: number;
    p95: number;
    statements: number;
    /** The same statements replayed from many connections at once (bench/lib/floor.ts). */
    concurrent?: { connections: number; throughput: number; p50: number; p95: number };
  };
  /** Operation p50 over floor p50. */
  ratio?: number;
  /** HTTP throughput over the concurrent floor's throughput (1 = the database's own limit). */
  ofConcurrentFloor?: number;
  /** Two app processes' throughput over one's (the scale-out row). */
  scaleOut?: number;
  /** The machine's 1-minute load average when the operation's measurement ended (shared machine). */
  loadAverage?: number;
  target?: Target;
  met?: boolean;
  note?: string;
}

export function judge(input: OperationResult): OperationResult {
  const result = { ...input, loadAverage: os.loadavg()[0]! };
  if (result.status !== 'measured' || !result.target || !result.latency) return result;
  let met = true;
  if (result.target.p95Ms !== undefined) met &&= result.latency.p95 < result.target.p95Ms;
  if (result.target.minThroughput !== undefined)
    met &&= (result.throughput ?? 0) >= result.target.minThroughput;
  if (result.target.minOfConcurrentFloor !== undefined && result.via === 'http')
    met &&= (result.ofConcurrentFloor ?? 0) >= result.target.minOfConcurrentFloor;
  return { ...result, met };
}

const ms = (n: number | undefined) =>
  n === undefined || Number.isNaN(n) ? '' : n < 10 ? n.toFixed(2) : n.toFixed(1);

export function table(results: readonly OperationResult[]): string {
  const header = [
    'operation',
    'via',
    'n',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'ops/s',
    'floor p50',
    'x floor',
    'floor c/s',
    '% of c floor',
    'load',
    'target',
    'met',
  ];
  const rows = results.map((r) =>
    r.status !== 'measured'
      ? [r.name, r.via, '', '', '', '', '', '', '', '', '', '', r.target?.text ?? '', r.status]
      : [
          r.name,
          r.via + (r.concurrency ? ` c${r.concurrency}` : ''),
          String(r.latency?.n ?? ''),
          ms(r.latency?.p50),
          ms(r.latency?.p95),
          ms(r.latency?.p99),
          r.throughput === undefined ? '' : r.throughput.toFixed(r.throughput < 10 ? 1 : 0),
          ms(r.floor?.p50),
          r.ratio === undefined ? '' : r.ratio.toFixed(1),
          r.floor?.concurrent
            ? `${r.floor.concurrent.throughput.toFixed(r.floor.concurrent.throughput < 10 ? 1 : 0)} c${r.floor.concurrent.connections}`
            : '',
          r.ofConcurrentFloor === undefined ? '' : `${(r.ofConcurrentFloor * 100).toFixed(0)}%`,
          r.loadAverage === undefined ? '' : r.loadAverage.toFixed(1),
          r.target?.text ?? '',
          r.met === undefined ? '' : r.met ? 'yes' : 'NO',
        ],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cpus: cpus.length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    /** Other work on the machine skews every figure; this is the 1-minute load average when the run ended. */
    loadAverage: os.loadavg()[0]!,
  };
}

export function writeResults(root: string, backend: string, variant: string, document: object): string {
  const dir = path.join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const date = new Date().toISOString().slice(0, 10);
  const file = path.join(dir, `${date}-${backend}${variant}.json`);
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  return file;
}
