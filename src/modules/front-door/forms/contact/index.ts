import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../../../../platform/http/context.ts';
import type { Journey } from '../../../../platform/http/journeys/journey.ts';
import type { FrontDoorService } from '../../service.ts';
import { CONCERNS, CONTACT_SOURCES } from '../../vocabulary.ts';
import { agencyChoices, agencyLabeller } from '../agency-choices.ts';
import { intakeJourney, intakeJourneyRoutes, sendIntake } from '../intake-journey.ts';
import { actionsPage } from './actions.ts';
import { adultsPage } from './adults.ts';
import { childrenPage } from './children.ts';
import { concernsPage } from './concerns.ts';
import { consentPage } from './consent.ts';
import { type ContactDraft, draftToContact, pageOf } from './draft.ts';
import { sourcePage } from './source.ts';

/** A professional's contact about a child (or one taken from the public), page by page. */
export function contactJourney(now: () => Date, service: FrontDoorService): Journey<ContactDraft> {
  const agencies = agencyChoices((areaId) => service.agenciesFor(areaId));
  const send = sendIntake('contact', service.submitContact);
  return intakeJourney<ContactDraft>('contact', {
    action: 'contact:create',
    caption: 'Make a contact',
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
      show: async ({ draft, request }) => ({ draft, agencyLabel: agencyLabeller(await agencies(request)) }),
      send: ({ draft, request }) => send(request, draftToContact(draft), draft.token),
      pageOf,
    },
  });
}

export function contactFormRoutes(now: () => Date, service: FrontDoorService): FastifyPluginAsyncTypebox {
  return intakeJourneyRoutes(contactJourney(now, service), service, () => ({
    title: 'Contact sent',
    again: { href: '/front-door/contact', text: 'Make another contact' },
  }));
}
