import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { recordAudit } from '../../platform/audit.ts';
import { signInWithPassword } from '../../platform/auth/sign-in.ts';
import type { Deps } from '../../platform/deps.ts';
import type { FieldError } from '../../platform/errors.ts';
import { formatDateTime, formErrors } from '../../platform/views.ts';

/** Only same-site paths, so a crafted link cannot bounce a user to another site after signing in. */
function safeNext(next: string | undefined): string {
  return next && /^\/(?!\/)[\w\-/?=&%.]*$/.test(next) && !next.startsWith('/sign-') ? next : '/';
}

export function authRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/sign-in',
      { schema: { querystring: Type.Object({ next: Type.Optional(Type.String({ maxLength: 500 })) }) } },
      async (request, reply) => {
        if (request.principal) return reply.redirect('/', 303);
        const flash = request.session.flash;
        request.session.flash = undefined;
        return reply.page('auth/views/sign-in.njk', {
          title: 'Sign in to Harbour',
          next: request.query.next,
          expired: flash === 'expired',
          signedOut: flash === 'signed-out',
        });
      },
    );

    app.post(
      '/sign-in',
      {
        config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
        schema: {
          body: Type.Object({
            email: Type.Optional(Type.String({ maxLength: 320 })),
            password: Type.Optional(Type.String({ maxLength: 256 })),
            next: Type.Optional(Type.String({ maxLength: 500 })),
            _csrf: Type.Optional(Type.String()),
          }),
        },
      },
      async (request, reply) => {
        const email = request.body.email?.trim() ?? '';
        const password = request.body.password ?? '';
        const errors: FieldError[] = [];
        if (!email) errors.push({ field: 'email', message: 'Enter your email address' });
        if (!password) errors.push({ field: 'password', message: 'Enter your password' });
        if (errors.length === 0) {
          const result = await signInWithPassword(deps, email, password, request.id);
          if (result.ok) {
            await request.session.regenerate();
            const now = deps.now().getTime();
            request.session.userId = result.userId;
            request.session.signedInAt = now;
            request.session.lastSeenAt = now;
            return reply.redirect(safeNext(request.body.next), 303);
          }
          errors.push({
            field: 'email',
            message:
              result.reason === 'locked'
                ? `This account is locked after too many failed attempts. Try again after ${formatDateTime(result.lockedUntil)}, or ask an administrator.`
                : 'Enter a correct email address and password',
          });
        }
        return reply.code(errors.length ? 400 : 200).page('auth/views/sign-in.njk', {
          title: 'Sign in to Harbour',
          errors: formErrors(errors),
          values: { email },
          next: request.body.next,
        });
      },
    );

    app.post('/sign-out', async (request, reply) => {
      if (request.principal) {
        await recordAudit(
          deps.db,
          { principal: request.principal, requestId: request.id },
          { action: 'sign-out' },
        );
      }
      await request.session.regenerate();
      request.session.flash = 'signed-out';
      return reply.redirect('/sign-in', 303);
    });
  };
}
