import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Deps } from '../../platform/deps.ts';
import { chronologyApi } from '../chronology/api.ts';
import { chronologyRoutes } from '../chronology/routes.ts';
import { chronologyService } from '../chronology/service.ts';
import { riskApi } from './api.ts';
import { registerRiskJobs } from './jobs.ts';
import { riskRoutes } from './routes.ts';
import { riskService } from './service.ts';

/** Chronology and risk: JSON API, pages and background jobs, registered with one line in app.ts. */
export function chronologyAndRiskRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  const chronology = chronologyService(deps);
  const risk = riskService(deps);
  return async (app) => {
    if (deps.jobs) await registerRiskJobs(deps.jobs, risk);
    await app.register(chronologyApi(chronology));
    await app.register(chronologyRoutes(deps, chronology));
    await app.register(riskApi(risk));
    await app.register(riskRoutes(deps, risk));
  };
}
