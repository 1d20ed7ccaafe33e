/** Latency summaries: exact percentiles over every sample (no histogram buckets). */
export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function summarise(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    mean: sorted.length ? sum / sorted.length : Number.NaN,
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
  };
}

/**
 * Runs `fn` up to `warmup` times unmeasured, then `iterations` times one after another, timing each call.
 * Serial on purpose: these are latencies of one call with the database to itself.
 */
export async function timeSerial(
  fn: (i: number) => Promise<unknown>,
  options: { warmup: number; iterations: number; maxSeconds: number },
): Promise<{ summary: Summary; seconds: number }> {
  // Warm-up is bounded by time too: a slow operation needs fewer rounds to be warm.
  const warmupEnds = performance.now() + (options.maxSeconds * 1000) / 3;
  for (let i = 0; i < options.warmup && (i < 2 || performance.now() < warmupEnds); i++) await fn(i);
  const samples: number[] = [];
  const started = performance.now();
  const deadline = started + options.maxSeconds * 1000;
  for (let i = 0; i < options.iterations; i++) {
    const t0 = performance.now();
    await fn(options.warmup + i);
    samples.push(performance.now() - t0);
    if (performance.now() > deadline && samples.length >= 5) break;
  }
  return { summary: summarise(samples), seconds: (performance.now() - started) / 1000 };
}
