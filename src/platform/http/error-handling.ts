import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError } from '../access.ts';
import { recordAudit } from '../audit.ts';
import type { Deps } from '../deps.ts';
import {
  ConflictError,
  type FieldError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
} from '../errors.ts';
import { SYSTEM_PRINCIPAL } from '../principal.ts';
import { isApiRequest } from './authentication.ts';
import { sendProblem } from './problem.ts';

/** Turns Ajv's "/children/0/dateOfBirth" into "children[0].dateOfBirth", the name a caller recognises. */
function fieldName(error: { instancePath: string; params?: Record<string, unknown> }): string {
  const missing = error.params?.missingProperty as string | undefined;
  const pathParts = error.instancePath.split('/').filter(Boolean);
  if (missing) pathParts.push(missing);
  return pathParts.reduce(
    (name, part) => (/^\d+$/.test(part) ? `${name}[${part}]` : name ? `${name}.${part}` : part),
    '',
  );
}

function validationFieldErrors(error: FastifyError): FieldError[] {
  const seen = new Set<string>();
  const fields: FieldError[] = [];
  for (const item of error.validation ?? []) {
    if (item.keyword === 'anyOf' || item.keyword === 'if') continue;
    const field = fieldName(item as never) || String(error.validationContext ?? 'body');
    // Plain words for a value outside a list (a hand-edited query string), not "must be equal to constant".
    const message =
      item.keyword === 'required'
        ? 'is required'
        : item.keyword === 'const' || item.keyword === 'enum'
          ? 'is not one of the choices offered'
          : (item.message ?? 'is not valid');
    const key = `${field} ${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    fields.push({ field, message });
  }
  return fields;
}

type AjvItem = { keyword: string; instancePath: string; params?: Record<string, unknown>; message?: string };

/**
 * What is wrong with one value of a page's web address, in words a practitioner can act on: a
 * hand-edited or stale link ("?sort=priority", "?page=0") is not a form they filled in, so the
 * message names the part of the address and what it may be, never Ajv's "must be equal to constant".
 */
function queryProblem(field: string, items: AjvItem[]): string {
  const allowed = items
    .filter((item) => item.keyword === 'const' || item.keyword === 'enum')
    .flatMap((item) =>
      item.keyword === 'const'
        ? [item.params?.allowedValue]
        : ((item.params?.allowedValues as unknown[]) ?? []),
    )
    .filter((value) => value !== '' && value !== undefined)
    .map(String);
  const part = `The web address's "${field}"`;
  if (allowed.length) return `${part} must be one of: ${[...new Set(allowed)].join(', ')}`;
  const first = items[0]!;
  const limit = first.params?.limit;
  switch (first.keyword) {
    case 'required':
      return `${part} is missing`;
    case 'type':
      return first.params?.type === 'integer' || first.params?.type === 'number'
        ? `${part} must be a whole number`
        : `${part} is not valid`;
    case 'minimum':
      return `${part} must be ${String(limit)} or more`;
    case 'maximum':
      return `${part} must be ${String(limit)} or less`;
    case 'maxLength':
      return `${part} must be ${String(limit)} characters or fewer`;
    case 'format':
      return first.params?.format === 'uuid' ? `${part} is not a record reference` : `${part} is not valid`;
    default:
      return `${part} is not valid`;
  }
}

/** One message per field of the web address that is wrong, in the order the address gave them. */
function queryProblems(error: FastifyError): string[] {
  const byField = new Map<string, AjvItem[]>();
  for (const item of (error.validation ?? []) as AjvItem[]) {
    if (item.keyword === 'anyOf' || item.keyword === 'if') continue;
    const field = fieldName(item as never) || 'query';
    byField.set(field, [...(byField.get(field) ?? []), item]);
  }
  return [...byField].map(([field, items]) => queryProblem(field, items));
}

function errorPage(reply: FastifyReply, status: number, title: string, paragraphs: string[]) {
  return reply.code(status).page('errors/error.njk', { title, paragraphs });
}

/**
 * A 400 that no form re-rendered itself (a schema or input-hygiene refusal): the GOV.UK error
 * summary lists each problem. Its items have no links because this page has no fields to link to.
 */
function invalidPage(reply: FastifyReply, messages: string[]) {
  return reply.code(400).page('errors/error.njk', {
    title: 'There is a problem with what was sent',
    paragraphs: ['Nothing has been saved. Go back, correct it and try again.'],
    errors: { summary: messages.map((text) => ({ text })), byField: {} },
  });
}

/**
 * A page asked for with a web address it cannot read (a bad sort, page or filter): a GOV.UK error
 * page whose summary says which part of the address is wrong, with a link to the page as it opens
 * without one.
 */
function badAddressPage(request: FastifyRequest, reply: FastifyReply, messages: string[]) {
  const path = request.url.split('?')[0]!;
  return reply.code(400).page('errors/error.njk', {
    title: 'This page’s web address is not right',
    paragraphs: [
      'The web address has a value this page does not offer, perhaps from an old bookmark or an edited link. Nothing has been saved.',
    ],
    links: [{ href: path, text: 'Open this page without the values in its web address' }],
    errors: { summary: messages.map((text) => ({ text })), byField: {} },
  });
}

/** A refusal is audited wherever it is answered (pages, API, FHIR). */
export async function auditDenied(deps: Deps, request: FastifyRequest, error: ForbiddenError) {
  await recordAudit(
    deps.db,
    {
      principal: request.principal ?? { ...SYSTEM_PRINCIPAL, name: 'anonymous', channel: 'web' },
      requestId: request.id,
    },
    {
      action: error.action,
      outcome: 'denied',
      reason: error.message,
      ...(error.subject?.type ? { subjectType: error.subject.type } : {}),
      ...(error.subject?.id ? { subjectId: error.subject.id } : {}),
      ...(error.subject?.personIds ? { personIds: error.subject.personIds } : {}),
      ...(error.subject?.areaId !== undefined ? { areaId: error.subject.areaId } : {}),
      details: { method: request.method, path: request.url.split('?')[0] },
    },
  );
}

export function registerErrorHandling(app: FastifyInstance, deps: Deps): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const api = isApiRequest(request);
    if (error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET') {
      await recordAudit(
        deps.db,
        {
          principal: request.principal ?? { ...SYSTEM_PRINCIPAL, name: 'anonymous', channel: 'web' },
          requestId: request.id,
        },
        {
          action: 'csrf.rejected',
          outcome: 'denied',
          reason: error.code,
          details: { method: request.method, path: request.url.split('?')[0] },
        },
      );
      return errorPage(reply, 403, 'This form has expired', [
        'For your security, the form could not be sent. Nothing has been changed.',
        'Go back, refresh the page and try again.',
      ]);
    }
    if (error.validation) {
      const errors = validationFieldErrors(error);
      if (api)
        return sendProblem(reply, 400, 'One or more fields are not valid. Nothing was written.', { errors });
      if (error.validationContext === 'querystring')
        return badAddressPage(request, reply, queryProblems(error));
      return invalidPage(
        reply,
        errors.map((e) => `${e.field} ${e.message}`),
      );
    }
    if (error instanceof ValidationError) {
      if (api)
        return sendProblem(reply, 400, 'One or more fields are not valid. Nothing was written.', {
          errors: error.errors,
        });
      return invalidPage(
        reply,
        error.errors.map((e) => e.message),
      );
    }
    if (error instanceof ForbiddenError) {
      await auditDenied(deps, request, error);
      if (api) return sendProblem(reply, 403, error.message);
      return errorPage(reply, 403, 'You do not have access to this', [
        'Your role and organisation do not give you access to this page or record.',
        'The attempt has been recorded. If you need access for your work, ask your manager.',
      ]);
    }
    if (error instanceof NotFoundError) {
      if (api) return sendProblem(reply, 404, error.message);
      return errorPage(reply, 404, 'Page not found', [error.message]);
    }
    if (error instanceof UnauthenticatedError) {
      if (api) return sendProblem(reply, 401, error.message);
      return reply.redirect('/sign-in', 303);
    }
    if (error instanceof ConflictError) {
      if (api) return sendProblem(reply, 409, error.message, error.extra);
      return errorPage(reply, 409, 'This has changed', [error.message]);
    }
    const status =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, 'unhandled error');
    if (api)
      return sendProblem(reply, status, status === 500 ? 'An unexpected error occurred.' : error.message);
    if (status === 429) return errorPage(reply, 429, 'Too many attempts', ['Wait a minute, then try again.']);
    if (status === 500) {
      return errorPage(reply, 500, 'Sorry, there is a problem with the service', [
        'Try again later. Nothing you sent has been saved unless you saw a confirmation.',
      ]);
    }
    return errorPage(reply, status, 'There is a problem with that request', [error.message]);
  });

  app.setNotFoundHandler((request, reply) => {
    if (isApiRequest(request))
      return sendProblem(reply, 404, `No endpoint at ${request.method} ${request.url.split('?')[0]}`);
    return errorPage(reply, 404, 'Page not found', [
      'If you typed the web address, check it is correct.',
      'If you pasted the web address, check you copied the entire address.',
    ]);
  });
}
