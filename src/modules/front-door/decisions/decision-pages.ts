import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { auditContext } from '../../../platform/http/context.ts';
import { choice, filledIn, list, text, yesNo } from '../../../platform/http/form-fields.ts';

import { type PageContext, VOCABULARY } from '../pages-common.ts';
import { OUTCOMES } from '../vocabulary.ts';

/** The decision and its sign-off (F1, F26), and the manager’s oversight view. */
export function decisionPages({ service, record }: PageContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    record.stepRoute(app, 'decision', {
      read: (form) => {
        const summaries = list(form, 'riskSummaryId');
        const level = text(form, 'riskSummaryLevel');
        return {
          levelOfNeed: text(form, 'levelOfNeed'),
          outcome: choice(form, 'outcome', OUTCOMES),
          rationale: text(form, 'rationale'),
          feedback: text(form, 'feedback'),
          ...(summaries.length
            ? { riskSummarySeen: { summaryIds: summaries, ...(level ? { level } : {}) } }
            : {}),
        };
      },
      run: (context, id, values) => service.decide(context, id, values),
      flash: 'Decision recorded',
    });
    record.stepRoute(app, 'sign-off', {
      read: (form) => {
        const agree = yesNo(form, 'agree');
        return {
          ...(agree !== undefined ? { agree } : {}),
          ...filledIn(form, '', ['reason', 'levelOfNeed', 'outcome', 'feedback'] as const),
        };
      },
      run: (context, id, values) => service.signOff(context, id, values),
      flash: 'Sign-off recorded and the referrer told',
    });

    app.get('/front-door/manager', async (request, reply) => {
      const view = await service.managerView(auditContext(request));
      return reply.page('front-door/views/manager.njk', {
        title: 'Front-door oversight',
        view,
        vocabulary: VOCABULARY,
      });
    });
  };
}
