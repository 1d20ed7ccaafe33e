import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** A port nothing listens on now, for a server a test starts itself. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Starts the real server (`src/main.ts`) in its own process, as `npm start` does, with `env` over
 * the development settings, and waits until /healthz answers; a free port unless `env` names one.
 */
export async function spawnHarbour(
  env: Record<string, string>,
  startWithinSeconds: number,
): Promise<{ url: string; child: ChildProcess }> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, 'src', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + startWithinSeconds * 1000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Harbour exited early:\n${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, child };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`Harbour did not start within ${startWithinSeconds} s:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
