import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { type App, buildApp } from '../../src/app.ts';
import { DEMO_PASSWORD } from '../../src/modules/demo/partnership.ts';
import type { Deps } from '../../src/platform/deps.ts';
import { buildServices, registerJobs } from '../../src/services.ts';

/** The app as the server assembles it: services built once, jobs registered, routes given both. */
export async function testApp(deps: Deps): Promise<App> {
  const services = buildServices(deps);
  await registerJobs(services);
  const app = await buildApp(services, { logger: false });
  await app.ready();
  return app;
}

/** A browser stand-in: keeps cookies between requests and reads CSRF tokens from forms. */
export class Browser {
  readonly #app: App;
  readonly #cookies = new Map<string, string>();
  readonly #remoteAddress: string | undefined;
  lastCsrf = '';

  /** `remoteAddress` lets a test sign in from its own address, so address throttles stay apart. */
  constructor(app: App, options: { remoteAddress?: string } = {}) {
    this.#app = app;
    this.#remoteAddress = options.remoteAddress;
  }

  #cookieHeader(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** Every cookie held, as a Cookie header, for tests that send a request of their own making. */
  cookieHeader(): string {
    return this.#cookieHeader();
  }

  #remember(response: LightMyRequestResponse) {
    for (const cookie of response.cookies) {
      if (cookie.value === '' || (cookie.expires && cookie.expires.getTime() < Date.now()))
        this.#cookies.delete(cookie.name);
      else this.#cookies.set(cookie.name, cookie.value);
    }
    const match = /name="_csrf" value="([^"]+)"/.exec(response.body);
    if (match) this.lastCsrf = match[1]!;
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    const response = await this.#app.inject({
      method: 'GET',
      url,
      headers: { cookie: this.#cookieHeader() },
      ...(this.#remoteAddress ? { remoteAddress: this.#remoteAddress } : {}),
    });
    this.#remember(response);
    return response;
  }

  /** Posts a form; the CSRF token from the last page is added unless the test says otherwise. */
  async post(
    url: string,
    form: Record<string, string | string[]>,
    options: { csrf?: string | null } = {},
  ): Promise<LightMyRequestResponse> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(form)) {
      for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
    }
    const csrf = options.csrf === undefined ? this.lastCsrf : options.csrf;
    if (csrf !== null) params.append('_csrf', csrf);
    const response = await this.#app.inject({
      method: 'POST',
      url,
      headers: { cookie: this.#cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: params.toString(),
      ...(this.#remoteAddress ? { remoteAddress: this.#remoteAddress } : {}),
    });
    this.#remember(response);
    return response;
  }

  cookie(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  setCookie(name: string, value: string): void {
    this.#cookies.set(name, value);
  }

  async signIn(email: string, password = DEMO_PASSWORD): Promise<LightMyRequestResponse> {
    await this.get('/sign-in');
    return this.post('/sign-in', { email, password });
  }
}

/** A browser stand-in signed in as a seeded user, for tests about what that user then sees. */
export async function signedIn(
  app: App,
  email: string,
  options: { remoteAddress?: string } = {},
): Promise<Browser> {
  const browser = new Browser(app, options);
  await browser.signIn(email);
  return browser;
}

/** The fields a refused API request's problem+json names, in the order it names them. */
export function problemFields(response: LightMyRequestResponse): string[] {
  return (response.json().errors as { field: string }[]).map((e) => e.field);
}

/** A 400 whose problem+json names every field given (and perhaps more). */
export function assertNamesFields(response: LightMyRequestResponse, fields: readonly string[]): void {
  assert.equal(response.statusCode, 400);
  const named = problemFields(response);
  for (const field of fields) assert.ok(named.includes(field), `${field} is named in ${named.join(', ')}`);
}
