/**
 * HTTP load against real app processes: `src/main.ts` started as child processes on 127.0.0.1,
 * driven by autocannon with a fixed number of connections for a fixed time. Latency is taken from
 * every response (autocannon's own summary has no p95).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import autocannon, { type Request } from 'autocannon';
import { DEMO_PASSWORD } from '../../src/modules/demo/partnership.ts';
import { ROOT } from './dataset.ts';
import { type Summary, summarise } from './stats.ts';

export interface AppProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** A port nothing is listening on now (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Starts the app as an operator would (node src/main.ts) on a free port, and waits for /healthz. */
export async function startApp(env: Record<string, string>): Promise<AppProcess> {
  const port = await freePort();
  // BENCH_APP_NODE_ARGS passes flags to the app's node alone, e.g. "--cpu-prof --cpu-prof-dir=profiles"
  // to profile it under load (NODE_OPTIONS refuses --cpu-prof, and would profile the bench too).
  const nodeArgs = process.env.BENCH_APP_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, 'src', 'main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      // A benchmark measures capacity, not the API rate limit that would otherwise answer 429.
      HARBOUR_PARTNERSHIP_FILE: path.join(ROOT, 'bench', 'partnership.json'),
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      HARBOUR_DEMO: '0',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (!stopping)
      process.stderr.write(
        `The app on port ${port} exited (${code ?? signal}) during the run:\n${output.slice(-4000)}\n`,
      );
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The app exited while starting:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`The app did not answer /healthz within 120 s:\n${output}`);
    }
  }
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Signs a demo user in through the real form (CSRF token and all) and returns the session cookie. */
export async function signIn(url: string, email: string): Promise<string> {
  const form = await fetch(`${url}/sign-in`);
  const cookies = (form.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]!);
  const html = await form.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!csrf) throw new Error('No CSRF token on the sign-in page');
  const response = await fetch(`${url}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.join('; ') },
    body: new URLSearchParams({ email, password: DEMO_PASSWORD, _csrf: csrf }).toString(),
  });
  const session = (response.headers.getSetCookie?.() ?? [])
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('harbour_session='));
  if (response.status !== 303 && response.status !== 302)
    throw new Error(`Sign-in as ${email} answered ${response.status}`);
  // A second step (MFA enrolment or a code) would leave the session unable to reach any page, and
  // every measured request would be a redirect: the bench's partnership file turns MFA off.
  const next = response.headers.get('location') ?? '';
  if (next.startsWith('/sign-in')) throw new Error(`Sign-in as ${email} stopped at ${next}`);
  return session ?? cookies.find((c) => c.startsWith('harbour_session=')) ?? '';
}

export interface LoadResult {
  summary: Summary;
  /** Completed 2xx responses per second. */
  throughput: number;
  requests: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
  seconds: number;
}

export interface LoadOptions {
  urls: string[];
  connections: number;
  seconds: number;
  headers: Record<string, string>;
  /** A request per call (method, path, body); called for every request sent. */
  next: () => Request;
}

/** Runs one autocannon per URL at once (a load balancer's even split), connections shared between them. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let ok = 0;
  const perUrl = Math.max(1, Math.round(options.connections / options.urls.length));
  const started = performance.now();
  const runs = options.urls.map(
    (url) =>
      new Promise<{ non2xx: number; errors: number }>((resolve, reject) => {
        const instance = autocannon(
          {
            url,
            connections: perUrl,
            duration: options.seconds,
            timeout: 30,
            headers: options.headers,
            requests: [{ setupRequest: (request) => ({ ...request, ...options.next() }) }],
          },
          (error, result) =>
            error ? reject(error) : resolve({ non2xx: result.non2xx, errors: result.errors }),
        );
        instance.on(
          'response',
          (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
            statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
            if (statusCode >= 200 && statusCode < 300) {
              ok++;
              latencies.push(responseTime);
            }
          },
        );
      }),
  );
  const results = await Promise.all(runs);
  const seconds = (performance.now() - started) / 1000;
  return {
    summary: summarise(latencies),
    throughput: ok / seconds,
    requests: Object.values(statusCodes).reduce((a, b) => a + b, 0),
    non2xx: results.reduce((a, r) => a + r.non2xx, 0),
    errors: results.reduce((a, r) => a + r.errors, 0),
    statusCodes,
    seconds,
  };
}
