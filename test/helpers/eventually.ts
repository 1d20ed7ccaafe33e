import assert from 'node:assert/strict';

/** Waits for work done by the job workers: polls `probe` until it gives a value, failing after 30 s. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
