import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A STAND-IN for GOV.UK Notify, not Notify itself: the real service cannot be reached from where
 * Harbour is developed and tested, so tests and the demo point `notifications.notify.baseUrl` at
 * this. It speaks the part of Notify's v2 API Harbour uses (POST /v2/notifications/email and /sms),
 * checks the bearer token the official client sends the way Notify documents it (a JWT, HS256,
 * signed with the API key's secret, `iss` the service id, `iat` within 30 seconds) and keeps what
 * it accepted so a test can read it. It sends nothing anywhere.
 */
export interface NotifyStandIn {
  url: string;
  received: {
    type: 'email' | 'sms';
    to: string;
    templateId: string;
    personalisation: Record<string, string>;
    reference?: string;
  }[];
  close(): Promise<void>;
}

/** Splits a Notify API key, 'name-{serviceId}-{secret}', as the client does. */
export function splitNotifyKey(apiKey: string): { serviceId: string; secret: string } {
  return { serviceId: apiKey.slice(-73, -37), secret: apiKey.slice(-36) };
}

function base64url(input: string): Buffer {
  return Buffer.from(input.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/** Null when the token is good, else why not. */
export function checkNotifyToken(
  authorization: string | undefined,
  apiKey: string,
  nowSeconds: number,
): string | null {
  const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
  if (!token) return 'Unauthorized: authentication token must be provided';
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return 'Invalid token: signature, api token is not valid';
  const { serviceId, secret } = splitNotifyKey(apiKey);
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = base64url(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return 'Invalid token: signature, api token not found';
  let claims: { iss?: string; iat?: number };
  let head: { alg?: string };
  try {
    claims = JSON.parse(base64url(payload).toString('utf8'));
    head = JSON.parse(base64url(header).toString('utf8'));
  } catch {
    return 'Invalid token: not a JWT';
  }
  if (head.alg !== 'HS256') return 'Invalid token: algorithm used is not HS256';
  if (claims.iss !== serviceId) return 'Invalid token: service not found';
  if (typeof claims.iat !== 'number' || Math.abs(nowSeconds - claims.iat) > 30)
    return 'Error: Your system clock must be accurate to within 30 seconds';
  return null;
}

async function readBody(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) body += chunk;
  return body;
}

function answer(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

export async function startNotifyStandIn(options: {
  apiKey: string;
  port?: number;
  /** Told of each notification accepted (the demonstration command prints it). */
  onReceived?: (notification: NotifyStandIn['received'][number]) => void;
}): Promise<NotifyStandIn> {
  const received: NotifyStandIn['received'] = [];
  const server = createServer(async (request, response) => {
    const kind =
      request.method === 'POST'
        ? /^\/v2\/notifications\/(email|sms)$/.exec(request.url ?? '')?.[1]
        : undefined;
    if (!kind)
      return answer(response, 404, {
        status_code: 404,
        errors: [{ error: 'NotFound', message: 'Not found' }],
      });
    const problem = checkNotifyToken(
      request.headers.authorization,
      options.apiKey,
      Math.floor(Date.now() / 1000),
    );
    if (problem)
      return answer(response, 403, { status_code: 403, errors: [{ error: 'AuthError', message: problem }] });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await readBody(request));
    } catch {
      return answer(response, 400, {
        status_code: 400,
        errors: [{ error: 'BadRequestError', message: 'Invalid JSON' }],
      });
    }
    const to = String(kind === 'email' ? (body.email_address ?? '') : (body.phone_number ?? ''));
    const templateId = String(body.template_id ?? '');
    if (!to || !templateId)
      return answer(response, 400, {
        status_code: 400,
        errors: [
          {
            error: 'ValidationError',
            message: `${!to ? (kind === 'email' ? 'email_address' : 'phone_number') : 'template_id'} is a required property`,
          },
        ],
      });
    const personalisation = (body.personalisation ?? {}) as Record<string, string>;
    const notification = {
      type: kind as 'email' | 'sms',
      to,
      templateId,
      personalisation,
      ...(typeof body.reference === 'string' ? { reference: body.reference } : {}),
    };
    received.push(notification);
    options.onReceived?.(notification);
    const id = randomUUID();
    return answer(response, 201, {
      id,
      reference: body.reference ?? null,
      content: {
        body: Object.values(personalisation).join('\n'),
        subject: personalisation.subject ?? '',
        from_email: 'stand-in@notify.invalid',
      },
      uri: `/v2/notifications/${id}`,
      template: { id: templateId, version: 1, uri: `/v2/template/${templateId}` },
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
