import type { FastifyRequest } from 'fastify';
import type { CheckPage } from '../../../../platform/http/journeys/journey.ts';
import type { DanInput } from '../../types.ts';
import { DASH_STATUSES, EARLY_HELP_RESPONSES, REPORTED_BY } from '../../vocabulary.ts';
import { type AgencyChoice, agencyLabeller } from '../agency-choices.ts';
import type { DanDraft } from './draft.ts';
import { draftToInput, pageOf } from './draft.ts';

/** Check the notification before sending it; the service checks everything again. */
export function checkPage(
  agencies: (request: FastifyRequest) => Promise<AgencyChoice[]>,
  send: (request: FastifyRequest, input: DanInput, token: string) => Promise<string>,
): CheckPage<DanDraft> {
  return {
    view: 'check',
    title: 'Check the notification before sending it',
    show: async ({ draft, request }) => {
      return {
        draft,
        agencyLabel: agencyLabeller(await agencies(request)),
        dashStatuses: DASH_STATUSES,
        responses: EARLY_HELP_RESPONSES,
        reportedBy: REPORTED_BY,
        occurredAt: draft.incident?.occurredAt ?? null,
      };
    },
    send: ({ draft, request }) => send(request, draftToInput(draft), draft.token),
    pageOf,
  };
}
