import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { app, appPerFile, deps } from '../helpers/per-file.ts';

appPerFile({ seed: false });

describe('public contracts', () => {
  it('answers /healthz with the backend in use', async () => {
    const response = await app.inject('/healthz');
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: 'ok', database: deps.database.kind });
  });

  it('publishes an OpenAPI 3 document of the JSON API, and a docs page', async () => {
    const response = await app.inject('/api/openapi.json');
    assert.equal(response.statusCode, 200);
    const doc = response.json();
    assert.match(doc.openapi, /^3\./);
    assert.ok(doc.paths['/api/v1/me']?.get, 'GET /api/v1/me is documented');
    assert.ok(
      !Object.keys(doc.paths).some((p: string) => !p.startsWith('/api/v1')),
      'only the JSON API is documented',
    );
    const docs = await app.inject('/api/docs/');
    assert.equal(docs.statusCode, 200);
  });

  it('answers an unknown API path with 404 problem+json, and an unknown page with a 404 page', async () => {
    const api = await app.inject({ url: '/api/v1/nothing-here', headers: {} });
    // Unauthenticated callers learn nothing about which paths exist.
    assert.equal(api.statusCode, 401);
    const page = await app.inject('/sign-in/nothing');
    assert.ok([303, 404].includes(page.statusCode));
  });

  it('serves GOV.UK Frontend assets locally', async () => {
    const css = await app.inject('/assets/govuk/govuk-frontend.min.css');
    assert.equal(css.statusCode, 200);
    const font = await app.inject('/assets/fonts/bold-b542beb274-v2.woff2');
    assert.equal(font.statusCode, 200);
    const moj = await app.inject('/assets/moj/moj-frontend.min.css');
    assert.equal(moj.statusCode, 200);
  });

  it('sets security headers and a content security policy', async () => {
    const response = await app.inject('/sign-in');
    assert.match(String(response.headers['content-security-policy']), /default-src 'self'/);
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    const cookie = String(response.headers['set-cookie']);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
  });
});
