import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySession from '@fastify/session';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import fastifyView from '@fastify/view';
import Fastify, { type FastifyInstance } from 'fastify';
import nunjucks from 'nunjucks';
import { actionsApi } from './modules/actions/api.ts';
import { actionsRoutes } from './modules/actions/routes.ts';
import { adminRoutes } from './modules/admin/routes.ts';
import { signInLimitsRoutes } from './modules/admin/sign-in-limits.ts';
import { authRoutes } from './modules/auth/routes.ts';
import { chronologyApi } from './modules/chronology/api.ts';
import { chronologyRoutes } from './modules/chronology/routes.ts';
import { retentionRoutes } from './modules/data-protection/retention-routes.ts';
import { subjectAccessRoutes } from './modules/data-protection/subject-access-routes.ts';
import { encompassApi } from './modules/encompass/api.ts';
import { encompassRoutes } from './modules/encompass/routes.ts';
import { flagsApi } from './modules/flags/api.ts';
import { flagsRoutes } from './modules/flags/routes.ts';
import { frontDoorRoutes } from './modules/front-door/plugin.ts';
import { healthApi } from './modules/health/api.ts';
import { FHIR_BASE_PATH, fhirRoutes } from './modules/health/fhir/routes.ts';
import { healthRoutes } from './modules/health/routes.ts';
import { safeguardingCheckApi } from './modules/health/safeguarding-check-api.ts';
import { homeRoutes } from './modules/home/routes.ts';
import { maracApi } from './modules/marac/api.ts';
import { maracRoutes } from './modules/marac/routes.ts';
import { notificationsRoutes } from './modules/notifications/routes.ts';
import { peopleRoutes } from './modules/people/routes.ts';
import { riskApi } from './modules/risk/api.ts';
import { riskRoutes } from './modules/risk/routes.ts';
import { strategyDiscussionApi } from './modules/strategy-discussions/api.ts';
import { strategyDiscussionPages } from './modules/strategy-discussions/pages.ts';
import { systemRoutes } from './modules/system/routes.ts';
import { transferApi } from './modules/transfer/api.ts';
import { transferRoutes } from './modules/transfer/routes.ts';
import { DatabaseSessionStore } from './platform/auth/session-store.ts';
import { registerApiRateLimit } from './platform/http/api-rate-limit.ts';
import { registerAuthentication } from './platform/http/authentication.ts';
import { registerCacheControl } from './platform/http/cache-control.ts';
import { auditContext, pageContext } from './platform/http/context.ts';
import { registerErrorHandling } from './platform/http/error-handling.ts';
import { registerErrorSummaryOrder } from './platform/http/error-summary-order.ts';
import { refuseBadUrl, registerInputHygiene } from './platform/http/input-hygiene.ts';
import { ProblemSchema } from './platform/http/problem.ts';
import { loggerOptions, OneLinePerRequest } from './platform/logging.ts';
import { registerMetrics } from './platform/metrics.ts';
import { registerReadiness } from './platform/readiness.ts';
import { ASSET_DIRS, configureViewEnvironment, TEMPLATE_PATHS } from './platform/views.ts';
import type { Services } from './services.ts';

/** Absolute session lifetime; idle expiry (config) is shorter and checked on every request. */
const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;

export type App = FastifyInstance;

/** The web application over services built once by the composition root (src/services.ts). */
export async function buildApp(
  services: Services,
  /** logStream: where the JSON log lines go instead of stdout (the log test reads them). */
  options: { logger?: boolean; logStream?: { write(line: string): void } } = {},
): Promise<App> {
  const { deps, directory, people, chronology, risk, frontDoor, riskPanel } = services;
  const { config } = deps;
  const app = Fastify({
    logger: options.logger === false ? false : loggerOptions(config, options.logStream),
    genReqId: () => randomUUID(),
    // One line per request, not Fastify's two (platform/logging.ts).
    logController: new OneLinePerRequest(),
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    frameworkErrors: refuseBadUrl,
    ajv: {
      customOptions: { allErrors: true, coerceTypes: 'array', useDefaults: true, removeAdditional: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addSchema(ProblemSchema);
  await app.register(fastifyHelmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        // Signing out of a single sign-on provider redirects a form post to it.
        formAction: ["'self'", ...config.partnership.signIn.providers.map((p) => new URL(p.issuer).origin)],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: config.secureCookies ? [] : null,
      },
    },
    hsts: config.secureCookies,
  });
  await app.register(fastifyFormbody);
  await app.register(fastifyCookie, { secret: config.sessionSecret });
  await app.register(fastifySession, {
    secret: config.sessionSecret,
    cookieName: 'harbour_session',
    store: new DatabaseSessionStore(deps.db, SESSION_ABSOLUTE_MS),
    saveUninitialized: false,
    // Saved only when changed: no database write for every page view.
    rolling: false,
    cookie: {
      secure: config.secureCookies,
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      maxAge: SESSION_ABSOLUTE_MS,
    },
  });
  // The CSRF secret lives in a signed cookie (double submit), not the session, so the sign-in form
  // needs no session row for an anonymous visitor (decision 0011).
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'harbour_csrf',
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure: config.secureCookies, signed: true },
  });
  await app.register(fastifyRateLimit, { global: false });
  registerErrorSummaryOrder(app);
  registerCacheControl(app);
  registerMetrics(app, deps);
  registerReadiness(app, deps);

  await app.register(fastifyStatic, {
    root: ASSET_DIRS.govuk,
    prefix: '/assets/govuk/',
    decorateReply: false,
  });
  await app.register(fastifyStatic, {
    root: `${ASSET_DIRS.govuk}/assets`,
    prefix: '/assets/',
    decorateReply: false,
  });
  await app.register(fastifyStatic, { root: ASSET_DIRS.moj, prefix: '/assets/moj/', decorateReply: false });
  // MoJ Frontend's stylesheet asks for its filter-tag icons at /assets/images/, where the GOV.UK
  // images are served; these two are served from MoJ's own folder (issue 12).
  for (const icon of ['icon-tag-remove-cross.svg', 'icon-tag-remove-cross-white.svg'])
    app.get(`/assets/images/${icon}`, async (_request, reply) =>
      reply
        .type('image/svg+xml')
        .header('cache-control', 'public, max-age=86400')
        .send(await readFile(path.join(ASSET_DIRS.moj, 'assets', 'images', icon))),
    );
  await app.register(fastifyStatic, {
    root: ASSET_DIRS.harbour,
    prefix: '/assets/harbour/',
    decorateReply: false,
  });

  await app.register(fastifyView, {
    engine: { nunjucks },
    templates: TEMPLATE_PATHS,
    options: { onConfigure: configureViewEnvironment },
  });
  app.decorateReply('page', function page(template: string, data: Record<string, unknown> = {}) {
    return this.view(template, { ...pageContext(deps, this.request, this), ...data });
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Harbour API',
        version: '1',
        description:
          'JSON API for partner systems. Authenticate with `Authorization: Bearer <key>`; errors are RFC 9457 problem+json.',
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiKey: [] }],
    },
    hideUntagged: true,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  app.decorateRequest('principal', null);
  registerApiRateLimit(app, deps);
  registerAuthentication(app, deps, directory);
  registerInputHygiene(app);
  registerErrorHandling(app, deps);

  await app.register(systemRoutes(deps, directory));
  await app.register(authRoutes(deps, directory));
  await app.register(homeRoutes(deps));
  await app.register(adminRoutes(deps, directory));
  await app.register(signInLimitsRoutes(deps, directory));
  await app.register(
    peopleRoutes(deps, {
      people,
      directory,
      riskPanel,
      flagBanner: (request, known) => services.flags.bannerFor(auditContext(request), known),
      heldPlans: (request, known) => services.health.heldPlansFor(auditContext(request), known),
    }),
  );
  await app.register(frontDoorRoutes(deps, frontDoor));
  await app.register(chronologyApi(chronology));
  await app.register(chronologyRoutes(deps, chronology, directory));
  await app.register(riskApi(risk));
  await app.register(riskRoutes(deps, risk, people));
  await app.register(subjectAccessRoutes(deps, services.subjectAccess));
  await app.register(retentionRoutes(deps, services.retention));
  await app.register(maracApi(services.marac));
  await app.register(maracRoutes(deps, services.marac, { people, directory }));
  await app.register(actionsApi(services.actions));
  await app.register(actionsRoutes(services.actions));
  await app.register(notificationsRoutes(services.notifications));
  await app.register(strategyDiscussionApi(services.strategyDiscussions));
  await app.register(strategyDiscussionPages(services.strategyDiscussions, directory));
  await app.register(flagsApi(services.flags));
  await app.register(flagsRoutes(services.flags, people));
  await app.register(healthApi(services.health, services.healthEvents));
  await app.register(healthRoutes(services.health, services.safeguardingChecks));
  await app.register(safeguardingCheckApi(services.safeguardingChecks));
  await app.register(transferApi(services.transfer));
  await app.register(transferRoutes(services.transfer));
  await app.register(encompassApi(services.encompass));
  await app.register(encompassRoutes(services.encompass, directory));
  await app.register(fhirRoutes(deps, directory, services.health), { prefix: FHIR_BASE_PATH });
  return app;
}
