import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Action, assertAllowed, type Resource, type Subject } from '../access.ts';
import { type AuditEntry, recordAudit } from '../audit.ts';
import type { Deps } from '../deps.ts';
import { UnauthenticatedError } from '../errors.ts';
import type { Principal } from '../principal.ts';
import { navigationFor } from './navigation.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyReply {
    page(template: string, data?: Record<string, unknown>): FastifyReply;
  }
  interface Session {
    userId?: string;
    signedInAt?: number;
    lastSeenAt?: number;
    flash?: string;
  }
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new UnauthenticatedError();
  return request.principal;
}

/** Checks the policy; a refusal becomes a 403 that the error handler audits. */
export function authorise(
  request: FastifyRequest,
  action: Action,
  resource?: Resource,
  subject?: Subject,
): Principal {
  const principal = principalOf(request);
  assertAllowed(principal, action, resource, subject);
  return principal;
}

export function auditContext(request: FastifyRequest) {
  return { principal: principalOf(request), requestId: request.id };
}

export function audit(deps: Deps, request: FastifyRequest, entry: AuditEntry): Promise<void> {
  return recordAudit(deps.db, auditContext(request), entry);
}

export function pageContext(
  deps: Deps,
  request: FastifyRequest,
  reply: FastifyReply,
): Record<string, unknown> {
  const principal = request.principal;
  return {
    principal,
    navigation: navigationFor(principal, request.url.split('?')[0] ?? '/'),
    csrfToken: request.session ? reply.generateCsrf() : undefined,
    cspNonce: (reply as unknown as { cspNonce?: { script: string } }).cspNonce?.script,
    demo: deps.config.demo,
    agencyName: principal?.agencyName ?? undefined,
    requestId: request.id,
  };
}
