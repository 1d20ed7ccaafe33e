import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { authorise } from '../../../../platform/http/context.ts';
import { FormBody } from '../../../../platform/http/form-fields.ts';
import { type Journey, journeyState } from '../../../../platform/http/journeys/journey.ts';
import type { FrontDoorService } from '../../service.ts';
import { agencyChoices } from '../agency-choices.ts';
import { intakeJourney, intakeJourneyRoutes, sendIntake } from '../intake-journey.ts';
import { checkPage } from './check.ts';
import { childrenPage } from './children.ts';
import { consentPage } from './consent.ts';
import type { DanDraft } from './draft.ts';
import { incidentPage } from './incident.ts';
import { riskPage } from './risk.ts';
import { suspectsPage } from './suspects.ts';
import { victimPage } from './victim.ts';

const Index = Type.Object({ n: Type.Integer({ minimum: 1, maximum: 15 }) });

/** The domestic abuse notification: a police officer tells children's services about an incident. */
export function danJourney(now: () => Date, service: FrontDoorService): Journey<DanDraft> {
  const agencies = agencyChoices((areaId) => service.agenciesFor(areaId));
  return intakeJourney<DanDraft>('dan', {
    action: 'dan:submit',
    caption: 'Domestic abuse notification',
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
    check: checkPage(agencies, sendIntake('dan', service.submitDan)),
  });
}

export function danFormRoutes(now: () => Date, service: FrontDoorService): FastifyPluginAsyncTypebox {
  const journey = danJourney(now, service);
  const state = journeyState(journey);
  return async (app) => {
    await app.register(
      intakeJourneyRoutes(journey, service, (view) => ({
        caption: journey.caption,
        title: 'Notification sent',
        clock: view.clocks.decision,
      })),
    );

    app.post(
      `${journey.base}/children/:n/remove`,
      { schema: { params: Index, body: FormBody } },
      async (request, reply) => {
        authorise(request, journey.action);
        const draft = state.draftOf(request);
        draft.children.splice(request.params.n - 1, 1);
        state.save(request, draft);
        return reply.redirect(`${journey.base}/check`, 303);
      },
    );
  };
}
