import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { QueueResult } from 'pg-boss';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { unsealedAuditCount } from './audit-sealer.ts';
import type { Deps } from './deps.ts';

/**
 * Prometheus metrics (decision 0012). Labels are route templates (`/people/:id`), methods and status
 * codes, never a URL as requested, so no identifier or search term reaches the metrics. The
 * database-backed gauges (job queues, unsealed audit rows) are read when Prometheus scrapes, not
 * on every request. One registry per app, so several apps in one process (tests) stay apart.
 */
export function registerMetrics(app: FastifyInstance, deps: Deps): void {
  const token = deps.config.metricsToken;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'harbour_' });

  const requests = new Counter({
    name: 'harbour_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'harbour_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route template.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  new Gauge({
    name: 'harbour_audit_unsealed_rows',
    help: 'Committed audit events the sealer has not chained yet (decision 0009).',
    registers: [registry],
    async collect() {
      this.set(await unsealedAuditCount(deps.db));
    },
  });
  const queueState = ['ready', 'deferred', 'active', 'failed'] as const;
  new Gauge({
    name: 'harbour_job_queue_jobs',
    help: 'Jobs held by each queue, by state (ready to run, deferred, active, failed and retained).',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      if (!deps.jobs) return;
      for (const queue of await deps.jobs.boss.getQueues()) {
        const counts = {
          ready: queue.readyCount,
          deferred: queue.deferredCount,
          active: queue.activeCount,
          failed: queue.failedCount,
        };
        for (const state of queueState) this.set({ queue: queue.name, state }, counts[state] ?? 0);
      }
    },
  });
  /** A gauge of one count summed over every queue (0 where the process runs no jobs). */
  const acrossQueues = (name: string, help: string, countOf: (queue: QueueResult) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        if (!deps.jobs) return this.set(0);
        const queues = await deps.jobs.boss.getQueues();
        this.set(queues.reduce((sum, q) => sum + countOf(q), 0));
      },
    });
  acrossQueues(
    'harbour_job_backlog',
    'Jobs waiting to run across every queue (the outbox of notifications, clocks and reminders).',
    (q) => (q.readyCount ?? 0) + (q.deferredCount ?? 0),
  );
  acrossQueues(
    'harbour_job_failures_recent',
    'Jobs that failed terminally in the latest window pg-boss counted, across every queue.',
    (q) => q.failedDelta ?? 0,
  );

  app.addHook('onResponse', async (request, reply) => {
    const route = request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched');
    if (route === '/metrics') return;
    requests.inc({ method: request.method, route, status_code: String(reply.statusCode) });
    latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { schema: { hide: true } }, async (request: FastifyRequest, reply: FastifyReply) => {
    // Off unless a token is configured: the numbers describe the service, so they are not public.
    if (!token) return reply.code(404).type('text/plain').send('Not found');
    if (!bearerMatches(request.headers.authorization, token)) {
      reply.header('WWW-Authenticate', 'Bearer');
      return reply.code(401).type('text/plain').send('A bearer token is required.');
    }
    reply.type(registry.contentType);
    return registry.metrics();
  });
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]!);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
