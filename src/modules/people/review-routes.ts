import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { ValidationError } from '../../platform/errors.ts';
import { auditContext } from '../../platform/http/context.ts';
import { takeFlash } from '../../platform/http/flash.ts';
import { formPage } from '../../platform/http/form-page.ts';
import { redirectWithFlash, saveForm, saveThenRedirect } from '../../platform/http/form-save.ts';
import { pagesOf } from '../../platform/http/page-counts.ts';
import { FormField, Id, PageNumber, PageQuery, PostedForm } from '../../platform/http/schemas/atoms.ts';
import type { PeopleService } from './service.ts';

const PAGE_SIZE = 20;

const AGREEMENT_TAGS: Record<string, { text: string; colour: string }> = {
  exact: { text: 'Agrees', colour: 'green' },
  partial: { text: 'Partly agrees', colour: 'yellow' },
  disagree: { text: 'Disagrees', colour: 'red' },
  missing: { text: 'Not on both', colour: 'grey' },
};

/** A listing page's values: its page of rows, where that page stands, and the one-off message. */
function listing(
  request: FastifyRequest,
  title: string,
  result: { rows: readonly unknown[]; total: number },
  page: number,
) {
  return {
    title,
    rows: result.rows,
    total: result.total,
    page,
    pages: pagesOf(result.total, PAGE_SIZE),
    flash: takeFlash(request),
  };
}

/** Pages for MASH staff: the match review queue, one pair side by side, and merge history. */
export function reviewRoutes(people: PeopleService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/match-review',
      {
        schema: {
          querystring: Type.Object({
            status: Type.Union([Type.Literal('pending'), Type.Literal('decided')], { default: 'pending' }),
            sort: Type.Union([Type.Literal('score'), Type.Literal('created')], { default: 'score' }),
            order: Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'desc' }),
            page: PageNumber(),
          }),
        },
      },
      async (request, reply) => {
        const q = request.query;
        const result = await people.reviewQueue(auditContext(request), { ...q, pageSize: PAGE_SIZE });
        return reply.page('people/views/match-review-list.njk', {
          ...listing(request, 'Possible duplicate records', result, q.page),
          query: q,
        });
      },
    );

    const pairPage = formPage(app, {
      path: '/match-review/:id',
      view: 'people/views/match-review.njk',
      load: async (request, reviewId) => ({
        title: 'Are these the same person?',
        ...(await people.viewReview(auditContext(request), reviewId)),
        agreementTags: AGREEMENT_TAGS,
      }),
    });

    app.post(
      '/match-review/:id',
      {
        schema: {
          params: Id,
          body: PostedForm({
            decision: FormField(40),
            note: FormField(4000),
          }),
        },
      },
      async (request, reply) => {
        const { decision, note } = request.body;
        const id = request.params.id;
        return saveForm({
          save: async () => {
            const errors = [];
            if (!['link', 'keep-incoming', 'not-same'].includes(decision))
              errors.push({ field: 'decision', message: 'Choose whether these are the same person' });
            if (!note.trim()) errors.push({ field: 'note', message: 'Say why you made this decision' });
            if (errors.length) throw new ValidationError(errors);
            const context = auditContext(request);
            const pair = await people.viewReview(context, id);
            return people.decideReview(context, id, {
              outcome: decision === 'not-same' ? 'not-same' : 'merge',
              ...(decision === 'link' ? { survivorId: pair.review.candidate_id } : {}),
              ...(decision === 'keep-incoming' ? { survivorId: pair.review.person_id } : {}),
              note,
            });
          },
          invalid: (errors) => pairPage.refused(request, reply, id, errors, request.body),
          done: (result) =>
            redirectWithFlash(
              request,
              reply,
              result.mergeId
                ? 'The records were merged. Everything both held is now on the record you kept; the merge can be undone from merge history.'
                : result.awaitingOtherArea
                  ? 'Recorded for your area: not the same person. The other record is held by another area; the pair is settled when that area agrees.'
                  : 'Recorded: these are not the same person. The pair will not be offered again.',
              '/match-review',
            ),
        });
      },
    );

    app.get('/match-review/merges', { schema: { querystring: PageQuery } }, async (request, reply) => {
      const page = request.query.page;
      const history = await people.mergeHistory(auditContext(request), page, PAGE_SIZE);
      return reply.page('people/views/merge-history.njk', listing(request, 'Merge history', history, page));
    });

    const mergePage = formPage(app, {
      path: '/match-review/merges/:id',
      view: 'people/views/merge.njk',
      load: async (request, mergeId) => ({
        title: 'Merge',
        merge: await people.viewMerge(auditContext(request), mergeId),
      }),
    });

    app.post(
      '/match-review/merges/:id/unmerge',
      {
        schema: {
          params: Id,
          body: PostedForm({
            reason: FormField(4000),
          }),
        },
      },
      async (request, reply) => {
        return saveThenRedirect(request, reply, {
          save: () => people.unmergePeople(auditContext(request), request.params.id, request.body.reason),
          invalid: (errors) => mergePage.refused(request, reply, request.params.id, errors, request.body),
          flash: 'The merge was undone. Both records are as they were before it.',
          next: '/match-review/merges',
        });
      },
    );
  };
}
