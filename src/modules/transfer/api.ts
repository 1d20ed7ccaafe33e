import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { assertAllowed } from '../../platform/access.ts';
import { auditContext } from '../../platform/http/context.ts';
import { Nullable, NullableString, problems } from '../../platform/http/schemas/atoms.ts';
import type { TransferService } from './service.ts';

const ImportBody = Type.Object(
  {
    fileName: Type.String({ minLength: 1, maxLength: 200 }),
    rows: Type.Array(Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 500 })), {
      minItems: 1,
      maxItems: 5000,
      description:
        'Rows with the columns reference, kind, givenName, familyName, dateOfBirth, sex, nhsNumber, line1, postcode',
    }),
  },
  { additionalProperties: false },
);

const ReportRow = Type.Object({
  line: Type.Integer(),
  reference: Type.String(),
  outcome: Type.String(),
  personId: NullableString(),
  score: Nullable(Type.Number()),
  reason: NullableString(),
});

export function transferApi(transfer: TransferService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/v1/imports/people',
      {
        schema: {
          tags: ['People'],
          summary: 'Bulk transfer of another provider’s records through identity resolution',
          description:
            'Each row is matched (with its score), created, sent to MASH review or rejected with the reason; the reconciliation report has one entry per row. Rows are kept by their `reference`: sending the same rows again changes nothing and reports them `unchanged`. The same as `harbour import people`.',
          body: ImportBody,
          response: {
            201: Type.Object({
              runId: Type.String(),
              counts: Type.Record(Type.String(), Type.Integer()),
              report: Type.Array(ReportRow),
            }),
            ...problems(400, 401, 403),
          },
        },
      },
      async (request, reply) => {
        const context = auditContext(request);
        assertAllowed(context.principal, 'person:create', undefined, { type: 'import' });
        const result = await transfer.importPeople(context, request.body);
        return reply.code(201).send(result);
      },
    );

    app.get(
      '/api/v1/imports/:runId/report',
      {
        schema: {
          tags: ['People'],
          summary: 'Download a bulk transfer’s reconciliation report as CSV',
          description:
            'One line per row of the file: line, reference, outcome (matched, created, review, rejected, unchanged), personId, score and the reason a row was rejected. Only the agency whose records the run loaded may read it; every download is audited.',
          params: Type.Object({ runId: Type.String({ maxLength: 60 }) }),
          produces: ['text/csv'],
          response: { 200: Type.String(), ...problems(401, 403, 404) },
        },
      },
      async (request, reply) => {
        const { run, csv } = await transfer.reportDownload(auditContext(request), request.params.runId);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="reconciliation-${run.id}.csv"`)
          .send(csv);
      },
    );
  };
}
