import type { FastifyReply } from 'fastify';
import Type from 'typebox';
import type { FieldError } from '../errors.ts';

/** RFC 9457 problem details: the only error shape the JSON API returns. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { additionalProperties: true, $id: 'Problem' },
);

const TITLES: Record<number, string> = {
  400: 'Your request is not valid',
  401: 'You are not signed in',
  403: 'You do not have permission to do that',
  404: 'Not found',
  409: 'Conflict',
  413: 'Request too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
  500: 'Something went wrong',
};

export function sendProblem(
  reply: FastifyReply,
  status: number,
  detail?: string,
  extra: { errors?: FieldError[]; [key: string]: unknown } = {},
): FastifyReply {
  return reply
    .code(status)
    .type('application/problem+json')
    .send({
      type: status === 400 ? 'https://harbour.invalid/problems/validation' : 'about:blank',
      title: TITLES[status] ?? 'Error',
      status,
      ...(detail ? { detail } : {}),
      instance: reply.request.url,
      requestId: reply.request.id,
      ...extra,
    });
}
