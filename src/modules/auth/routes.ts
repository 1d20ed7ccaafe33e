import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import nunjucks from 'nunjucks';
import Type from 'typebox';
import { recordAudit } from '../../platform/audit.ts';
import { resolveExternalAccount } from '../../platform/auth/external-accounts.ts';
import { ExternalSignInRefused } from '../../platform/auth/identity-providers.ts';
import {
  checkTotp,
  enrolTotp,
  newTotpSecret,
  qrCodeSvg,
  totpUri,
  useRecoveryCode,
  verifyTotpForUser,
} from '../../platform/auth/mfa.ts';
import { identityProviders } from '../../platform/auth/oidc.ts';
import {
  auditSignInStep,
  completeSignIn,
  type SignInAccount,
  signInWithPassword,
} from '../../platform/auth/sign-in.ts';
import { recordFailure, signInKeys, throttleRules, waitingKeys } from '../../platform/auth/throttle.ts';
import type { Deps } from '../../platform/deps.ts';
import type { FieldError } from '../../platform/errors.ts';
import { takeFlash } from '../../platform/http/flash.ts';
import { FormField, PostedForm } from '../../platform/http/schemas/atoms.ts';
import { SYSTEM_PRINCIPAL } from '../../platform/principal.ts';
import { formErrors } from '../../platform/views.ts';
import type { DirectoryService } from '../directory/service.ts';

declare module 'fastify' {
  interface Session {
    /** Password checked, second factor still to come. */
    pendingUserId?: string;
    pendingSince?: number;
    pendingNext?: string;
    /** A TOTP secret shown for enrolment, saved to the account only once a code from it is confirmed. */
    mfaSetupSecret?: string;
    /** An authorisation request in flight to an identity provider; used once. */
    oidc?: { provider: string; state: string; nonce: string; codeVerifier: string; next?: string };
    identityProvider?: string;
    idToken?: string;
  }
}

/** Only same-site paths, so a crafted link cannot bounce a user to another site after signing in. */
function safeNext(next: string | undefined): string {
  return next && /^\/(?!\/)[\w\-/?=&%.]*$/.test(next) && !next.startsWith('/sign-') ? next : '/';
}

/** The one answer for unknown, wrong, disabled and must-wait (decision 0011). */
const WRONG_PASSWORD = 'Enter a correct email address and password';
const WRONG_CODE = 'Enter the current 6-digit code from your authenticator app, or an unused recovery code';
/** The second step must follow the password promptly. */
const PENDING_MS = 10 * 60_000;

/** A code from an authenticator app (or a recovery code), as both two-factor pages post it. */
const TwoFactorCodeBody = Type.Object({
  code: FormField(40),
  _csrf: Type.Optional(Type.String()),
});

/** How an identity provider's refusal is audited and answered, by the step it refused. */
interface SsoRefusal {
  action: string;
  outcome: 'denied' | 'failed';
  status: number;
  message(providerLabel: string, refusal: ExternalSignInRefused): string;
}

const SSO_REFUSALS = {
  // The provider could not be reached or would not start: nothing was checked, so try later.
  begin: {
    action: 'sign-in.sso',
    outcome: 'failed',
    status: 503,
    message: (label) => `${label} sign-in is not available at the moment. Try again later.`,
  },
  // The provider's answer did not sign anyone in: say what the person may be told.
  complete: {
    action: 'sign-in',
    outcome: 'denied',
    status: 401,
    message: (label, refusal) => refusal.userMessage ?? `We could not sign you in with ${label}. Try again.`,
  },
} satisfies Record<string, SsoRefusal>;

export function authRoutes(deps: Deps, directory: DirectoryService): FastifyPluginAsyncTypebox {
  const providers = identityProviders(deps.config.partnership.signIn.providers, deps.config.publicUrl);
  const providerSettings = new Map(deps.config.partnership.signIn.providers.map((p) => [p.id, p]));
  const providerLinks = [...providers.values()].map((p) => ({ id: p.id, label: p.label }));

  const signInPage = (reply: FastifyReply, data: Record<string, unknown>) =>
    reply.page('auth/views/sign-in.njk', { title: 'Sign in to Harbour', providers: providerLinks, ...data });

  async function signInAs(request: FastifyRequest, userId: string, next: string | undefined) {
    await request.session.regenerate();
    const now = deps.now().getTime();
    request.session.userId = userId;
    request.session.signedInAt = now;
    request.session.lastSeenAt = now;
    return safeNext(next);
  }

  /** The account waiting for its second factor, or null when there is none (or it took too long). */
  async function pendingUser(request: FastifyRequest) {
    const { pendingUserId, pendingSince } = request.session;
    if (!pendingUserId || !pendingSince || deps.now().getTime() - pendingSince > PENDING_MS) return null;
    return directory.enabledAccount(pendingUserId);
  }

  const auditFor = (
    request: FastifyRequest,
    user: SignInAccount | null,
    action: string,
    outcome: 'allowed' | 'denied' | 'failed',
    reason: string,
    details: Record<string, unknown> = {},
  ) =>
    auditSignInStep(deps.db, request.id, user, {
      action,
      outcome,
      reason,
      details: { address: request.ip, ...details },
    });

  /**
   * An identity provider's refusal, from starting or completing its sign-in: audited with its true
   * reason, then the sign-in page again with what the person may be told. Any other error is not a
   * refusal and goes on up.
   */
  async function ssoRefused(
    request: FastifyRequest,
    reply: FastifyReply,
    error: unknown,
    provider: { id: string; label: string },
    refusal: SsoRefusal,
  ) {
    if (!(error instanceof ExternalSignInRefused)) throw error;
    await auditFor(request, null, refusal.action, refusal.outcome, error.reason, { provider: provider.id });
    return signInPage(reply.code(refusal.status), {
      errors: formErrors([{ field: 'sso', message: refusal.message(provider.label, error) }]),
    });
  }

  return async (app) => {
    app.get(
      '/sign-in',
      { schema: { querystring: Type.Object({ next: Type.Optional(Type.String({ maxLength: 500 })) }) } },
      async (request, reply) => {
        if (request.principal) return reply.redirect('/', 303);
        // Read without writing: an anonymous visit must not create a session row (issue 9, finding 9).
        const flash = takeFlash(request);
        return signInPage(reply, {
          next: request.query.next,
          expired: flash === 'expired',
          signedOut: flash === 'signed-out',
        });
      },
    );

    app.post(
      '/sign-in',
      {
        schema: {
          body: PostedForm({
            email: Type.Optional(Type.String({ maxLength: 320 })),
            password: Type.Optional(Type.String({ maxLength: 256 })),
            next: Type.Optional(Type.String({ maxLength: 500 })),
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
          const result = await signInWithPassword(deps, directory, email, password, request.ip, request.id);
          if (result.ok && result.secondStep === 'none') {
            return reply.redirect(await signInAs(request, result.userId, request.body.next), 303);
          }
          if (result.ok) {
            await request.session.regenerate();
            request.session.pendingUserId = result.userId;
            request.session.pendingSince = deps.now().getTime();
            request.session.pendingNext = request.body.next;
            return reply.redirect(
              result.secondStep === 'verify' ? '/sign-in/two-factor' : '/sign-in/two-factor/set-up',
              303,
            );
          }
          errors.push({ field: 'email', message: WRONG_PASSWORD });
        }
        return reply.code(400).page('auth/views/sign-in.njk', {
          title: 'Sign in to Harbour',
          providers: providerLinks,
          errors: formErrors(errors),
          values: { email },
          next: request.body.next,
        });
      },
    );

    // Second factor: a code from the authenticator app, or a recovery code.
    app.get('/sign-in/two-factor', async (request, reply) => {
      if (!(await pendingUser(request))) return reply.redirect('/sign-in', 303);
      return reply.page('auth/views/two-factor.njk', { title: 'Enter your security code' });
    });

    app.post(
      '/sign-in/two-factor',
      {
        schema: { body: TwoFactorCodeBody },
      },
      async (request, reply) => {
        const user = await pendingUser(request);
        if (!user) return reply.redirect('/sign-in', 303);
        const code = request.body.code.trim();
        const now = deps.now();
        const keys = signInKeys(user.email, request.ip);
        const waiting = await waitingKeys(deps.db, keys, now);
        let method: 'app' | 'recovery code' | null = null;
        if (waiting.length === 0 && code) {
          if (await verifyTotpForUser(deps.db, user.id, code, now)) method = 'app';
          else if (
            code.replace(/[^A-Za-z0-9]/g, '').length === 16 &&
            (await useRecoveryCode(deps.db, user.id, code, now))
          )
            method = 'recovery code';
        }
        if (!method) {
          if (waiting.length === 0 && code)
            await recordFailure(deps.db, throttleRules(deps.config.partnership.signIn), keys, now);
          await auditFor(
            request,
            user,
            'sign-in.second-factor',
            'denied',
            waiting.length ? 'throttled' : 'wrong code',
          );
          return reply.code(400).page('auth/views/two-factor.njk', {
            title: 'Enter your security code',
            errors: formErrors([{ field: 'code', message: code ? WRONG_CODE : 'Enter your security code' }]),
          });
        }
        await completeSignIn(deps, directory, user.id);
        await auditFor(request, user, 'sign-in.second-factor', 'allowed', `verified by ${method}`);
        return reply.redirect(await signInAs(request, user.id, request.session.pendingNext), 303);
      },
    );

    app.get('/sign-in/two-factor/set-up', async (request, reply) => {
      const user = await pendingUser(request);
      if (!user) return reply.redirect('/sign-in', 303);
      request.session.mfaSetupSecret ??= newTotpSecret();
      return setUpPage(reply, user.email, request.session.mfaSetupSecret);
    });

    async function setUpPage(reply: FastifyReply, email: string, secret: string, errors?: FieldError[]) {
      const uri = totpUri(deps.config.partnership.signIn.mfa.issuer, email, secret);
      return reply.code(errors ? 400 : 200).page('auth/views/two-factor-set-up.njk', {
        title: 'Set up your authenticator app',
        // Markup drawn here by the QR library from our own otpauth URI, marked safe at its source so
        // the template prints no value unescaped.
        qrCode: new nunjucks.runtime.SafeString(await qrCodeSvg(uri)),
        secret: secret.replace(/(.{4})/g, '$1 ').trim(),
        ...(errors ? { errors: formErrors(errors) } : {}),
      });
    }

    app.post(
      '/sign-in/two-factor/set-up',
      {
        schema: { body: TwoFactorCodeBody },
      },
      async (request, reply) => {
        const user = await pendingUser(request);
        const secret = request.session.mfaSetupSecret;
        if (!user || !secret) return reply.redirect('/sign-in', 303);
        const now = deps.now();
        const step = await checkTotp(secret, request.body.code, now);
        if (step === null) {
          await auditFor(request, user, 'mfa.enrol', 'denied', 'wrong code');
          return setUpPage(reply, user.email, secret, [
            { field: 'code', message: 'Enter the 6-digit code your authenticator app shows for Harbour' },
          ]);
        }
        const codes = await enrolTotp(
          deps.db,
          user.id,
          secret,
          step,
          deps.config.partnership.signIn.mfa.recoveryCodes,
          now,
        );
        await completeSignIn(deps, directory, user.id);
        await auditFor(request, user, 'mfa.enrol', 'allowed', 'authenticator app set up');
        const next = await signInAs(request, user.id, request.session.pendingNext);
        reply.header('cache-control', 'no-store');
        return reply.page('auth/views/recovery-codes.njk', {
          title: 'Save your recovery codes',
          codes,
          next,
        });
      },
    );

    // Single sign-on through the partnership's identity providers.
    app.get(
      '/sign-in/sso/:provider',
      {
        schema: {
          params: Type.Object({ provider: Type.String({ maxLength: 64 }) }),
          querystring: Type.Object({ next: Type.Optional(Type.String({ maxLength: 500 })) }),
        },
      },
      async (request, reply) => {
        const provider = providers.get(request.params.provider);
        if (!provider) return reply.redirect('/sign-in', 303);
        try {
          const { url, transaction } = await provider.begin();
          request.session.oidc = {
            ...transaction,
            ...(request.query.next ? { next: request.query.next } : {}),
          };
          return reply.redirect(url, 303);
        } catch (error) {
          return ssoRefused(request, reply, error, provider, SSO_REFUSALS.begin);
        }
      },
    );

    app.get(
      '/sign-in/sso/:provider/callback',
      { schema: { params: Type.Object({ provider: Type.String({ maxLength: 64 }) }) } },
      async (request, reply) => {
        const provider = providers.get(request.params.provider);
        const settings = providerSettings.get(request.params.provider);
        if (!provider || !settings) return reply.redirect('/sign-in', 303);
        // The transaction is spent before anything is checked, so a callback can never be replayed.
        const transaction = request.session.oidc;
        if (transaction) request.session.oidc = undefined;
        try {
          if (!transaction || transaction.provider !== provider.id)
            throw new ExternalSignInRefused('no sign-in in progress for this browser (expired, or replayed)');
          const callbackUrl = new URL(request.url, deps.config.publicUrl);
          const identity = await provider.complete(callbackUrl, transaction);
          const account = await resolveExternalAccount(deps, settings, identity, request.id);
          await completeSignIn(deps, directory, account.userId);
          const next = await signInAs(request, account.userId, transaction.next);
          request.session.identityProvider = provider.id;
          request.session.idToken = identity.idToken;
          await recordAudit(
            deps.db,
            {
              principal: { ...SYSTEM_PRINCIPAL, userId: account.userId, name: account.name, channel: 'web' },
              requestId: request.id,
            },
            {
              action: 'sign-in',
              outcome: 'allowed',
              reason: `signed in with ${provider.id}${identity.usedMfa ? ' (provider MFA)' : ''}`,
              subjectType: 'user',
              subjectId: account.userId,
              details: { provider: provider.id, address: request.ip, provisioned: account.provisioned },
            },
          );
          return reply.redirect(next, 303);
        } catch (error) {
          return ssoRefused(request, reply, error, provider, SSO_REFUSALS.complete);
        }
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
      const provider = request.session.identityProvider
        ? providers.get(request.session.identityProvider)
        : undefined;
      const idToken = request.session.idToken;
      await request.session.regenerate();
      request.session.flash = 'signed-out';
      const providerSignOut =
        provider && idToken ? await provider.signOutUrl(idToken, `${deps.config.publicUrl}/sign-in`) : null;
      return reply.redirect(providerSignOut ?? '/sign-in', 303);
    });
  };
}
