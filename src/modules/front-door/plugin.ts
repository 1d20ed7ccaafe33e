import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Deps } from '../../platform/deps.ts';
import { addHomePanel } from '../../platform/http/home-panels.ts';
import { addNavigationItem } from '../../platform/http/navigation.ts';
import { frontDoorApi } from './api/routes.ts';
import { contactFormRoutes } from './forms/contact/index.ts';
import { danFormRoutes } from './forms/dan/index.ts';
import { frontDoorPages } from './pages.ts';
import type { FrontDoorService } from './service.ts';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Registers the front door's API, pages, navigation and home panels. The service is built by
 * the composition root; the background jobs are started there too, not here.
 */
export function frontDoorRoutes(deps: Deps, service: FrontDoorService): FastifyPluginAsyncTypebox {
  addNavigationItem({ href: '/front-door', text: 'Front door', action: 'queue:view' });
  addNavigationItem({ href: '/front-door/dan', text: 'Notify (DAN)', action: 'dan:submit' });
  addNavigationItem({ href: '/front-door/enquiries', text: 'Enquiries', action: 'enquiry:respond' });
  addNavigationItem({ href: '/front-door/early-help', text: 'Early help', action: 'early-help:manage' });

  addHomePanel({
    id: 'front-door-queue',
    title: 'Front-door queue',
    action: 'queue:view',
    order: 10,
    load: async (principal) => {
      const counts = await service.counts(principal);
      return {
        summary: `${plural(counts.open, 'open contact', 'open contacts')}: ${counts.breached} past the decision deadline, ${counts.unscreened} not screened, ${counts.mine} assigned to you.`,
        links: [
          { href: '/front-door', text: 'Open the queue' },
          { href: '/front-door?assigned=me', text: 'Contacts assigned to me' },
          { href: '/front-door?rag=unscreened', text: 'Not yet screened' },
        ],
      };
    },
  });
  addHomePanel({
    id: 'front-door-manager',
    title: 'Front-door oversight',
    action: 'manager-view:view',
    order: 11,
    load: async (principal) => {
      const [counts, notices] = await Promise.all([
        service.counts(principal),
        service.notificationsFor(principal),
      ]);
      return {
        summary: `${plural(counts.awaitingSignOff, 'decision awaits', 'decisions await')} your sign-off; ${counts.breached} past deadline; ${plural(notices.length, 'unread alert', 'unread alerts')}.`,
        links: [{ href: '/front-door/manager', text: 'Open the oversight view' }],
      };
    },
  });
  addHomePanel({
    id: 'front-door-enquiries',
    title: 'Enquiries from the front door',
    action: 'enquiry:respond',
    order: 12,
    load: async (principal) => {
      const open = await service.openEnquiryCount(principal);
      return {
        summary: `${plural(Number(open.n), 'enquiry is', 'enquiries are')} waiting for your agency’s response.`,
        links: [{ href: '/front-door/enquiries', text: 'Answer enquiries' }],
      };
    },
  });
  addHomePanel({
    id: 'front-door-dan',
    title: 'Domestic abuse notifications',
    action: 'dan:submit',
    order: 13,
    load: async () => ({
      summary: 'Tell children’s services about every domestic abuse incident in a household with children.',
      links: [
        { href: '/front-door/dan', text: 'Send a notification' },
        { href: '/front-door/my-contacts', text: 'What happened to our notifications' },
      ],
    }),
  });
  addHomePanel({
    id: 'front-door-referrer',
    title: 'Contacts your agency made',
    action: 'contact:create',
    order: 14,
    load: async (principal) => {
      const notices = await service.notificationsFor(principal);
      const outcomes = notices.filter((n) => n.kind === 'feedback').length;
      return {
        summary: `See the front door’s decision on each contact and notification your agency sent${outcomes ? ` (${plural(outcomes, 'new outcome', 'new outcomes')})` : ''}.`,
        links: [
          { href: '/front-door/contact', text: 'Make a contact' },
          { href: '/front-door/my-contacts', text: 'Your agency’s contacts' },
          { href: '/front-door/routing', text: 'How contacts are routed and timed' },
        ],
      };
    },
  });

  return async (app) => {
    await app.register(frontDoorApi(deps, service));
    await app.register(frontDoorPages(deps, service));
    await app.register(danFormRoutes(deps.now, service));
    await app.register(contactFormRoutes(deps.now, service));
  };
}
