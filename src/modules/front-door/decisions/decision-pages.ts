import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Deps } from '../../../platform/deps.ts';
import { auditContext } from '../../../platform/http/context.ts';
import { choice, FormBody, list, text, yesNo } from '../../../platform/http/form-fields.ts';
import type { ContactRecord } from '../contact-record.ts';
import { Id, VOCABULARY } from '../pages-common.ts';
import type { FrontDoorService } from '../service.ts';
import { OUTCOMES } from '../vocabulary.ts';

/** The decision and its sign-off (F1, F26), and the manager’s oversight view. */
export function decisionPages(
  _deps: Deps,
  service: FrontDoorService,
  record: ContactRecord,
): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/front-door/contacts/:id/decision',
      { schema: { params: Id, body: FormBody } },
      async (request, reply) => {
        const form = request.body;
        const summaries = list(form, 'riskSummaryId');
        const level = text(form, 'riskSummaryLevel');
        const values = {
          levelOfNeed: text(form, 'levelOfNeed'),
          outcome: choice(form, 'outcome', OUTCOMES),
          rationale: text(form, 'rationale'),
          feedback: text(form, 'feedback'),
          ...(summaries.length
            ? { riskSummarySeen: { summaryIds: summaries, ...(level ? { level } : {}) } }
            : {}),
        };
        return record.step(
          request,
          reply,
          request.params.id,
          'decision',
          values,
          () => service.decide(auditContext(request), request.params.id, values),
          'Decision recorded',
        );
      },
    );

    app.post(
      '/front-door/contacts/:id/sign-off',
      { schema: { params: Id, body: FormBody } },
      async (request, reply) => {
        const form = request.body;
        const agree = yesNo(form, 'agree');
        const values = {
          ...(agree !== undefined ? { agree } : {}),
          reason: text(form, 'reason'),
          levelOfNeed: text(form, 'levelOfNeed'),
          outcome: text(form, 'outcome'),
          feedback: text(form, 'feedback'),
        };
        return record.step(
          request,
          reply,
          request.params.id,
          'signoff',
          values,
          () => service.signOff(auditContext(request), request.params.id, values),
          'Sign-off recorded and the referrer told',
        );
      },
    );

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
