import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Deps } from '../../platform/deps.ts';
import { contactRecord } from './contact-record.ts';
import { decisionPages } from './decisions/decision-pages.ts';
import { earlyHelpPages } from './early-help/early-help-pages.ts';
import { referrerPages } from './intake/referrer-pages.ts';
import { contactPages } from './screening-and-enquiries/contact-pages.ts';
import { inboxPages } from './screening-and-enquiries/inbox-pages.ts';
import { queuePage } from './screening-and-enquiries/queue-page.ts';
import type { FrontDoorService } from './service.ts';

/** The front door's pages, each sub-capability's from its own folder; the forms are in forms/. */
export function frontDoorPages(deps: Deps, service: FrontDoorService): FastifyPluginAsyncTypebox {
  const context = { deps, service, record: contactRecord(deps, service) };
  return async (app) => {
    await app.register(queuePage(context));
    await app.register(contactPages(context));
    await app.register(inboxPages(context));
    await app.register(decisionPages(context));
    await app.register(earlyHelpPages(context));
    await app.register(referrerPages(context));
  };
}
