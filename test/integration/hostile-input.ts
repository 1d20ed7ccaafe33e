import fc from 'fast-check';
import { sql } from 'kysely';
import type { Db } from '../../src/db/database.ts';

/**
 * Generated input for the property tests of every POST endpoint and page form: strings that
 * broke or could break storage, matching, escaping or the error path, and wrong types.
 */

export const UNSTORABLE = ['a\u0000b', '\u0000', 'x\uD800y', '\uDC00', 'end\uD83D'];

const FRAGMENTS = [
  "'; DROP TABLE person; --",
  "' OR '1'='1",
  'Robert"); DELETE FROM contact; --',
  '%00%27',
  '<meta http-equiv=refresh content="0;url=//attacker.invalid">',
  '"><img src=x onerror=alert(1)>',
  '{{ 7*7 }}',
  '\u202Egnp.exe',
  '\u200F\u200E',
  'ﷺ مرحبا',
  '👩‍👧‍👦🏳️‍🌈',
  'Zoë Ångström-Ōkubo',
  '   ',
  '',
  '\r\n\t',
  '=HYPERLINK("http://attacker.invalid")',
  '../../etc/passwd',
  '0',
  '-1',
  'null',
  'true',
];

/** A million characters: over the body limit once wrapped in JSON. */
const HUGE = 'x'.repeat(1_000_000);
/** Large but under the body limit: reaches validation and, without a maximum, the database. */
const LARGE = 'Ab'.repeat(60_000);

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...UNSTORABLE) },
  { weight: 4, arbitrary: fc.constantFrom(...FRAGMENTS) },
  { weight: 1, arbitrary: fc.constantFrom(HUGE, LARGE) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...FRAGMENTS), fc.constantFrom(...UNSTORABLE))
      .map(([a, b]) => `${a}${b}`),
  },
);

const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.array(hostileString, { maxLength: 2 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 2 }),
);

/** Plausible values by field name, so that generated bodies often get past the first checks. */
function plausibleString(name: string, schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'date-time') return fc.constantFrom('2026-03-02T21:40:00Z', '2025-11-30T08:00:00Z');
  if (schema.format === 'date' || /date|Date$/.test(name)) return fc.constantFrom('2019-05-14', '2012-02-29');
  if (schema.format === 'uuid') return fc.uuid();
  if (/postcode/i.test(name)) return fc.constantFrom('NB1 4AA', 'NB2 7QT', 'SM1 2AB');
  if (/agencyCode/.test(name)) return fc.constantFrom('school-riverside-primary-school', 'gp-riverside');
  if (/email/i.test(name)) return fc.constant('someone@example.org');
  if (/phone/i.test(name)) return fc.constant('01632 960111');
  if (/nhsNumber/.test(name)) return fc.constant('9434765919');
  if (/Name$|name$/.test(name)) return fc.constantFrom('Poppy', 'Quillfeather', 'Marnie');
  return fc.constantFrom('Shouting heard by a neighbour', 'NB/24/000777', 'mother', 'yes');
}

export interface JsonSchema {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  $ref?: string;
}

/**
 * Values for a JSON schema from the OpenAPI document: mostly the right shape with plausible or
 * hostile strings, sometimes a wrong type, so that both validation and the code behind it are hit.
 */
export function valueFor(
  schema: JsonSchema,
  resolve: (ref: string) => JsonSchema,
  name = '',
  depth = 0,
): fc.Arbitrary<unknown> {
  if (schema.$ref) return valueFor(resolve(schema.$ref), resolve, name, depth);
  const right = rightShape(schema, resolve, name, depth);
  return fc.oneof({ weight: 12, arbitrary: right }, { weight: 1, arbitrary: wrongType });
}

function rightShape(
  schema: JsonSchema,
  resolve: (ref: string) => JsonSchema,
  name: string,
  depth: number,
): fc.Arbitrary<unknown> {
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return fc.oneof(...options.map((s) => valueFor(s, resolve, name, depth)));
  if (schema.allOf?.[0]) return valueFor(schema.allOf[0], resolve, name, depth);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...schema.enum) }, hostileString);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return fc.oneof({ weight: 2, arbitrary: plausibleString(name, schema) }, hostileString);
    case 'integer':
      return fc.oneof(fc.integer({ min: schema.minimum ?? -5, max: schema.maximum ?? 30 }), fc.integer());
    case 'number':
      return fc.oneof(fc.double({ noNaN: true }), fc.integer({ min: 0, max: 30 }));
    case 'boolean':
      return fc.boolean();
    case 'array':
      if (depth > 4 || !schema.items) return fc.constant([]);
      return fc.array(valueFor(schema.items, resolve, name, depth + 1), {
        minLength: 0,
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      });
    case 'object': {
      if (depth > 5) return fc.constant({});
      const required = new Set(schema.required ?? []);
      const shape: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, property] of Object.entries(schema.properties ?? {}))
        shape[key] = valueFor(property, resolve, key, depth + 1);
      const requiredKeys = Object.keys(shape).filter((k) => required.has(k));
      return fc.record(shape, { requiredKeys });
    }
    default:
      return fc.oneof(hostileString, wrongType);
  }
}

/** Every string leaf of a valid body, so one can be replaced by a hostile value. */
export function stringPaths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [at];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...at, i]));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...at, k]));
  return [];
}

export function withValueAt<T>(body: T, at: (string | number)[], value: unknown): T {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let node = copy;
  for (const key of at.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[at.at(-1)!] = value;
  return copy as T;
}

/** Rows in every table of the test's schema. */
export async function rowCounts(db: Db): Promise<Record<string, number>> {
  const tables = (
    await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db)
  ).rows
    .map((r) => r.table_name)
    .filter((t) => /^[a-z_0-9]+$/.test(t))
    .sort();
  const select = tables.map((t) => `(select count(*) from "${t}")::int as "${t}"`).join(', ');
  return (await sql.raw<Record<string, number>>(`select ${select}`).execute(db)).rows[0]!;
}

/** Request counting that runs before a request is read (decision 0010): every request counts. */
const REQUEST_COUNTERS = new Set(['rate_limit_counter', 'api_auth_failure']);

/**
 * The tables a refused request changed. A 403 is audited by design (every refusal is recorded),
 * so the audit log may grow by a 403; the API's request counters count every request; nothing
 * else may change on any 4xx.
 */
export function changedTables(
  before: Record<string, number>,
  after: Record<string, number>,
  status: number,
): string[] {
  return Object.keys({ ...before, ...after }).filter(
    (table) =>
      before[table] !== after[table] &&
      !REQUEST_COUNTERS.has(table) &&
      !(status === 403 && table === 'audit_event'),
  );
}
