import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type FieldError, ValidationError } from '../errors.ts';
import { sendProblem } from './problem.ts';

/**
 * The one place where every string a caller sends is checked before any route sees it: JSON and
 * form bodies, the query string, path parameters and headers, on every route, API and pages
 * alike. PostgreSQL cannot store a NUL character in `text` or `jsonb`, nor a UTF-16 surrogate
 * without its pair in `jsonb` (and the `pg` driver silently turns one into U+FFFD in `text`), so
 * such a string used to reach the database and fail there as a 500. Here it becomes a 400 naming
 * the field, before validation, before the handler, and so before anything is written.
 * See docs/decisions/0015-input-hygiene-and-escaping.md for why a hook rather than a schema format.
 */

type Location = 'body' | 'query' | 'params' | 'headers';

/** Enough to show the caller what to fix without an answer as large as a hostile request. */
const MAX_REPORTED = 20;

const WHERE: Record<Location, string> = {
  body: 'The field',
  query: 'The query parameter',
  params: 'The address segment',
  headers: 'The header',
};

export function unstorableReason(value: string): string | null {
  if (value.includes('\u0000')) return 'a NUL character (U+0000)';
  if (!value.isWellFormed()) return 'an unpaired UTF-16 surrogate (broken Unicode)';
  return null;
}

/** The name a caller knows the field by: `children[0].givenName`, as the schema errors say it. */
function childName(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  const shown = key.toWellFormed().replaceAll('\u0000', '\uFFFD');
  return parent ? `${parent}.${shown}` : shown;
}

/**
 * Every string (values and object keys) in a parsed request part that cannot be stored. Walks
 * with an explicit stack: a deeply nested JSON body must not overflow the call stack.
 */
export function unstorableFields(value: unknown, location: Location): FieldError[] {
  const errors: FieldError[] = [];
  const stack: { value: unknown; name: string }[] = [{ value, name: '' }];
  while (stack.length > 0 && errors.length < MAX_REPORTED) {
    const item = stack.pop()!;
    if (typeof item.value === 'string') {
      const reason = unstorableReason(item.value);
      if (reason) {
        const field = item.name || location;
        errors.push({
          field,
          message: `${WHERE[location]} “${field}” contains ${reason}, which cannot be stored. Remove it and send again.`,
        });
      }
    } else if (Array.isArray(item.value)) {
      for (let i = item.value.length - 1; i >= 0; i--)
        stack.push({ value: item.value[i], name: childName(item.name, i) });
    } else if (item.value !== null && typeof item.value === 'object') {
      const entries = Object.entries(item.value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const name = childName(item.name, key);
        const keyReason = unstorableReason(key);
        if (keyReason)
          errors.push({
            field: name,
            message: `${WHERE[location]} name “${name}” contains ${keyReason}, which cannot be stored. Remove it and send again.`,
          });
        stack.push({ value: child, name });
      }
    }
  }
  return errors.slice(0, MAX_REPORTED);
}

function requestErrors(request: FastifyRequest): FieldError[] {
  return [
    ...unstorableFields(request.params, 'params'),
    ...unstorableFields(request.query, 'query'),
    ...unstorableFields(request.headers, 'headers'),
    ...unstorableFields(request.body, 'body'),
  ].slice(0, MAX_REPORTED);
}

/**
 * Registered on the root instance before any module, so it runs for every route. preValidation
 * is the first hook that sees the parsed body; a ValidationError there becomes the usual 400
 * problem+json on the API and the GOV.UK error summary on pages (platform/http/error-handling.ts).
 */
export function registerInputHygiene(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const errors = requestErrors(request);
    if (errors.length > 0) throw new ValidationError(errors);
  });
}

/**
 * Fastify's `frameworkErrors`: a path that does not decode (a percent-encoded lone surrogate,
 * `%ED%B0%80`) is refused before routing, and so before every hook. It gets the same answers as
 * any other bad input instead of Fastify's own JSON.
 */
export function refuseBadUrl(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const message =
    error.code === 'FST_ERR_BAD_URL'
      ? 'The address contains characters that are not valid UTF-8. Check it and try again.'
      : 'The address is not valid.';
  if (request.url.startsWith('/api/')) {
    sendProblem(reply, 400, 'The address is not valid. Nothing was written.', {
      errors: [{ field: 'path', message }],
    });
    return;
  }
  // Routing has not happened, so the reply has no page decorator: render through the instance.
  const view = (request.server as unknown as { view(t: string, d: object): Promise<string> }).view;
  view
    .call(request.server, 'errors/error.njk', {
      title: 'There is a problem with the address',
      paragraphs: ['Nothing has been saved.'],
      errors: { summary: [{ text: message }], byField: {} },
      navigation: [],
      requestId: request.id,
    })
    .then((html) =>
      reply
        .code(400)
        // No hook has run, so helmet has not either: the essentials, by hand.
        .header(
          'content-security-policy',
          "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
        )
        .header('x-content-type-options', 'nosniff')
        .type('text/html; charset=utf-8')
        .send(html),
    )
    .catch(() => reply.code(400).type('text/plain; charset=utf-8').send(message));
}
