import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Deps } from '../../platform/deps.ts';
import { addHomePanel, countPanel, readPanel } from '../../platform/http/home-panels.ts';
import { addNavigationItem } from '../../platform/http/navigation.ts';
import { plural } from '../../platform/views.ts';
import { frontDoorApi } from './api/routes.ts';
import { contactFormRoutes } from './forms/contact/index.ts';
import { danFormRoutes } from './forms/dan/index.ts';
import { frontDoorPages } from './pages.ts';
import type { FrontDoorService } from './service.ts';
import { OUTCOMES, STATUS_LABELS } from './vocabulary.ts';

/**
 * Registers the front door's API, pages, navigation and home panels. The service is built by
 * the composition root; the background jobs are started there too, not here.
 */
export function frontDoorRoutes(deps: Deps, service: FrontDoorService): FastifyPluginAsyncTypebox {
  addNavigationItem({ href: '/front-door', text: 'Front door', action: 'queue:view' });
  addNavigationItem({ href: '/front-door/dan', text: 'Notify (DAN)', action: 'dan:submit' });
  addNavigationItem({ href: '/front-door/enquiries', text: 'Enquiries', action: 'enquiry:respond' });
  addNavigationItem({ href: '/front-door/early-help', text: 'Early help', action: 'early-help:manage' });
  // Issue 12: every page a role uses is one step from anywhere, not only from its home page.
  addNavigationItem({ href: '/front-door/manager', text: 'Oversight', action: 'manager-view:view' });
  addNavigationItem({ href: '/front-door/my-contacts', text: 'Sent by us', action: 'contact:create' });

  addHomePanel(
    readPanel({
      id: 'front-door-queue',
      title: 'Front-door queue',
      action: 'queue:view',
      order: 10,
      read: (principal) => service.counts(principal),
      summary: (counts) =>
        `${plural(counts.open, 'open contact')}: ${counts.breached} past the decision deadline, ${counts.unscreened} not screened, ${counts.mine} assigned to you.`,
      links: [
        { href: '/front-door', text: 'Open the queue' },
        { href: '/front-door?assigned=me', text: 'Contacts assigned to me' },
        { href: '/front-door?rag=unscreened', text: 'Not yet screened' },
      ],
    }),
  );
  addHomePanel(
    readPanel({
      id: 'front-door-manager',
      title: 'Front-door oversight',
      action: 'manager-view:view',
      // A manager's first work: sign-offs and breaches, above the queue.
      order: 9,
      read: (principal) => Promise.all([service.counts(principal), service.notificationsFor(principal)]),
      summary: ([counts, notices]) =>
        `${plural(counts.awaitingSignOff, 'decision awaits', 'decisions await')} your sign-off; ${counts.breached} past deadline; ${plural(notices.length, 'unread alert')}.`,
      links: [{ href: '/front-door/manager', text: 'Open the oversight view' }],
    }),
  );
  addHomePanel(
    countPanel({
      id: 'front-door-enquiries',
      title: 'Enquiries from the front door',
      action: 'enquiry:respond',
      order: 12,
      count: async (principal) => Number((await service.openEnquiryCount(principal)).n),
      some: (open) => `${plural(open, 'enquiry is', 'enquiries are')} waiting for your agency’s response.`,
      links: [{ href: '/front-door/enquiries', text: 'Answer enquiries' }],
    }),
  );
  addHomePanel(
    readPanel({
      id: 'front-door-dan',
      title: 'Your notifications and what came back',
      action: 'dan:submit',
      // The police's first work: what they sent and what the front door decided.
      order: 8,
      read: (principal) => service.submittedByMyAgency({ principal }, 1, 5),
      summary: (sent) =>
        sent.total
          ? `${plural(sent.total, 'notification or contact', 'notifications and contacts')} sent by your agency; of the latest ${sent.rows.length}, ${sent.rows.filter((r) => r.outcome || r.original_outcome).length} decided.`
          : 'Your agency has sent nothing yet. Tell children’s services about every domestic abuse incident in a household with children.',
      links: (sent) => [
        ...sent.rows.map((r) => ({
          href: `/front-door/contacts/${r.id}`,
          text: `${r.reference}${r.incident_ref ? ` (${r.incident_ref})` : ''}: ${
            r.outcome
              ? (OUTCOMES[r.outcome as keyof typeof OUTCOMES] ?? r.outcome)
              : r.original_outcome
                ? `linked to ${r.original_reference}, ${OUTCOMES[r.original_outcome as keyof typeof OUTCOMES] ?? r.original_outcome}`
                : STATUS_LABELS[r.status as keyof typeof STATUS_LABELS]
          }`,
        })),
        { href: '/front-door/dan', text: 'Send a notification' },
        { href: '/front-door/my-contacts', text: 'Everything your agency sent' },
      ],
    }),
  );
  addHomePanel(
    countPanel({
      id: 'early-help-inbox',
      title: 'Early help inbox',
      action: 'early-help:manage',
      order: 15,
      count: (principal) => service.earlyHelp.toPickUp(principal),
      none: 'Nobody is waiting to be picked up by early help.',
      some: (waiting) =>
        `${plural(waiting, 'child is', 'children are')} stepped down to early help and waiting to be picked up.`,
      links: [{ href: '/front-door/early-help/inbox', text: 'Open the early help inbox' }],
    }),
  );
  addHomePanel(
    readPanel({
      id: 'front-door-figures',
      title: 'Front-door figures',
      action: 'report:view',
      order: 20,
      read: (principal) => service.counts(principal),
      summary: (counts) =>
        `${plural(counts.open, 'contact is', 'contacts are')} open in your areas: ${counts.breached} past the decision deadline, ${counts.unscreened} not yet screened, ${counts.awaitingSignOff} awaiting a manager’s sign-off. Counts only: no child’s record is shown.`,
      links: [],
    }),
  );
  addHomePanel(
    readPanel({
      id: 'front-door-referrer',
      title: 'Contacts your agency made',
      action: 'contact:create',
      order: 14,
      read: (principal) => service.notificationsFor(principal),
      summary: (notices) => {
        const outcomes = notices.filter((n) => n.kind === 'feedback').length;
        return `See the front door’s decision on each contact and notification your agency sent${outcomes ? ` (${plural(outcomes, 'new outcome')})` : ''}.`;
      },
      links: [
        { href: '/front-door/contact', text: 'Make a contact' },
        { href: '/front-door/my-contacts', text: 'Your agency’s contacts' },
        { href: '/front-door/routing', text: 'How contacts are routed and timed' },
      ],
    }),
  );

  return async (app) => {
    await app.register(frontDoorApi(deps, service));
    await app.register(frontDoorPages(deps, service));
    await app.register(danFormRoutes(deps.now, service));
    await app.register(contactFormRoutes(deps.now, service));
  };
}
