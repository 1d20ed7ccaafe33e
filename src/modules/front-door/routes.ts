import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Deps } from '../../platform/deps.ts';
import { startFrontDoorJobs } from './clock-jobs.ts';
import { frontDoorApi } from './routes/api.ts';
import { frontDoorService } from './service.ts';

/** Registers the front door's API, pages and background jobs. */
export function frontDoorRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  const service = frontDoorService(deps);
  return async (app) => {
    await startFrontDoorJobs(deps);
    await app.register(frontDoorApi(deps, service));
  };
}
