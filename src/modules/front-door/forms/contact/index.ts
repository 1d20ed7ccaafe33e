import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { auditContext, principalOf } from '../../../../platform/http/context.ts';
import { type Journey, journeyRoutes } from '../../../../platform/http/journeys/journey.ts';
import { Id } from '../../../../platform/http/schemas/atoms.ts';
import type { FrontDoorService } from '../../service.ts';
import { CONCERNS, CONTACT_SOURCES } from '../../vocabulary.ts';
import { agencyChoices } from '../agency-choices.ts';
import { actionsPage } from './actions.ts';
import { adultsPage } from './adults.ts';
import { childrenPage } from './children.ts';
import { concernsPage } from './concerns.ts';
import { consentPage } from './consent.ts';
import { type ContactDraft, draftToContact, pageOf } from './draft.ts';
import { sourcePage } from './source.ts';

const BASE = '/front-door/contact';

/** A professional's contact about a child (or one taken from the public), page by page. */
export function contactJourney(now: () => Date, service: FrontDoorService): Journey<ContactDraft> {
  const agencies = agencyChoices((areaId) => service.agenciesFor(areaId));
  return {
    name: 'contact',
    base: BASE,
    action: 'contact:create',
    caption: 'Make a contact',
    views: 'front-door/forms/contact',
    common: { sources: CONTACT_SOURCES, concerns: CONCERNS },
    start: { view: 'start', title: 'Make a contact about a child' },
    fresh: (request, kit) => {
      const principal = principalOf(request);
      return {
        ...kit,
        children: [],
        adults: [],
        referrer: {
          name: principal.name,
          ...(principal.agencyName ? { organisation: principal.agencyName } : {}),
        },
      };
    },
    pages: [sourcePage, childrenPage(now, agencies), adultsPage(now), concernsPage, actionsPage, consentPage],
    check: {
      view: 'check',
      title: 'Check your answers before sending the contact',
      show: async ({ draft, request }) => {
        const names = new Map((await agencies(request)).map((a) => [a.code, a.name]));
        return {
          draft,
          agencyLabel: (code: string | undefined) => (code ? (names.get(code) ?? code) : ''),
        };
      },
      send: async ({ draft, request }) => {
        const result = await service.submitContact(auditContext(request), draftToContact(draft), {
          idempotencyKey: `web-contact-${draft.token}`,
        });
        return `${BASE}/sent/${result.body.contactId}`;
      },
      pageOf,
    },
  };
}

export function contactFormRoutes(now: () => Date, service: FrontDoorService): FastifyPluginAsyncTypebox {
  const journey = contactJourney(now, service);
  return async (app) => {
    await app.register(journeyRoutes(journey));
    app.get(`${BASE}/sent/:id`, { schema: { params: Id } }, async (request, reply) => {
      const view = await service.viewContact(auditContext(request), request.params.id);
      return reply.page('front-door/forms/dan/sent.njk', {
        title: 'Contact sent',
        view,
        again: { href: BASE, text: 'Make another contact' },
      });
    });
  };
}
