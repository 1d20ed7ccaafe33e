import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '../errors.ts';
import { formErrors } from '../views.ts';
import { Id } from './schemas/atoms.ts';

type App = Parameters<FastifyPluginAsyncTypebox>[0];

/**
 * A record's page that holds a form (a review pair, a merge, an enquiry): `GET path` (`path` ends in
 * `:id`) shows it with the form empty; `refused` shows it again (400) after a refused post, with the
 * GOV.UK error summary and what was sent. The page's own values come from one `load` both times,
 * so the page a refusal shows cannot drift from the first.
 */
export function formPage(
  app: App,
  page: {
    path: string;
    view: string;
    load: (request: FastifyRequest, id: string) => Promise<Record<string, unknown>>;
  },
) {
  app.get(page.path, { schema: { params: Id } }, async (request, reply) =>
    reply.page(page.view, { ...(await page.load(request, request.params.id)), values: {} }),
  );

  return {
    refused: async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: string,
      errors: FieldError[],
      values: Readonly<Record<string, unknown>>,
    ) =>
      reply
        .code(400)
        .page(page.view, { ...(await page.load(request, id)), values, errors: formErrors(errors) }),
  };
}
