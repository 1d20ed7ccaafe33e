import type { FastifyInstance } from 'fastify';
import { ping } from '../db/database.ts';
import type { Deps } from './deps.ts';

type Check = 'ok' | 'failing' | 'not running';

/**
 * `/readyz` (decision 0012): whether this instance should be sent traffic. It answers 503 while the
 * database cannot be queried or the job runner (clocks, reminders, the outbox) is not running, so a
 * load balancer drains an instance that would accept work it cannot finish. `/healthz` stays the
 * liveness check. Neither says anything about case data, and neither needs signing in.
 */
export function registerReadiness(app: FastifyInstance, deps: Deps): void {
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const checks: { database: Check; jobs: Check } = { database: 'ok', jobs: 'ok' };
    try {
      await ping(deps.db);
    } catch {
      checks.database = 'failing';
    }
    if (!deps.jobs) checks.jobs = 'not running';
    else {
      try {
        if (!(await deps.jobs.boss.isInstalled())) checks.jobs = 'failing';
      } catch {
        checks.jobs = 'failing';
      }
    }
    const ready = checks.database === 'ok' && checks.jobs === 'ok';
    reply.code(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not ready', checks };
  });
}
