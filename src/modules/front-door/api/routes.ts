import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type, { type TSchema } from 'typebox';
import type { Action } from '../../../platform/access.ts';
import type { AuditContext } from '../../../platform/audit.ts';
import type { Deps } from '../../../platform/deps.ts';
import { ValidationError } from '../../../platform/errors.ts';
import { isoInstant, isoOrNull } from '../../../platform/http/api-json.ts';
import { auditContext, authorise } from '../../../platform/http/context.ts';
import { Id, IsoDateTime, problems, Uuid } from '../../../platform/http/schemas/atoms.ts';
import { InboxQuery } from '../inbox-query.ts';
import { ContactBody, DanBody } from '../schemas.ts';
import type { FrontDoorService } from '../service.ts';
import type { IntakeResult } from '../types.ts';
import { ContactStatusResponse, EnquiryItem, IntakeResponse } from './schemas.ts';

const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description:
        'Repeat a submission with the same key and body to get the first answer back, with nothing written twice',
    }),
  ),
});

/** DANs and contacts are taken in the same way: idempotently, answering 201 with the intake. */
const intakeSchema = <B extends TSchema>(body: B, summary: string, description: string) => ({
  tags: ['Front door'],
  summary,
  description,
  headers: IdempotencyHeaders,
  body,
  response: { 201: IntakeResponse, ...problems(400, 401, 403, 409) },
});

const idempotency = (request: FastifyRequest) => {
  const key = request.headers['idempotency-key'];
  return typeof key === 'string' && key ? { idempotencyKey: key } : {};
};

/**
 * The handler of both intake routes: the caller may take the action, the body (typed by the route's
 * schema) is submitted under the request's idempotency key, and the intake is answered 201, marked
 * when it is the first answer given again.
 */
function takeIntake<I>(
  service: FrontDoorService,
  action: Action,
  submit: (
    context: AuditContext,
    input: I,
    options: { idempotencyKey?: string },
  ) => Promise<{ replayed: boolean; body: IntakeResult }>,
) {
  return async (request: FastifyRequest<{ Body: I }>, reply: FastifyReply) => {
    authorise(request, action);
    // The route's schema has checked the body as I; Fastify's request type cannot resolve a body
    // for a type parameter, so it is named here.
    const result = await submit(auditContext(request), request.body as I, idempotency(request));
    if (result.replayed) reply.header('idempotent-replayed', 'true');
    return reply.code(201).send(await service.presentIntake(auditContext(request), result.body));
  };
}

export function frontDoorApi(_deps: Deps, service: FrontDoorService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/v1/domestic-abuse-notifications',
      {
        schema: intakeSchema(
          DanBody,
          'Submit a police domestic abuse notification (one section per child)',
          'Every child in the household is notified. Returns the contact, each person (with its id and how it was matched only where the caller may see that record; submitting grants no access), the RAG, the decision deadline and, for a repeat of an incident already notified, the contact it duplicates.',
        ),
      },
      takeIntake(service, 'dan:submit', service.submitDan),
    );
    app.post(
      '/api/v1/contacts',
      {
        schema: intakeSchema(
          ContactBody,
          'Make a contact about one or more children',
          'A referral from a partner agency (or recorded for a member of the public). A police child-protection referral naming an incident already notified joins that contact.',
        ),
      },
      takeIntake(service, 'contact:create', service.submitContact),
    );

    app.get(
      '/api/v1/contacts/:id',
      {
        schema: {
          tags: ['Front door'],
          summary: 'Where a contact stands, and what was decided (for the referrer and the MASH)',
          params: Id,
          response: {
            200: ContactStatusResponse,
            ...problems(401, 403, 404),
          },
        },
      },
      async (request) => {
        const view = await service.viewContact(auditContext(request), request.params.id);
        const { contact } = view;
        return {
          contactId: contact.id,
          reference: contact.reference,
          status: contact.status,
          receivedAt: isoInstant(contact.received_at),
          decisionDueAt: isoInstant(contact.decision_due_at),
          duplicateOf: contact.duplicate_of_id,
          outcome:
            view.see.outcome && contact.outcome && contact.status === 'closed'
              ? {
                  outcome: contact.outcome,
                  levelOfNeed: contact.level_of_need ?? '',
                  decidedAt: isoOrNull(contact.decided_at)!,
                  feedback: contact.feedback ?? '',
                }
              : null,
          enquiries: view.enquiries.map((e) => ({
            agency: e.agency_name,
            status: e.status,
            respondedAt: isoOrNull(e.responded_at),
            response: e.response,
          })),
        };
      },
    );

    app.get(
      '/api/v1/enquiries',
      {
        schema: {
          tags: ['Front door'],
          summary: 'Enquiries addressed to the caller’s agency',
          querystring: InboxQuery,
          response: {
            200: Type.Object({ items: Type.Array(EnquiryItem), total: Type.Integer(), page: Type.Integer() }),
            ...problems(401, 403),
          },
        },
      },
      async (request) => {
        const { status, page } = request.query;
        const result = await service.inbox(auditContext(request), status, page, 100);
        return {
          items: result.rows.map((row) => ({
            id: row.id,
            contactId: row.contact_id,
            contactReference: row.reference,
            area: row.area_name,
            question: row.question,
            status: row.status,
            requestedAt: isoInstant(row.requested_at),
            requestedBy: row.requested_by_name,
            dueAt: isoInstant(row.due_at),
            overdue: row.clock?.breached ?? false,
            respondedAt: isoOrNull(row.responded_at),
            people: row.people.map((p) => ({
              role: p.role,
              givenName: p.given_name,
              familyName: p.family_name,
              dateOfBirth: p.date_of_birth,
            })),
          })),
          total: result.total,
          page,
        };
      },
    );

    app.post(
      '/api/v1/enquiries/:id/response',
      {
        schema: {
          tags: ['Front door'],
          summary: 'Answer an enquiry with the information your agency holds',
          params: Id,
          body: Type.Object(
            { response: Type.String({ maxLength: 10_000 }) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ enquiryId: Uuid(), contactId: Uuid(), respondedAt: IsoDateTime() }),
            ...problems(400, 401, 403, 404, 409),
          },
        },
      },
      async (request) => {
        if (!request.body.response.trim())
          throw new ValidationError([
            { field: 'response', message: 'Enter the information your agency holds' },
          ]);
        const result = await service.respond(auditContext(request), request.params.id, request.body);
        return { ...result, respondedAt: result.respondedAt.toISOString() };
      },
    );
  };
}
