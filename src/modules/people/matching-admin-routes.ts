/**
 * /admin/matching: the partnership's learnt matching model (when it was trained, on how many
 * people, each level's weight as a chart with the same figures in a table), the threshold
 * trade-off table, and the form a manager sets the auto-link and review thresholds with.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { transaction } from '../../db/database.ts';
import { levelWeights } from '../../domain/matching/model.ts';
import { DEFAULT_MATCH_WEIGHTS } from '../../domain/matching.ts';
import { decide } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { ValidationError } from '../../platform/errors.ts';
import { audit, auditContext, authorise } from '../../platform/http/context.ts';
import { takeFlash } from '../../platform/http/flash.ts';
import { redirectWithFlash, saveForm } from '../../platform/http/form-save.ts';
import { addNavigationItem } from '../../platform/http/navigation.ts';
import { FormField, PostedForm } from '../../platform/http/schemas/atoms.ts';
import { formErrors } from '../../platform/views.ts';
import { matchingModelService, TRAIN_MODEL_QUEUE } from './matching-model.ts';

const FIELD_LABELS: Record<string, string> = {
  givenName: 'Given name',
  familyName: 'Family name',
  dateOfBirth: 'Date of birth',
  sex: 'Sex',
  postcode: 'Postcode',
  addressLine: 'Address line',
  addressLineSamePostcode: 'Address line (same postcode)',
  nhsNumber: 'NHS number',
  upn: 'UPN',
  localReference: 'Agency reference',
};

/** Bars for the chart: each level's weight as a horizontal bar either side of zero (SVG units). */
function chart(rows: { field: string; level: string; bits: number }[]) {
  const limit = 25;
  const half = 200;
  return rows.map((r, i) => {
    const clipped = Math.max(-limit, Math.min(limit, r.bits));
    const width = (Math.abs(clipped) / limit) * half;
    return {
      label: `${FIELD_LABELS[r.field] ?? r.field}: ${r.level}`,
      y: i * 18,
      x: clipped >= 0 ? 260 + half : 260 + half - width,
      width,
      positive: clipped >= 0,
      bits: r.bits.toFixed(1),
    };
  });
}

export function matchingAdminRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  addNavigationItem({ href: '/admin/matching', text: 'Matching model', action: 'matching:view-model' });
  const models = matchingModelService(deps);

  async function pageData(request: Parameters<typeof authorise>[0]) {
    const principal = authorise(request, 'matching:view-model');
    const { model, thresholds } = await models.current();
    const weights = model?.model.weights ?? DEFAULT_MATCH_WEIGHTS;
    const levels = levelWeights(weights).map((r) => ({
      ...r,
      fieldLabel: FIELD_LABELS[r.field] ?? r.field,
      mText: r.m.toPrecision(3),
      uText: r.u.toPrecision(3),
      bitsText: r.bits.toFixed(2),
    }));
    const scoring = await models.scoring();
    return {
      title: 'Matching model',
      model,
      thresholds,
      current: scoring.thresholds,
      inUse: scoring.modelVersion,
      fileThresholds: {
        autoLink: deps.config.partnership.matching.autoLink,
        review: deps.config.partnership.matching.review,
      },
      levels,
      bars: chart(levels),
      chartHeight: levels.length * 18,
      tradeoff: (model?.model.tradeoff ?? []).map((t) => ({
        threshold: t.threshold,
        precision: t.autoLinkPrecision.toFixed(4),
        recall: t.autoLinkRecall.toFixed(4),
        reviewRecall: t.reviewRecall.toFixed(4),
        reviewPerThousand: t.reviewPerThousand.toFixed(0),
        current: t.threshold === scoring.thresholds.autoLink,
      })),
      canSet: decide(principal, 'matching:set-thresholds').allowed,
      canTrain: decide(principal, 'matching:train').allowed && deps.jobs !== null,
    };
  }

  return async (app) => {
    app.get('/admin/matching', async (request, reply) => {
      const data = await pageData(request);
      await audit(deps, request, {
        action: 'matching.view-model',
        subjectType: 'matching-model',
        subjectId: data.model ? String(data.model.version) : 'shipped',
      });
      const flash = takeFlash(request);
      return reply.page('people/views/matching-admin.njk', { ...data, flash, values: data.current });
    });

    app.post(
      '/admin/matching/thresholds',
      {
        schema: {
          body: PostedForm({
            autoLink: FormField(20),
            review: FormField(20),
          }),
        },
      },
      async (request, reply) => {
        authorise(request, 'matching:set-thresholds');
        return saveForm({
          save: () => models.setThresholds(auditContext(request), request.body),
          invalid: async (errors) =>
            reply.code(400).page('people/views/matching-admin.njk', {
              ...(await pageData(request)),
              values: request.body,
              errors: formErrors(errors),
            }),
          done: (set) =>
            redirectWithFlash(
              request,
              reply,
              `Thresholds set: auto-link at ${set.autoLink} bits, review at ${set.review} bits`,
              '/admin/matching',
            ),
        });
      },
    );

    app.post('/admin/matching/train', { schema: { body: PostedForm({}) } }, async (request, reply) => {
      authorise(request, 'matching:train');
      const jobs = deps.jobs;
      if (!jobs)
        throw new ValidationError([
          { field: 'train', message: 'Background jobs are not running here: use harbour matching train' },
        ]);
      // The request and its audit event commit together, or neither does.
      await transaction(deps.db, async (trx) => {
        await jobs.enqueue(trx, TRAIN_MODEL_QUEUE, {}, { singletonKey: 'on-demand' });
        await recordAudit(trx, auditContext(request), {
          action: 'matching.train-requested',
          subjectType: 'matching-model',
        });
      });
      request.session.flash =
        'Training has been queued. The new model appears here when it finishes (a few minutes).';
      return reply.redirect('/admin/matching', 303);
    });
  };
}
