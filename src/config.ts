import { readFileSync } from 'node:fs';
import path from 'node:path';
import Type from 'typebox';
import { Value } from 'typebox/value';
import { applyNotificationEnvironment } from './modules/notifications/settings.ts';
import { type PartnershipSettings, parsePartnershipSettings } from './partnership-settings.ts';
import { resolveProviderSecrets } from './platform/auth/settings.ts';

/** Used when HARBOUR_SESSION_SECRET is unset; acceptable for a laptop demo, refused in production. */
export const DEVELOPMENT_SESSION_SECRET = 'harbour-development-session-secret-not-for-production-use';

const LogLevel = Type.Union(
  ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
);

const ConfigSchema = Type.Object({
  environment: Type.Union([Type.Literal('production'), Type.Literal('development'), Type.Literal('test')]),
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  host: Type.String({ minLength: 1 }),
  databaseUrl: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  /** PostgreSQL connections this process keeps (the job queue has its own few). */
  databasePoolSize: Type.Integer({ minimum: 1, maximum: 500 }),
  dataDir: Type.String({ minLength: 1 }),
  demo: Type.Boolean(),
  sessionSecret: Type.String({ minLength: 32 }),
  sessionIdleMinutes: Type.Integer({ minimum: 1, maximum: 24 * 60 }),
  secureCookies: Type.Boolean(),
  trustProxy: Type.Boolean(),
  logLevel: LogLevel,
  partnershipFile: Type.Optional(Type.String({ minLength: 1 })),
  /** Where browsers reach Harbour; single sign-on redirect URIs are built from it. */
  publicUrl: Type.String({ pattern: '^https?://[^/]+$' }),
  auditSealIntervalMs: Type.Integer({ minimum: 10, maximum: 60_000 }),
  auditSealBatch: Type.Integer({ minimum: 1, maximum: 100_000 }),
  auditUnsealedMaxAgeSeconds: Type.Integer({ minimum: 1 }),
  /** Bearer token Prometheus sends to /metrics; unset, /metrics is off (decision 0012). */
  metricsToken: Type.Optional(Type.String({ minLength: 24 })),
});

export type Config = Type.Static<typeof ConfigSchema> & { partnership: PartnershipSettings };

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      `Harbour cannot start: the configuration is not valid.\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Which environment variable feeds each setting, so errors name what the operator actually set. */
const SOURCES: Record<string, string> = {
  environment: 'NODE_ENV',
  port: 'PORT',
  host: 'HOST',
  databaseUrl: 'DATABASE_URL',
  databasePoolSize: 'HARBOUR_DATABASE_POOL_SIZE',
  dataDir: 'HARBOUR_DATA_DIR',
  demo: 'HARBOUR_DEMO',
  sessionSecret: 'HARBOUR_SESSION_SECRET',
  sessionIdleMinutes: 'HARBOUR_SESSION_IDLE_MINUTES',
  secureCookies: 'HARBOUR_SECURE_COOKIES',
  trustProxy: 'HARBOUR_TRUST_PROXY',
  logLevel: 'LOG_LEVEL',
  partnershipFile: 'HARBOUR_PARTNERSHIP_FILE',
  publicUrl: 'HARBOUR_PUBLIC_URL',
  auditSealIntervalMs: 'HARBOUR_AUDIT_SEAL_INTERVAL_MS',
  auditSealBatch: 'HARBOUR_AUDIT_SEAL_BATCH',
  auditUnsealedMaxAgeSeconds: 'HARBOUR_AUDIT_UNSEALED_MAX_AGE_SECONDS',
  metricsToken: 'HARBOUR_METRICS_TOKEN',
};

type Env = Record<string, string | undefined>;

function parseBoolean(name: string, raw: string | undefined, fallback: boolean, problems: string[]): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  problems.push(`${name} must be true or false (or 1 or 0), not "${raw}"`);
  return fallback;
}

function parseInteger(name: string, raw: string | undefined, fallback: number, problems: string[]): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) {
    problems.push(`${name} must be a whole number, not "${raw}"`);
    return fallback;
  }
  return Number(raw);
}

/** Reads and validates configuration once, at boot. Throws ConfigError listing every problem. */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const problems: string[] = [];
  const environment = env.NODE_ENV === undefined || env.NODE_ENV === '' ? 'development' : env.NODE_ENV;
  const production = environment === 'production';
  const raw = {
    environment,
    port: parseInteger('PORT', env.PORT, 3000, problems),
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    // An intake holds one connection for its whole transaction: with fewer connections than
    // concurrent requests, requests wait for a connection rather than for the database.
    databasePoolSize: parseInteger(
      'HARBOUR_DATABASE_POOL_SIZE',
      env.HARBOUR_DATABASE_POOL_SIZE,
      20,
      problems,
    ),
    dataDir: path.resolve(cwd, env.HARBOUR_DATA_DIR || './data'),
    demo: parseBoolean('HARBOUR_DEMO', env.HARBOUR_DEMO, !production, problems),
    sessionSecret: env.HARBOUR_SESSION_SECRET || DEVELOPMENT_SESSION_SECRET,
    sessionIdleMinutes: parseInteger(
      'HARBOUR_SESSION_IDLE_MINUTES',
      env.HARBOUR_SESSION_IDLE_MINUTES,
      30,
      problems,
    ),
    secureCookies: parseBoolean('HARBOUR_SECURE_COOKIES', env.HARBOUR_SECURE_COOKIES, production, problems),
    trustProxy: parseBoolean('HARBOUR_TRUST_PROXY', env.HARBOUR_TRUST_PROXY, false, problems),
    logLevel: env.LOG_LEVEL || (environment === 'test' ? 'silent' : 'info'),
    partnershipFile: env.HARBOUR_PARTNERSHIP_FILE || undefined,
    publicUrl: '',
    // The audit sealer (decision 0009): how often it looks for committed rows, how many it chains
    // per pass, and how long a committed row may stay unsealed before `audit verify` calls it a fault.
    auditSealIntervalMs: parseInteger(
      'HARBOUR_AUDIT_SEAL_INTERVAL_MS',
      env.HARBOUR_AUDIT_SEAL_INTERVAL_MS,
      200,
      problems,
    ),
    auditSealBatch: parseInteger('HARBOUR_AUDIT_SEAL_BATCH', env.HARBOUR_AUDIT_SEAL_BATCH, 2000, problems),
    auditUnsealedMaxAgeSeconds: parseInteger(
      'HARBOUR_AUDIT_UNSEALED_MAX_AGE_SECONDS',
      env.HARBOUR_AUDIT_UNSEALED_MAX_AGE_SECONDS,
      900,
      problems,
    ),
    metricsToken: env.HARBOUR_METRICS_TOKEN || undefined,
  };
  raw.publicUrl = (env.HARBOUR_PUBLIC_URL || `http://localhost:${raw.port}`).replace(/\/+$/, '');
  if (raw.databaseUrl === undefined) delete raw.databaseUrl;
  if (raw.partnershipFile === undefined) delete raw.partnershipFile;
  if (raw.metricsToken === undefined) delete raw.metricsToken;

  for (const error of Value.Errors(ConfigSchema, raw)) {
    if (error.keyword === 'anyOf') continue;
    const key = error.instancePath.replace(/^\//, '');
    const value = (raw as Record<string, unknown>)[key];
    const secret = key === 'sessionSecret' || key === 'metricsToken';
    const shown = secret ? '(hidden)' : JSON.stringify(value);
    const message =
      key === 'sessionSecret'
        ? 'must be at least 32 characters'
        : key === 'metricsToken'
          ? 'must be at least 24 characters'
          : key === 'environment'
            ? 'must be production, development or test'
            : error.message;
    const line = `${SOURCES[key] ?? key} ${message} (got ${shown})`;
    if (!problems.includes(line)) problems.push(line);
  }
  if (production && raw.sessionSecret === DEVELOPMENT_SESSION_SECRET) {
    problems.push(
      'HARBOUR_SESSION_SECRET must be set to your own secret in production (the built-in one is public)',
    );
  }
  if (production && raw.demo) {
    problems.push('HARBOUR_DEMO must be 0 in production: demo accounts have published passwords');
  }

  let partnership: PartnershipSettings | undefined;
  try {
    const fileContent = raw.partnershipFile
      ? JSON.parse(readFileSync(path.resolve(cwd, raw.partnershipFile), 'utf8'))
      : {};
    const parsed = parsePartnershipSettings(fileContent);
    if (parsed.ok) {
      partnership = parsed.settings;
      problems.push(...resolveProviderSecrets(partnership.signIn, env));
      problems.push(...applyNotificationEnvironment(partnership.notifications, env));
    } else problems.push(...parsed.errors.map((e) => `HARBOUR_PARTNERSHIP_FILE ${e}`));
  } catch (error) {
    problems.push(`HARBOUR_PARTNERSHIP_FILE could not be read as JSON: ${(error as Error).message}`);
  }

  if (problems.length > 0 || !partnership) throw new ConfigError(problems);
  return { ...(raw as Type.Static<typeof ConfigSchema>), partnership };
}
