import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { configureViewEnvironment, TEMPLATE_PATHS } from '../../src/platform/views.ts';

/**
 * Finding 6 of the attack review: a child named `<meta http-equiv=refresh …>` redirected whoever
 * opened the enquiry, because a template concatenated the name into a component's `html:`.
 * Every template is rendered here with a hostile value for every string it asks for, and the
 * output is parsed: no element or attribute may come from those values. A template that builds
 * markup from a value without escaping it fails this test.
 */

const SRC = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

/** Each fragment carries a `data-hostile` attribute, so any markup it creates is found by name. */
const HOSTILE = [
  '<meta http-equiv=refresh content="0;url=//attacker.invalid" data-hostile=text>',
  '"><img src=x data-hostile=dq>',
  "'><img src=x data-hostile=sq>",
  ' data-hostile-unquoted=1 ',
  '</textarea></title><b data-hostile=raw>',
].join('');

const RESERVED = new Set(
  (
    'true false none null undefined and or not in is if else elif endif for endfor set endset block ' +
    'endblock extends include import from as macro endmacro call endcall with without context raw ' +
    'endraw filter endfilter loop caller super ignore missing recursive'
  ).split(' '),
);

function templatesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.njk'))
    .map((file) => path.join(dir, file));
}

const FILES = templatesUnder(SRC).sort();
/** Names as the loader knows them: relative to src/views or src/modules. */
const NAMES = FILES.map((file) => {
  const views = path.join(SRC, 'views');
  return path.relative(file.startsWith(views) ? views : path.join(SRC, 'modules'), file);
});
const SOURCES = new Map(NAMES.map((name, i) => [name, readFileSync(FILES[i]!, 'utf8')]));

/** Every name any template reads, so the context can answer each with a hostile value. */
function identifiers(source: string): Set<string> {
  const names = new Set<string>();
  for (const tag of source.matchAll(/\{\{([\s\S]*?)\}\}|\{%([\s\S]*?)%\}/g)) {
    const code = (tag[1] ?? tag[2] ?? '').replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
    for (const word of code.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g))
      if (!RESERVED.has(word[0])) names.add(word[0]);
  }
  return names;
}
const TOP_LEVEL = new Set([...SOURCES.values()].flatMap((source) => [...identifiers(source)]));
/** Names called as functions (`typeLabel(event.type)`): routes pass helpers as well as data. */
const CALLED = new Set(
  [...SOURCES.values()].flatMap((source) =>
    [...source.matchAll(/(?<![.\w])([A-Za-z_]\w*)\(/g)].map((m) => m[1]!),
  ),
);

/** Macros a file defines, with their parameter count, for files that only define macros. */
function macrosOf(source: string): { name: string; arity: number }[] {
  return [...source.matchAll(/\{%-?\s*macro\s+(\w+)\(([^)]*)\)/g)].map((m) => ({
    name: m[1]!,
    arity: m[2]!.split(',').filter((p) => p.trim()).length,
  }));
}
const withoutMacros = (source: string) =>
  source
    .replace(/\{%-?\s*macro[\s\S]*?endmacro\s*-?%\}/g, '')
    .replace(/\{#[\s\S]*?#\}/g, '')
    .replace(/\{%[\s\S]*?%\}/g, '');

type Override = { key: string; value: unknown };

/**
 * Branches a value decides: `x.status == "closed"`, `x.kind in ["a", "b"]`, `value === true` and
 * `{% if x.flag %}`. Each becomes a render in which that key holds the literal (or is absent), so
 * the markup behind those branches is rendered with hostile values too.
 */
function overridesFor(source: string): Override[] {
  const found = new Map<string, Override>();
  const add = (pathText: string, value: unknown) => {
    const key = pathText.split('.').pop()!;
    if (RESERVED.has(key)) return;
    found.set(`${key}=${JSON.stringify(value)}`, { key, value });
  };
  const literal = /"([^"]*)"|'([^']*)'|\b(true|false)\b/;
  for (const m of source.matchAll(/([A-Za-z_][\w.]*)\s*(?:===?|!==?)\s*("[^"]*"|'[^']*'|true|false)/g)) {
    const lit = literal.exec(m[2]!)!;
    add(m[1]!, lit[3] ? lit[3] === 'true' : (lit[1] ?? lit[2]));
  }
  for (const m of source.matchAll(/("[^"]*"|'[^']*')\s*(?:===?|!==?)\s*([A-Za-z_][\w.]*)/g))
    add(m[2]!, m[1]!.slice(1, -1));
  for (const m of source.matchAll(/([A-Za-z_][\w.]*)\s+(?:not\s+)?in\s+\[([^\]]*)\]/g))
    for (const item of m[2]!.matchAll(/"([^"]*)"|'([^']*)'/g)) add(m[1]!, item[1] ?? item[2]);
  for (const m of source.matchAll(/\{%-?\s*(?:if|elif)\s+([^%]*)%\}|\bif\s+([^{}%]*?)\s+else\b/g))
    for (const p of (m[1] ?? m[2] ?? '').matchAll(/[A-Za-z_][\w.]*/g)) add(p[0], undefined);
  return [...found.values()];
}

/** Methods templates call on values from their context (`date.toISOString()`). */
const METHODS = new Set(['toISOString']);

/**
 * Built-in filters (`lower`, `replace`, `join`, GOV.UK's `trim` and `indent`) call these string and
 * array methods on their input. Only these: a data key such as `at` must stay a value.
 */
const STRING_METHODS = new Set(
  'toLowerCase toUpperCase replace replaceAll split slice charAt trim indexOf lastIndexOf substring substr startsWith endsWith padStart'.split(
    ' ',
  ),
);
const ARRAY_METHODS = new Set('join map filter forEach concat some every reduce'.split(' '));

function methodOf(key: string, items: () => unknown[]): ((...args: unknown[]) => unknown) | undefined {
  const methods = (proto: object) => proto as unknown as Record<string, (...a: unknown[]) => unknown>;
  if (STRING_METHODS.has(key)) return (...args) => methods(String.prototype)[key]!.apply(HOSTILE, args);
  if (ARRAY_METHODS.has(key)) return (...args) => methods(Array.prototype)[key]!.apply(items(), args);
  return undefined;
}

/**
 * A value that is every kind of thing a template might ask for: it prints as the hostile string,
 * has any property (itself such a value) and iterates as two of them. It is an object, not a
 * function, because nunjucks wraps a function-valued property in a plain closure. Keys ending
 * in `html` are absent: no route passes markup to a template, and a GOV.UK component prints an
 * `html` parameter as it is, so offering one would test the fake rather than the templates.
 */
function hostileValue(override: Override | null, seen: { count: number }): unknown {
  const cache = new Map<string, unknown>();
  const node: unknown = new Proxy(
    {},
    {
      get(_target, key) {
        if (key === Symbol.toPrimitive)
          return (hint: string) => {
            seen.count++;
            return hint === 'number' ? 2 : HOSTILE;
          };
        if (key === 'toString' || key === 'valueOf' || key === 'toJSON' || METHODS.has(key as string))
          return () => {
            seen.count++;
            return HOSTILE;
          };
        if (key === Symbol.iterator)
          return function* items() {
            yield child('0');
            yield child('1');
          };
        if (typeof key === 'symbol' || key === 'then' || /html$/i.test(key)) return undefined;
        if (key === 'length') return 2;
        return methodOf(key, () => [child('0'), child('1')]) ?? child(key);
      },
      ownKeys: () => ['first', 'second'],
      getOwnPropertyDescriptor: (_target, key) =>
        typeof key === 'string' ? { value: child(key), enumerable: true, configurable: true } : undefined,
    },
  );
  function child(key: string): unknown {
    if (override && key === override.key) return override.value;
    if (!cache.has(key)) cache.set(key, hostileValue(override, seen));
    return cache.get(key);
  }
  return node;
}

function contextFor(override: Override | null, seen: { count: number }): Record<string, unknown> {
  const context: Record<string, unknown> = {};
  for (const name of TOP_LEVEL) {
    if (override && name === override.key) context[name] = override.value;
    else if (CALLED.has(name)) context[name] = () => hostileValue(override, seen);
    else context[name] = hostileValue(override, seen);
  }
  return context;
}

type Element = DefaultTreeAdapterMap['element'];

/** Markup that came from a hostile value: an element or attribute its fragments would create. */
function injected(html: string): string[] {
  // Escaped, a fragment has no `<` of its own, so only a tag still open before it could hold it.
  if (!/<[a-z][^>]*\s(data-hostile|http-equiv|src=x)/i.test(html)) return [];
  const found: string[] = [];
  const visit = (node: DefaultTreeAdapterMap['parentNode'] | DefaultTreeAdapterMap['childNode']) => {
    const element = node as Partial<Element>;
    for (const attr of element.attrs ?? []) {
      if (attr.name.startsWith('data-hostile') || (attr.name === 'src' && attr.value === 'x'))
        found.push(`<${element.tagName} ${attr.name}="${attr.value}">`);
      if (attr.name === 'http-equiv') found.push(`<${element.tagName} http-equiv="${attr.value}">`);
    }
    if (element.tagName === 'template' && 'content' in element) visit(element.content as never);
    for (const childNode of (node as DefaultTreeAdapterMap['parentNode']).childNodes ?? []) visit(childNode);
  };
  visit(parse(html));
  return found;
}

const env = nunjucks.configure(TEMPLATE_PATHS, {});
configureViewEnvironment(env);

describe('every template escapes the values it is given (finding 6)', () => {
  it('finds every template under src/', () => {
    assert.ok(NAMES.length >= 50, `only ${NAMES.length} templates found`);
    assert.ok(NAMES.includes('front-door/views/enquiry.njk'));
    assert.ok(NAMES.includes('people/views/merge.njk'));
  });

  for (const name of NAMES) {
    const source = SOURCES.get(name)!;
    if (withoutMacros(source).trim() === '') {
      it(`${name}: every macro called with hostile arguments creates no markup`, () => {
        const macros = macrosOf(source);
        assert.ok(macros.length > 0);
        for (const macro of macros) {
          const args = Array.from({ length: macro.arity }, (_, i) => `a${i}`);
          const seen = { count: 0 };
          const context = Object.fromEntries(args.map((a) => [a, hostileValue(null, seen)]));
          const html = env.renderString(
            `{% from "${name}" import ${macro.name} %}{{ ${macro.name}(${args.join(', ')}) }}`,
            context,
          );
          assert.deepEqual(injected(html), [], `${name} ${macro.name}() rendered hostile values as markup`);
        }
      });
      continue;
    }
    it(`${name} creates no markup from hostile values, on every branch it has`, () => {
      const variants: (Override | null)[] = [null, ...overridesFor(source)];
      let printed = 0;
      let rendered = 0;
      const checked = new Set<string>();
      for (const override of variants) {
        const seen = { count: 0 };
        let html: string;
        try {
          html = env.render(name, contextFor(override, seen));
        } catch (error) {
          // A branch variant can describe a context no route builds (a list left out): the plain
          // hostile context must render, a variant only has to when it can.
          if (override) continue;
          throw error;
        }
        rendered++;
        printed += seen.count;
        if (checked.has(html)) continue;
        checked.add(html);
        assert.deepEqual(
          injected(html),
          [],
          `${name} rendered hostile values as markup${override ? ` (with ${override.key} = ${JSON.stringify(override.value)})` : ''}`,
        );
      }
      // The hostile values were used: the test is not passing on a template that printed none.
      assert.ok(printed > 0, `${name} printed no value from its context`);
      assert.ok(
        rendered * 2 > variants.length,
        `${name}: only ${rendered} of ${variants.length} variants rendered`,
      );
    });
  }
});

describe('the hostile-value check itself', () => {
  it('catches a value concatenated into a component’s html (the merge page as it was)', () => {
    const before =
      '{% from "govuk/components/summary-list/macro.njk" import govukSummaryList %}' +
      '{{ govukSummaryList({ rows: [{ key: { text: "Kept" }, value: { html: \'<a class="govuk-link" href="/people/\' + merge.survivor_id + \'">\' + merge.survivor_given_name + \'</a>\' } }] }) }}';
    const html = env.renderString(before, contextFor(null, { count: 0 }));
    assert.ok(injected(html).length > 0, 'the unescaped concatenation was not detected');
  });

  it('catches a value printed with | safe and one in an unquoted attribute', () => {
    assert.ok(injected(env.renderString('<p>{{ name | safe }}</p>', contextFor(null, { count: 0 }))).length);
    assert.ok(injected(env.renderString('<p title={{ name }}>x</p>', contextFor(null, { count: 0 }))).length);
  });
});
