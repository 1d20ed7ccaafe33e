import Type from 'typebox';
import { ROLES, type Role } from '../roles.ts';

const RoleName = Type.Unsafe<Role>(Type.Union(Object.keys(ROLES).map((role) => Type.Literal(role))));
const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' });

/**
 * One OpenID Connect provider (a council's Entra ID, an NHS trust's, a force's ADFS). The provider
 * proves who the person is; which agency and roles they get is Harbour's mapping below.
 */
const ProviderSettings = Type.Object(
  {
    id: Slug,
    label: Type.String({ minLength: 1, maxLength: 100 }),
    issuer: Type.String({ pattern: '^https?://' }),
    clientId: Type.String({ minLength: 1 }),
    /** The secret itself, or (better) the name of the environment variable that holds it. */
    clientSecret: Type.Optional(Type.String({ minLength: 1 })),
    clientSecretEnv: Type.Optional(Type.String({ pattern: '^[A-Z_][A-Z0-9_]*$' })),
    scope: Type.String({ default: 'openid email profile' }),
    /** The ID token claim that names the person's agency. */
    agencyClaim: Type.String({ minLength: 1, default: 'harbour_agency' }),
    /** Claim value → Harbour agency code; without an entry the claim value must be an agency code. */
    agencies: Type.Record(Type.String(), Type.String(), { default: {} }),
    /** Sign-in is refused unless the verified email ends with one of these domains. */
    allowedEmailDomains: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
    /** The claim that lists the person's groups or roles at the provider, if roles come from it. */
    roleClaim: Type.Optional(Type.String({ minLength: 1 })),
    /** Claim value → Harbour role. Unmapped values grant nothing; no role means an administrator assigns one. */
    roles: Type.Record(Type.String(), RoleName, { default: {} }),
    /** `amr` values that show the provider used more than one factor (RFC 8176). */
    mfaAmr: Type.Array(Type.String({ minLength: 1 }), { default: ['mfa'] }),
  },
  { additionalProperties: false },
);

export type ProviderSettings = Type.Static<typeof ProviderSettings>;

/**
 * The `signIn` section of the partnership settings (docs/configuration.md, docs/sign-in.md,
 * decision 0011). Failed attempts are throttled by account and by address with growing waits;
 * nothing locks an account outright.
 */
export const SignInSettingsSchema = Type.Object(
  {
    /** Failures for one email address before each further attempt must wait. */
    maxFailedAttempts: Type.Integer({ minimum: 1, maximum: 50, default: 5 }),
    /** The longest wait (minutes) however many failures follow. */
    lockoutMinutes: Type.Integer({ minimum: 1, maximum: 24 * 60, default: 15 }),
    /** Failures from one network address (any accounts) before its attempts must wait. */
    addressMaxFailedAttempts: Type.Integer({ minimum: 1, maximum: 10_000, default: 30 }),
    /** The first wait; each further failure doubles it up to lockoutMinutes. */
    firstDelaySeconds: Type.Integer({ minimum: 1, maximum: 3600, default: 30 }),
    /** A counter is forgotten after this long without a failure. */
    forgetAfterMinutes: Type.Integer({ minimum: 1, maximum: 7 * 24 * 60, default: 60 }),
    passwords: Type.Object(
      {
        /** zxcvbn score (0–4) a new password must reach. */
        minimumScore: Type.Integer({ minimum: 0, maximum: 4, default: 3 }),
        minimumLength: Type.Integer({ minimum: 8, maximum: 64, default: 12 }),
      },
      { additionalProperties: false, default: {} },
    ),
    mfa: Type.Object(
      {
        /**
         * Roles that must use a second factor with a local password. Unset: every role that reaches
         * case data and the system administrator — except in a demo installation (HARBOUR_DEMO=1),
         * where the published demo accounts sign in with a password alone (decision 0011).
         */
        requiredForRoles: Type.Optional(Type.Array(RoleName)),
        /** Shown in authenticator apps next to the code. */
        issuer: Type.String({ minLength: 1, default: 'Harbour' }),
        recoveryCodes: Type.Integer({ minimum: 4, maximum: 20, default: 10 }),
      },
      { additionalProperties: false, default: {} },
    ),
    providers: Type.Array(ProviderSettings, { default: [] }),
  },
  { additionalProperties: false, default: {} },
);

export type SignInSettings = Type.Static<typeof SignInSettingsSchema>;

/**
 * Fills each provider's clientSecret from the environment variable it names, and lists providers
 * left without a secret or sharing an id, so Harbour refuses to start rather than fail at sign-in.
 */
export function resolveProviderSecrets(
  settings: SignInSettings,
  env: Record<string, string | undefined>,
): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  settings.providers.forEach((provider, index) => {
    const where = `HARBOUR_PARTNERSHIP_FILE /signIn/providers/${index}`;
    if (seen.has(provider.id)) problems.push(`${where}/id "${provider.id}" is used by another provider`);
    seen.add(provider.id);
    if (provider.clientSecretEnv) {
      const secret = env[provider.clientSecretEnv];
      if (secret) provider.clientSecret = secret;
      else
        problems.push(
          `${provider.clientSecretEnv} must be set: provider "${provider.id}" reads its client secret from it`,
        );
    } else if (!provider.clientSecret) {
      problems.push(`${where} needs clientSecretEnv (or clientSecret)`);
    }
  });
  return problems;
}
