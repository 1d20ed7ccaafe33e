/** A one-line progress bar with rate and ETA on stderr (a line every 10% when stderr is not a terminal). */
export class ProgressBar {
  readonly #label: string;
  readonly #total: number;
  readonly #started = performance.now();
  readonly #stream: NodeJS.WriteStream;
  #lastDraw = 0;
  #lastDecile = -1;
  #enabled: boolean;

  constructor(
    label: string,
    total: number,
    options: { enabled?: boolean; stream?: NodeJS.WriteStream } = {},
  ) {
    this.#label = label;
    this.#total = Math.max(1, total);
    this.#stream = options.stream ?? process.stderr;
    this.#enabled = options.enabled ?? true;
  }

  update(done: number, note = ''): void {
    if (!this.#enabled) return;
    const now = performance.now();
    const fraction = Math.min(1, done / this.#total);
    if (this.#stream.isTTY) {
      if (now - this.#lastDraw < 200 && fraction < 1) return;
      this.#lastDraw = now;
      this.#stream.write(`\r${this.#line(done, fraction, now, note)}\x1b[K`);
    } else {
      const decile = Math.floor(fraction * 10);
      if (decile === this.#lastDecile) return;
      this.#lastDecile = decile;
      this.#stream.write(`${this.#line(done, fraction, now, note)}\n`);
    }
  }

  finish(note = ''): void {
    if (!this.#enabled) return;
    this.update(this.#total, note);
    if (this.#stream.isTTY) this.#stream.write('\n');
    this.#enabled = false;
  }

  #line(done: number, fraction: number, now: number, note: string): string {
    const width = 24;
    const filled = Math.round(fraction * width);
    const elapsed = (now - this.#started) / 1000;
    const rate = done / Math.max(elapsed, 0.001);
    const eta = fraction > 0 && fraction < 1 ? (elapsed / fraction) * (1 - fraction) : 0;
    return `${this.#label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${done.toLocaleString('en-GB')}/${this.#total.toLocaleString('en-GB')} · ${Math.round(rate).toLocaleString('en-GB')}/s · ${fraction < 1 ? `ETA ${formatDuration(eta)}` : `took ${formatDuration(elapsed)}`}${note ? ` · ${note}` : ''}`;
  }
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  if (m < 60) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
