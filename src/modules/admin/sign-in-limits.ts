import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { removeMfa } from '../../platform/auth/mfa.ts';
import { clearThrottle, listThrottles } from '../../platform/auth/throttle.ts';
import type { Deps } from '../../platform/deps.ts';
import { audit, authorise } from '../../platform/http/context.ts';
import { takeFlash } from '../../platform/http/flash.ts';
import { addNavigationItem } from '../../platform/http/navigation.ts';
import { pagesOf } from '../../platform/http/page-counts.ts';
import { PageNumber } from '../../platform/http/schemas/atoms.ts';
import { formErrors } from '../../platform/views.ts';
import type { DirectoryService } from '../directory/service.ts';

const PAGE_SIZE = 50;

/**
 * Sign-in limits (decision 0011): the failure counters that make accounts and addresses wait,
 * which an administrator can clear, and the reset of a user's second factor.
 */
export function signInLimitsRoutes(deps: Deps, directory: DirectoryService): FastifyPluginAsyncTypebox {
  addNavigationItem({
    href: '/admin/sign-in-limits',
    text: 'Sign-in limits',
    action: 'admin:sign-in-limits',
  });

  /** One page of the accounts held back by the sign-in limits, as the page shows them. */
  async function limitsPage(page: number) {
    const settings = deps.config.partnership.signIn;
    const { rows, total } = await listThrottles(
      deps.db,
      settings,
      deps.now(),
      PAGE_SIZE,
      (page - 1) * PAGE_SIZE,
    );
    return { title: 'Sign-in limits', rows, total, page, pages: pagesOf(total, PAGE_SIZE), settings };
  }

  return async (app) => {
    app.get(
      '/admin/sign-in-limits',
      { schema: { querystring: Type.Object({ page: PageNumber() }) } },
      async (request, reply) => {
        authorise(request, 'admin:sign-in-limits');
        const { page } = request.query;
        return reply.page('admin/views/sign-in-limits.njk', {
          ...(await limitsPage(page)),
          flash: takeFlash(request),
        });
      },
    );

    app.post(
      '/admin/sign-in-limits/clear',
      {
        schema: {
          body: Type.Object({
            kind: Type.Union([Type.Literal('account'), Type.Literal('address')]),
            key: Type.String({ minLength: 1, maxLength: 320 }),
            _csrf: Type.Optional(Type.String()),
          }),
        },
      },
      async (request, reply) => {
        authorise(request, 'admin:sign-in-limits');
        const { kind, key } = request.body;
        const cleared = await clearThrottle(deps.db, { kind, key });
        await audit(deps, request, {
          action: 'sign-in-limit.clear',
          outcome: cleared ? 'allowed' : 'failed',
          reason: cleared ? undefined : 'no such counter',
          details: { kind, key },
        });
        request.session.flash = cleared ? `Cleared the limit on ${key}` : `There was no limit on ${key}`;
        return reply.redirect('/admin/sign-in-limits', 303);
      },
    );

    app.post(
      '/admin/sign-in-limits/reset-two-factor',
      {
        schema: {
          body: Type.Object({
            email: Type.String({ maxLength: 320, default: '' }),
            _csrf: Type.Optional(Type.String()),
          }),
        },
      },
      async (request, reply) => {
        authorise(request, 'admin:sign-in-limits');
        const email = request.body.email.trim();
        const user = email ? await directory.findUserByEmail(email) : undefined;
        const removed = user ? await removeMfa(deps.db, user.id) : false;
        if (!user || !removed) {
          return reply.code(400).page('admin/views/sign-in-limits.njk', {
            ...(await limitsPage(1)),
            values: { email },
            errors: formErrors([
              {
                field: 'email',
                message: !email
                  ? 'Enter the email address of the user whose second factor to reset'
                  : !user
                    ? 'There is no user with this email address'
                    : 'This user has not set up a second factor',
              },
            ]),
          });
        }
        await audit(deps, request, {
          action: 'user.reset-mfa',
          subjectType: 'user',
          subjectId: user.id,
          details: { email: user.email },
        });
        request.session.flash = `Reset the second factor of ${user.email}: they set it up again at their next sign-in`;
        return reply.redirect('/admin/sign-in-limits', 303);
      },
    );
  };
}
