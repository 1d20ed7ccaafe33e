import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { Config } from '../config.ts';

/**
 * Structured logs (pino, JSON lines) with no personal data (decision 0012). A request is logged by
 * its method, its path without the query string (searches carry names, dates of birth and
 * postcodes there), the route template and the request id; never headers, cookies or bodies.
 * Paths carry record ids, which are random and say nothing about a person without the database.
 */
export function loggerOptions(config: Pick<Config, 'logLevel'>, stream?: { write(line: string): void }) {
  return {
    level: config.logLevel,
    serializers: {
      req(request: FastifyRequest) {
        return {
          method: request.method,
          path: request.url.split('?')[0],
          route: request.routeOptions?.url,
          remoteAddress: request.ip,
        };
      },
    },
    // A database error carries the statement's values (PGlite's params, PostgreSQL's detail:
    // "Key (given_name)=(…)"); the message and stack stay, the values go.
    redact: {
      paths: [
        'req.headers',
        'headers',
        'body',
        '*.body',
        'query',
        '*.query',
        'err.detail',
        'err.params',
        'err.parameters',
        'err.where',
        'err.query',
      ],
      remove: true,
    },
    ...(stream ? { stream } : {}),
  };
}

/** What one request's log line says: nothing about a person, no query string. */
function requestLine(request: FastifyRequest, reply: FastifyReply) {
  return {
    method: request.method,
    route: request.routeOptions?.url,
    path: request.url.split('?')[0],
    status: reply.statusCode,
    durationMs: Math.round(reply.elapsedTime * 10) / 10,
  };
}

/**
 * One line per request at `info`, written when the response is sent: Fastify's own logging writes
 * two ("incoming request", "request completed") and a third for a route not found. The line holds
 * what an operator needs to follow a request: method, the route template and the path without its
 * query string, status, duration and the request id (pino adds it as `reqId`). A response that
 * failed after it started is logged at `error` with the error.
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override routeNotFound(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply) {
    if (error) request.log.error({ ...requestLine(request, reply), err: error }, 'request');
    else request.log.info(requestLine(request, reply), 'request');
  }
}
