import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { App } from '../../src/app.ts';
import { type TestDeps, testDeps } from '../helpers/deps.ts';
import { testApp } from '../helpers/http.ts';
import { apiKeyFor, contactBody, danBody } from './front-door-fixtures.ts';
import {
  changedTables,
  hostileString,
  type JsonSchema,
  rowCounts,
  stringPaths,
  valueFor,
  withValueAt,
} from './hostile-input.ts';

/**
 * Every POST endpoint in the OpenAPI document, sent generated bodies and path parameters with a
 * valid partner or police key: no 5xx, every error is problem+json, a 400 names fields the caller
 * sent (a schema path or a key of the body), and no 4xx writes a row. Endpoints are read from
 * /api/openapi.json, so one added later is covered without changing this file.
 */

interface Operation {
  path: string;
  schema: JsonSchema | undefined;
  params: { name: string; in: string }[];
}

type Segment = string | number;

function segmentsOf(field: string): Segment[] {
  return [...field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}

/** Does a field name (`children[0].dateOfBirth`) name something in the request schema? */
function inSchema(
  schema: JsonSchema | undefined,
  segments: Segment[],
  resolve: (r: string) => JsonSchema,
): boolean {
  if (!schema) return false;
  if (schema.$ref) return inSchema(resolve(schema.$ref), segments, resolve);
  if (segments.length === 0) return true;
  const options = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  if (options) return options.some((s) => inSchema(s, segments, resolve));
  const [head, ...rest] = segments;
  if (typeof head === 'number') return inSchema(schema.items, rest, resolve);
  const property = schema.properties?.[head!];
  return property ? inSchema(property, rest, resolve) : false;
}

/** Or in the body as sent (a key the caller made up is still the caller's name for it). */
function bodyFieldNames(value: unknown, name = '', names = new Set<string>()): Set<string> {
  if (name) names.add(name);
  if (Array.isArray(value)) for (const [i, v] of value.entries()) bodyFieldNames(v, `${name}[${i}]`, names);
  else if (value && typeof value === 'object')
    for (const [key, v] of Object.entries(value)) {
      const shown = key.toWellFormed().replaceAll('\u0000', '\uFFFD');
      bodyFieldNames(v, name ? `${name}.${shown}` : shown, names);
    }
  return names;
}

let deps: TestDeps;
let app: App;
let doc: {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components?: { schemas?: Record<string, JsonSchema> };
};
let keys: string[];
let operations: Operation[];
let realIds: string[];

const resolve = (ref: string): JsonSchema => {
  const name = ref.split('/').pop()!;
  const schema = doc.components?.schemas?.[name];
  if (!schema) throw new Error(`Cannot resolve ${ref}`);
  return schema;
};

/** Valid bodies for the endpoints that have one in the fixtures, to mutate one string at a time. */
const VALID: Record<string, () => unknown> = {
  '/api/v1/domestic-abuse-notifications': () => danBody({}, `NB/24/${Math.floor(Math.random() * 1e6)}`),
  '/api/v1/contacts': () => contactBody(),
};

before(async () => {
  deps = await testDeps();
  // The generated requests all use one key: lift its rate limit so every answer is the endpoint's own.
  const { partnership } = deps.config;
  app = await testApp({
    ...deps,
    config: {
      ...deps.config,
      partnership: {
        ...partnership,
        api: { ...partnership.api, perKey: { requests: 1_000_000, windowSeconds: 60 } },
      },
    },
  });
  keys = [await apiKeyFor(deps, 'police'), await apiKeyFor(deps, 'school-riverside-primary-school')];
  doc = (await app.inject({ url: '/api/openapi.json' })).json();
  operations = Object.entries(doc.paths)
    .filter(([, methods]) => methods.post)
    .map(([path, methods]) => {
      const post = methods.post as {
        requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
        parameters?: { name: string; in: string }[];
      };
      return {
        path,
        schema: post.requestBody?.content?.['application/json']?.schema,
        params: post.parameters ?? [],
      };
    });
  const people = await deps.db.selectFrom('person').select('id').limit(3).execute();
  const enquiries = await deps.db.selectFrom('enquiry').select('id').limit(2).execute();
  realIds = [...people, ...enquiries].map((r) => r.id);
});

after(async () => {
  await app.close();
  await deps.close();
});

/** A lone surrogate has no UTF-8 form: it is sent as the bytes a careless client would send. */
const urlSegment = (value: string) =>
  value.isWellFormed()
    ? encodeURIComponent(value)
    : encodeURIComponent(value.toWellFormed()).replaceAll('%EF%BF%BD', '%ED%B0%80');

async function send(
  operation: Operation,
  body: unknown,
  pathValues: string[],
  key: string,
  idempotencyKey: string | undefined,
) {
  let i = 0;
  const url = operation.path.replace(/\{[^}]+\}/g, () => urlSegment(pathValues[i++] ?? 'x'));
  const countsBefore = await rowCounts(deps.db);
  const response = await app.inject({
    method: 'POST',
    url,
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      ...(idempotencyKey !== undefined ? { 'idempotency-key': idempotencyKey } : {}),
    },
    payload: JSON.stringify(body),
  });
  const where = `POST ${url} → ${response.statusCode}`;
  statuses.push(response.statusCode);
  assert.ok(response.statusCode < 500, `${where}: ${response.body.slice(0, 300)}`);
  if (response.statusCode >= 400) {
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/, where);
    const problem = response.json();
    assert.equal(problem.status, response.statusCode, where);
    assert.equal(typeof problem.title, 'string', where);
    if (response.statusCode === 400) {
      assert.ok(Array.isArray(problem.errors) && problem.errors.length > 0, `${where}: no field named`);
      const known = new Set([
        'body',
        'path',
        ...operation.params.map((p) => p.name.toLowerCase()),
        ...(idempotencyKey !== undefined ? ['idempotency-key'] : []),
      ]);
      for (const error of problem.errors as { field: string; message: string }[]) {
        const segments = segmentsOf(error.field);
        assert.ok(
          known.has(error.field.toLowerCase()) ||
            inSchema(operation.schema, segments, resolve) ||
            bodyFieldNames(body).has(error.field),
          `${where}: "${error.field}" is not a field the caller sent (${error.message})`,
        );
      }
    }
    const changed = changedTables(countsBefore, await rowCounts(deps.db), response.statusCode);
    assert.deepEqual(changed, [], `${where} wrote rows in ${changed.join(', ')}`);
  }
  return response.statusCode;
}

const RUNS = 8;
/** Every answer, so the test can show it reached both acceptance and refusal. */
const statuses: number[] = [];

/** Bounded runs; a failure is reported with its seed and a shortened counterexample (strings can be 1 MB). */
function runOptions(numRuns: number): fc.Parameters<unknown[]> {
  return {
    numRuns,
    endOnFailure: true,
    asyncReporter: async (details) => {
      if (!details.failed) return;
      const cause =
        details.errorInstance instanceof Error ? details.errorInstance.message : 'property failed';
      const example = JSON.stringify(details.counterexample, (_k, v) =>
        typeof v === 'string' && v.length > 200 ? `${v.slice(0, 40)}…(${v.length} characters)` : v,
      );
      throw new Error(
        `${cause}\nseed ${details.seed}, path ${details.counterexamplePath}\n${example?.slice(0, 3000)}`,
      );
    },
  };
}

describe('every POST endpoint in the OpenAPI document, with generated input', () => {
  it('finds the POST endpoints in the document', () => {
    const paths = operations.map((o) => o.path);
    for (const expected of [
      '/api/v1/domestic-abuse-notifications',
      '/api/v1/contacts',
      '/api/v1/people',
      '/api/v1/people/match',
      '/api/v1/people/{id}/events',
      '/api/v1/risk-assessments',
      '/api/v1/enquiries/{id}/response',
    ])
      assert.ok(paths.includes(expected), `${expected} is not in the OpenAPI document`);
  });

  it('answers generated bodies, parameters and headers without a 5xx, as problem+json, writing nothing on a 4xx', async () => {
    for (const operation of operations) {
      const pathParam = fc.oneof(fc.constantFrom(...realIds), fc.uuid(), hostileString);
      const body = operation.schema ? valueFor(operation.schema, resolve) : fc.constant({});
      await fc.assert(
        fc.asyncProperty(
          body,
          fc.array(pathParam, { minLength: 2, maxLength: 2 }),
          fc.constantFrom(...keys),
          fc.option(hostileString, { nil: undefined }),
          async (generated, pathValues, key, idempotencyKey) => {
            await send(operation, generated, pathValues, key, idempotencyKey);
          },
        ),
        runOptions(RUNS),
      );
    }
  });

  it('answers a valid body with one string replaced by a hostile value in the same way', async () => {
    for (const [path, valid] of Object.entries(VALID)) {
      const operation = operations.find((o) => o.path === path);
      assert.ok(operation, `${path} is not in the OpenAPI document`);
      const leaves = stringPaths(valid());
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...leaves),
          hostileString,
          fc.constantFrom(...keys),
          async (leaf, value, key) => {
            await send(operation, withValueAt(valid(), leaf, value), [], key, undefined);
          },
        ),
        runOptions(RUNS * 2),
      );
    }
    // Hostile but storable text (emoji, RTL marks, SQL) is accepted: the property is not only refusals.
    assert.ok(
      statuses.some((s) => s === 201 || s === 200),
      `no submission was accepted: ${statuses.join(' ')}`,
    );
    assert.ok(statuses.includes(400), 'no submission was refused');
  });
});
