import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import Provider from 'oidc-provider';

/**
 * A real OpenID provider (oidc-provider) in the test process, with plain, accessible login and
 * sign-out pages. `tamper` re-signs the ID token the token endpoint returns — with the provider's
 * own key, so the signature is good — to give a wrong audience or an expired token.
 */
export interface TestAccount {
  email: string;
  name: string;
  agency?: string;
  roles?: string[];
  amr?: string[];
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, TestAccount>;
  tamper: 'audience' | 'expired' | null;
  stop(): Promise<void>;
}

const page = (title: string, body: string) => `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${title} – Test identity provider</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>${title}</h1>${body}</main></body></html>`;

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (chunk) => {
      data += chunk;
    });
    req.on('end', () => resolve(new URLSearchParams(data)));
    req.on('error', reject);
  });
}

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');

function resign(idToken: string, key: KeyObject, change: (claims: Record<string, unknown>) => void): string {
  const [header, payload] = idToken.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
  change(claims);
  const body = `${header}.${b64(JSON.stringify(claims))}`;
  return `${body}.${b64(sign('sha256', Buffer.from(body), key))}`;
}

export async function startTestProvider(options: {
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  port?: number;
}): Promise<TestProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('no port');
  const issuer = `http://127.0.0.1:${address.port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-signing-key', use: 'sig', alg: 'RS256' };
  const accounts = new Map<string, TestAccount>();

  const state: TestProvider = {
    issuer,
    clientId: 'harbour',
    clientSecret: 'test-client-secret-that-is-long-enough',
    accounts,
    tamper: null,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: state.clientId,
        client_secret: state.clientSecret,
        redirect_uris: options.redirectUris,
        post_logout_redirect_uris: options.postLogoutRedirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ['test-provider-cookie-key-0123456789'] },
    pkce: { required: () => true },
    ttl: {
      Interaction: 600,
      Grant: 3600,
      Session: 3600,
      AccessToken: 600,
      IdToken: 3600,
      AuthorizationCode: 60,
    },
    conformIdTokenClaims: false,
    claims: {
      // amr travels in the ID token, as Entra ID and others send it.
      openid: ['sub', 'amr'],
      email: ['email', 'email_verified'],
      profile: ['name', 'harbour_agency', 'harbour_roles'],
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: { body: string }, form: string) => {
          ctx.body = page(
            'Sign out of the test provider',
            `${form}<p>Do you want to sign out of the test provider too?</p>
             <button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign out</button>`,
          );
        },
        postLogoutSuccessSource: async (ctx: { body: string }) => {
          ctx.body = page('Signed out of the test provider', '<p>You have signed out.</p>');
        },
      },
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx: unknown, id: string) => {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          email: account.email,
          email_verified: true,
          name: account.name,
          ...(account.agency ? { harbour_agency: account.agency } : {}),
          ...(account.roles ? { harbour_roles: account.roles } : {}),
        }),
      };
    },
    // No consent screen: the partnership's provider has Harbour pre-approved.
    loadExistingGrant: async (ctx: {
      oidc: { client: { clientId: string }; session: { accountId: string } };
    }) => {
      const grant = new provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });

  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (ctx.path === '/token' && state.tamper && body?.id_token) {
      const now = Math.floor(Date.now() / 1000);
      body.id_token = resign(body.id_token, privateKey, (claims) => {
        if (state.tamper === 'audience') claims.aud = 'another-service';
        if (state.tamper === 'expired') {
          claims.iat = now - 7200;
          claims.exp = now - 3600;
        }
      });
    }
  });

  const handle = provider.callback();
  server.on('request', async (req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/interaction\/([\w-]+)$/.exec(req.url ?? '');
    if (!match) return handle(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'GET') {
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.end(
          page(
            'Sign in to the test provider',
            `<form method="post" action="/interaction/${details.uid}">
               <label for="account">Username</label>
               <input id="account" name="account" autocomplete="username">
               <button type="submit">Continue</button>
             </form>`,
          ),
        );
        return;
      }
      const form = await readForm(req);
      const accountId = form.get('account') ?? '';
      const account = accounts.get(accountId);
      if (!account) {
        res.statusCode = 400;
        res.end(page('Unknown username', '<p>There is no such test account.</p>'));
        return;
      }
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId, amr: account.amr ?? ['pwd'] } },
        { mergeWithLastSubmission: false },
      );
    } catch (error) {
      res.statusCode = 500;
      res.end(String(error));
    }
  });
  return state;
}

/** Follows a browser's path through the provider with fetch: login form, then back to the client. */
export class ProviderClient {
  readonly #cookies = new Map<string, string>();

  async #request(url: string, init: RequestInit = {}): Promise<Response> {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers ?? {}),
        cookie: [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, ...value] = pair!.split('=');
      this.#cookies.set(name!.trim(), value.join('='));
    }
    return response;
  }

  /** Signs in at the provider as `account` and returns the URL it sends the browser back to. */
  async signIn(authorisationUrl: string, account: string): Promise<URL> {
    let response = await this.#request(authorisationUrl);
    let location = new URL(response.headers.get('location')!, authorisationUrl);
    if (location.pathname.startsWith('/interaction/')) {
      response = await this.#request(location.href, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ account }).toString(),
      });
      location = new URL(response.headers.get('location')!, location);
    }
    // Resume the authorisation at the provider until it redirects off to the client.
    const issuer = new URL(authorisationUrl).origin;
    while (location.origin === issuer) {
      response = await this.#request(location.href);
      const next = response.headers.get('location');
      if (!next) throw new Error(`the provider stopped at ${location.href} with ${response.status}`);
      location = new URL(next, location);
    }
    return location;
  }
}
