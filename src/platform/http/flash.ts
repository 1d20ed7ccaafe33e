import type { FastifyRequest } from 'fastify';

/**
 * The one-off message a redirect left for the next page (shown once, as a GOV.UK notification
 * banner), taken from the session so that it is not shown again. A request with nothing to show
 * writes nothing, so an anonymous visit creates no session row.
 */
export function takeFlash(request: FastifyRequest): string | undefined {
  const flash = request.session?.flash;
  if (flash !== undefined) request.session.flash = undefined;
  return flash;
}
