import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError } from '../../../platform/access.ts';
import type { Deps } from '../../../platform/deps.ts';
import { ValidationError } from '../../../platform/errors.ts';
import { bearerKeyPrincipal } from '../../../platform/http/bearer-api-key.ts';
import { auditDenied } from '../../../platform/http/error-handling.ts';
import type { DirectoryService } from '../../directory/service.ts';
import type { HealthService } from '../service.ts';
import {
  capabilityStatement,
  FHIR_JSON,
  flagResource,
  type IssueCode,
  nhsNumberOfToken,
  operationOutcome,
  patientResource,
  type Resource,
  searchBundle,
} from './resources.ts';

export const FHIR_BASE_PATH = '/fhir/r4';

function send(reply: FastifyReply, status: number, resource: Resource) {
  return reply.code(status).type(FHIR_JSON).send(JSON.stringify(resource));
}
function fail(
  reply: FastifyReply,
  status: number,
  code: IssueCode,
  diagnostics: string,
  expression?: string,
) {
  return send(reply, status, operationOutcome(code, diagnostics, expression));
}

/**
 * FHIR R4 for emergency-department systems (issue 15, finding F19): the flags Harbour holds,
 * addressed by NHS number. Authenticated by an agency's API key; every search is audited with the
 * NHS number (the health service's lookup). Errors are OperationOutcome, never HTML or problem+json.
 * Registered with the prefix FHIR_BASE_PATH, so its error and not-found handlers are its own.
 */
export function fhirRoutes(
  deps: Deps,
  directory: DirectoryService,
  health: HealthService,
): FastifyPluginAsync {
  const baseUrl = () => `${deps.config.publicUrl}${FHIR_BASE_PATH}`;
  return async (app) => {
    app.addHook('onRequest', async (request, reply) => {
      if (request.url.split('?')[0] === `${FHIR_BASE_PATH}/metadata`) return;
      const { principal } = await bearerKeyPrincipal(deps, directory.principalForApiKey, request, reply);
      if (!principal)
        return fail(reply, 401, 'login', 'Send an agency API key as "Authorization: Bearer <key>".');
      request.principal = principal;
    });

    app.setErrorHandler(async (error, request, reply) => {
      if (error instanceof ValidationError)
        return fail(
          reply,
          400,
          'invalid',
          error.errors.map((e) => e.message).join('; '),
          error.errors[0]?.field,
        );
      if (error instanceof ForbiddenError) {
        await auditDenied(deps, request, error);
        return fail(
          reply,
          403,
          'forbidden',
          'Only health agencies may read flags; the attempt has been recorded.',
        );
      }
      request.log.error({ err: error }, 'FHIR request failed');
      return fail(reply, 500, 'exception', 'An unexpected error occurred.');
    });
    app.setNotFoundHandler((request, reply) =>
      fail(
        reply,
        404,
        'not-supported',
        `No FHIR interaction at ${request.method} ${request.url.split('?')[0]}`,
      ),
    );

    const context = (request: FastifyRequest) => ({ principal: request.principal!, requestId: request.id });
    const query = (request: FastifyRequest) => request.query as Record<string, string | string[] | undefined>;
    const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

    app.get('/metadata', async (_request, reply) =>
      send(reply, 200, capabilityStatement(baseUrl(), deps.now().toISOString().slice(0, 10))),
    );

    type Lookup = Awaited<ReturnType<HealthService['lookup']>>;
    /** A search by the patient's NHS number token; 400 naming the expected form when it is not one. */
    const searchByNhsNumber =
      (
        resource: 'Flag' | 'Patient',
        parameter: string,
        options: Parameters<HealthService['lookup']>[2],
        entries: (result: Lookup, nhsNumber: string) => Resource[],
      ) =>
      async (request: FastifyRequest, reply: FastifyReply) => {
        const token = one(query(request)[parameter]);
        const nhsNumber = nhsNumberOfToken(token);
        if (!nhsNumber)
          return fail(
            reply,
            400,
            'invalid',
            `Search by ${parameter}=https://fhir.nhs.uk/Id/nhs-number|{NHS number}`,
            parameter,
          );
        const result = await health.lookup(context(request), nhsNumber, options);
        const self = `${baseUrl()}/${resource}?${parameter}=${encodeURIComponent(token!)}`;
        return send(
          reply,
          200,
          searchBundle(baseUrl(), self, entries(result, result.nhsNumber ?? nhsNumber)),
        );
      };

    app.get(
      '/Flag',
      searchByNhsNumber('Flag', 'patient:identifier', { channel: 'fhir' }, (result, nhsNumber) =>
        result.flags.filter((f) => f.active).map((f) => flagResource(f, nhsNumber)),
      ),
    );
    // Reading the minimal Patient is not an attendance: only the flag search records one.
    app.get(
      '/Patient',
      searchByNhsNumber(
        'Patient',
        'identifier',
        { channel: 'fhir', recordAttendance: false },
        (result, nhsNumber) => (result.person ? [patientResource(result.person.id, nhsNumber)] : []),
      ),
    );
  };
}
