import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { auditContext, authorise } from '../../../../platform/http/context.ts';
import { FormBody } from '../../../../platform/http/form-fields.ts';
import { type Journey, journeyRoutes, journeyState } from '../../../../platform/http/journeys/journey.ts';
import { Id } from '../../../../platform/http/schemas/atoms.ts';
import type { FrontDoorService } from '../../service.ts';
import { agencyChoices } from '../agency-choices.ts';
import { checkPage } from './check.ts';
import { childrenPage } from './children.ts';
import { consentPage } from './consent.ts';
import type { DanDraft } from './draft.ts';
import { incidentPage } from './incident.ts';
import { riskPage } from './risk.ts';
import { suspectsPage } from './suspects.ts';
import { victimPage } from './victim.ts';

const BASE = '/front-door/dan';
const Index = Type.Object({ n: Type.Integer({ minimum: 1, maximum: 15 }) });

/** The domestic abuse notification: a police officer tells children's services about an incident. */
export function danJourney(now: () => Date, service: FrontDoorService): Journey<DanDraft> {
  const agencies = agencyChoices((areaId) => service.agenciesFor(areaId));
  return {
    name: 'dan',
    base: BASE,
    action: 'dan:submit',
    caption: 'Domestic abuse notification',
    views: 'front-door/forms/dan',
    start: { view: 'start', title: 'Tell children’s services about a domestic abuse incident' },
    fresh: (_request, kit) => ({ ...kit, suspects: [], children: [] }),
    pages: [
      incidentPage(now),
      victimPage(now),
      suspectsPage(now),
      childrenPage(now, agencies),
      riskPage,
      consentPage,
    ],
    check: checkPage(agencies, async (request, input, token) => {
      const result = await service.submitDan(auditContext(request), input, {
        idempotencyKey: `web-dan-${token}`,
      });
      return `${BASE}/sent/${result.body.contactId}`;
    }),
  };
}

export function danFormRoutes(now: () => Date, service: FrontDoorService): FastifyPluginAsyncTypebox {
  const journey = danJourney(now, service);
  const state = journeyState(journey);
  return async (app) => {
    await app.register(journeyRoutes(journey));

    app.post(
      `${BASE}/children/:n/remove`,
      { schema: { params: Index, body: FormBody } },
      async (request, reply) => {
        authorise(request, journey.action);
        const draft = state.draftOf(request);
        draft.children.splice(request.params.n - 1, 1);
        state.save(request, draft);
        return reply.redirect(`${BASE}/check`, 303);
      },
    );

    app.get(`${BASE}/sent/:id`, { schema: { params: Id } }, async (request, reply) => {
      const view = await service.viewContact(auditContext(request), request.params.id);
      return reply.page(`${journey.views}/sent.njk`, {
        caption: journey.caption,
        title: 'Notification sent',
        view,
        clock: view.clocks.decision,
      });
    });
  };
}
