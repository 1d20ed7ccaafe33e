import * as client from 'openid-client';
import {
  type ExternalIdentity,
  ExternalSignInRefused,
  type IdentityProvider,
  type SignInTransaction,
} from './identity-providers.ts';
import type { ProviderSettings } from './settings.ts';

/** Plain HTTP is accepted only from a provider on this machine (a provider started by the tests). */
function isLoopback(url: URL): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/**
 * An OpenID Connect provider through openid-client: authorisation code flow with PKCE (S256), state
 * and nonce; openid-client checks the ID token's signature, issuer, audience, expiry and nonce.
 * Discovery runs on first use and is retried after a failure, so a provider that is down at start
 * does not stop Harbour.
 */
export class OidcIdentityProvider implements IdentityProvider {
  readonly id: string;
  readonly label: string;
  readonly #settings: ProviderSettings;
  readonly #redirectUri: string;
  #configuration: Promise<client.Configuration> | null = null;

  constructor(settings: ProviderSettings, publicUrl: string) {
    this.id = settings.id;
    this.label = settings.label;
    this.#settings = settings;
    this.#redirectUri = `${publicUrl}/sign-in/sso/${settings.id}/callback`;
  }

  get redirectUri(): string {
    return this.#redirectUri;
  }

  #discover(): Promise<client.Configuration> {
    if (!this.#configuration) {
      const issuer = new URL(this.#settings.issuer);
      const insecure = issuer.protocol === 'http:' && isLoopback(issuer);
      this.#configuration = client
        .discovery(
          issuer,
          this.#settings.clientId,
          { redirect_uris: [this.#redirectUri], response_types: ['code'] },
          client.ClientSecretBasic(this.#settings.clientSecret),
          insecure ? { execute: [client.allowInsecureRequests] } : {},
        )
        .catch((error: unknown) => {
          this.#configuration = null;
          throw new ExternalSignInRefused(`provider unavailable: ${(error as Error).message}`);
        });
    }
    return this.#configuration;
  }

  async begin(): Promise<{ url: string; transaction: SignInTransaction }> {
    const configuration = await this.#discover();
    const transaction: SignInTransaction = {
      provider: this.id,
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
    };
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.#redirectUri,
      scope: this.#settings.scope,
      code_challenge: await client.calculatePKCECodeChallenge(transaction.codeVerifier),
      code_challenge_method: 'S256',
      state: transaction.state,
      nonce: transaction.nonce,
    });
    return { url: url.href, transaction };
  }

  async complete(callbackUrl: URL, transaction: SignInTransaction): Promise<ExternalIdentity> {
    const configuration = await this.#discover();
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: transaction.codeVerifier,
        expectedState: transaction.state,
        expectedNonce: transaction.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      // openid-client wraps the failed check (oauth4webapi's own error) in `cause`; its message says
      // which check failed (state, aud, exp…), which is what the audit log needs.
      const e = error as Error & { code?: string; cause?: unknown };
      const detail = e.cause instanceof Error ? e.cause.message : undefined;
      throw new ExternalSignInRefused(
        `provider response refused: ${[e.code, detail ?? e.message].filter(Boolean).join(': ')}`,
      );
    }
    const claims = tokens.claims();
    if (!claims || !tokens.id_token) throw new ExternalSignInRefused('no ID token in the response');
    const amr = Array.isArray(claims.amr) ? claims.amr.map(String) : [];
    return {
      provider: this.id,
      subject: claims.sub,
      claims,
      idToken: tokens.id_token,
      usedMfa: amr.some((value) => this.#settings.mfaAmr.includes(value)),
    };
  }

  async signOutUrl(idToken: string, returnTo: string): Promise<string | null> {
    const configuration = await this.#discover().catch(() => null);
    if (!configuration?.serverMetadata().end_session_endpoint) return null;
    return client.buildEndSessionUrl(configuration, {
      id_token_hint: idToken,
      post_logout_redirect_uri: returnTo,
    }).href;
  }
}

export function identityProviders(
  providers: readonly ProviderSettings[],
  publicUrl: string,
): Map<string, OidcIdentityProvider> {
  return new Map(providers.map((p) => [p.id, new OidcIdentityProvider(p, publicUrl)]));
}
