import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { decide } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import { ConflictError } from '../../platform/errors.ts';
import { auditContext, authorise, principalOf } from '../../platform/http/context.ts';
import { takeFlash } from '../../platform/http/flash.ts';
import { addNavigationItem } from '../../platform/http/navigation.ts';
import { pagesOf } from '../../platform/http/page-counts.ts';
import { FormField, PageNumber, PostedForm } from '../../platform/http/schemas/atoms.ts';
import { formErrors } from '../../platform/views.ts';
import type { RetentionService } from './retention.ts';

const VIEW = 'data-protection/views/retention.njk';
const RULES: Record<string, string> = {
  'child-record': 'Child’s record past its retention birthday',
  'long-retention': 'Child’s record past the long retention period',
  'with-child-record': 'Contact naming a child whose record is due',
  'no-further-action': 'Contact closed with no further action',
};

/** The retention review page (decision 0012): what is due, and a manager's confirmation. */
export function retentionRoutes(deps: Deps, service: RetentionService): FastifyPluginAsyncTypebox {
  addNavigationItem({ href: '/retention', text: 'Retention', action: 'retention:review' });
  const Query = Type.Object({
    page: PageNumber(),
    sort: Type.Union([Type.Literal('dueOn'), Type.Literal('type')], { default: 'dueOn' }),
    order: Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'asc' }),
  });

  async function render(
    request: Parameters<typeof auditContext>[0],
    query: Type.Static<typeof Query>,
    extra: object = {},
  ) {
    const listing = await service.review(auditContext(request), query);
    return {
      title: 'Retention',
      listing,
      query,
      pages: pagesOf(listing.total, listing.pageSize),
      rules: RULES,
      settings: deps.config.partnership.retention,
      mayConfirm: decide(principalOf(request), 'retention:confirm').allowed,
      ...extra,
    };
  }

  return async (app) => {
    app.get('/retention', { schema: { querystring: Query } }, async (request, reply) => {
      authorise(request, 'retention:review');
      return reply.page(VIEW, await render(request, request.query, { flash: takeFlash(request) }));
    });

    app.post('/retention/list', { schema: { body: PostedForm({}) } }, async (request, reply) => {
      authorise(request, 'retention:review');
      const listed = await service.list(auditContext(request));
      request.session.flash = `Listed ${listed.items} records due for removal. Nothing has been removed.`;
      return reply.redirect('/retention', 303);
    });

    app.post(
      '/retention/confirm',
      {
        schema: {
          body: PostedForm({
            runId: FormField(60),
            confirm: Type.Optional(Type.String({ maxLength: 10 })),
          }),
        },
      },
      async (request, reply) => {
        authorise(request, 'retention:confirm');
        const query = { page: 1, sort: 'dueOn' as const, order: 'asc' as const };
        if (request.body.confirm !== 'yes')
          return reply.code(400).page(
            VIEW,
            await render(request, query, {
              errors: formErrors([
                { field: 'confirm', message: 'Tick the box to confirm that these records may be removed' },
              ]),
            }),
          );
        try {
          const removed = await service.confirm(auditContext(request), request.body.runId);
          request.session.flash = `Removed ${removed.people} people’s records (with ${removed.flags} flags) and ${removed.contacts} contacts. The audit log records the removal.`;
        } catch (error) {
          if (
            !(error instanceof ConflictError) &&
            !(error instanceof Error && error.name === 'NotFoundError')
          )
            throw error;
          return reply.code(409).page(
            VIEW,
            await render(request, query, {
              errors: formErrors([{ field: 'confirm', message: error.message }]),
            }),
          );
        }
        return reply.redirect('/retention', 303);
      },
    );
  };
}
