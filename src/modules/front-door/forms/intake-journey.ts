import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { AuditContext } from '../../../platform/audit.ts';
import { auditContext } from '../../../platform/http/context.ts';
import { type Journey, type JourneyDraft, journeyRoutes } from '../../../platform/http/journeys/journey.ts';
import { Id } from '../../../platform/http/schemas/atoms.ts';
import type { FrontDoorService } from '../service.ts';

type IntakeName = 'dan' | 'contact';
type ContactView = Awaited<ReturnType<FrontDoorService['viewContact']>>;

/**
 * What the DAN and the contact journeys share: each lives at `/front-door/<name>` with its
 * templates in `forms/<name>`.
 */
export function intakeJourney<D extends JourneyDraft>(
  name: IntakeName,
  journey: Omit<Journey<D>, 'name' | 'base' | 'views'>,
): Journey<D> {
  return { name, base: `/front-door/${name}`, views: `front-door/forms/${name}`, ...journey };
}

/**
 * Sends a checked draft as one intake keyed by the draft's token, so pressing Send twice makes one
 * contact, and goes to that contact's sent page.
 */
export function sendIntake<I>(
  name: IntakeName,
  submit: (
    context: AuditContext,
    input: I,
    options: { idempotencyKey: string },
  ) => Promise<{ body: { contactId: string } }>,
) {
  return async (request: FastifyRequest, input: I, token: string) => {
    const result = await submit(auditContext(request), input, { idempotencyKey: `web-${name}-${token}` });
    return `/front-door/${name}/sent/${result.body.contactId}`;
  };
}

/**
 * A journey's routes and its sent page: the contact as the front door now holds it, shown with the
 * DAN's sent template and what `sent` adds (its title, where to send another).
 */
export function intakeJourneyRoutes<D extends JourneyDraft>(
  journey: Journey<D>,
  service: FrontDoorService,
  sent: (view: ContactView) => Record<string, unknown>,
): FastifyPluginAsyncTypebox {
  return async (app) => {
    await app.register(journeyRoutes(journey));
    app.get(`${journey.base}/sent/:id`, { schema: { params: Id } }, async (request, reply) => {
      const view = await service.viewContact(auditContext(request), request.params.id);
      return reply.page('front-door/forms/dan/sent.njk', { ...sent(view), view });
    });
  };
}
