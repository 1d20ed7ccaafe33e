import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Deps } from '../../platform/deps.ts';
import type { RiskService } from './service.ts';

export function riskRoutes(_deps: Deps, _risk: RiskService): FastifyPluginAsyncTypebox {
  return async () => {};
}
