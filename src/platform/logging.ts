import type { FastifyRequest } from 'fastify';
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
