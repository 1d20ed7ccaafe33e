import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { auditContext, authorise } from '../../platform/http/context.ts';
import { addNavigationItem } from '../../platform/http/navigation.ts';
import { pagesOf } from '../../platform/http/page-counts.ts';
import { REPORT_OUTCOMES, type ReportOutcome, type TransferService } from './service.ts';

const OUTCOME_NAMES: Record<ReportOutcome, string> = {
  matched: 'Matched',
  created: 'Created',
  review: 'Sent to review',
  rejected: 'Rejected',
  unchanged: 'Unchanged',
};

const ReportQuery = Type.Object({
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  // '' is "every outcome" (the filter's first choice); anything else is not an outcome: 400.
  outcome: Type.Union([Type.Literal(''), ...REPORT_OUTCOMES.map((o) => Type.Literal(o))], { default: '' }),
  sort: Type.Union(
    [Type.Literal('line'), Type.Literal('outcome'), Type.Literal('score'), Type.Literal('reference')],
    { default: 'line' },
  ),
  order: Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'asc' }),
});

/** Bulk transfer pages (F20): the agency's runs and each run's reconciliation report. */
export function transferRoutes(transfer: TransferService): FastifyPluginAsyncTypebox {
  addNavigationItem({ href: '/imports', text: 'Record transfers', action: 'import:report' });
  return async (app) => {
    app.get('/imports', async (request, reply) => {
      authorise(request, 'import:report');
      const runs = await transfer.runs(auditContext(request));
      return reply.page('transfer/views/runs.njk', {
        title: 'Record transfers',
        runs,
        outcomes: OUTCOME_NAMES,
      });
    });

    app.get(
      '/imports/:runId',
      {
        schema: { params: Type.Object({ runId: Type.String({ maxLength: 60 }) }), querystring: ReportQuery },
      },
      async (request, reply) => {
        authorise(request, 'import:report');
        const query = request.query;
        const report = await transfer.reportPage(auditContext(request), request.params.runId, {
          ...query,
          outcome: query.outcome || null,
        });
        const pages = pagesOf(report.total, report.pageSize);
        const link = (changes: Partial<typeof query>) => {
          const q = { ...query, ...changes };
          return `?${new URLSearchParams({ page: String(q.page), outcome: q.outcome, sort: q.sort, order: q.order })}`;
        };
        return reply.page('transfer/views/report.njk', {
          title: `Reconciliation report: ${report.run.file_name}`,
          report,
          query,
          pages,
          outcomes: OUTCOME_NAMES,
          sortLink: (column: string) =>
            link({
              sort: column as typeof query.sort,
              order: query.sort === column && query.order === 'asc' ? 'desc' : 'asc',
              page: 1,
            }),
          pageLink: (page: number) => link({ page }),
        });
      },
    );

    app.get(
      '/imports/:runId/report.csv',
      { schema: { params: Type.Object({ runId: Type.String({ maxLength: 60 }) }) } },
      async (request, reply) => {
        authorise(request, 'import:report');
        const { run, csv } = await transfer.reportDownload(auditContext(request), request.params.runId);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="reconciliation-${run.id}.csv"`)
          .send(csv);
      },
    );
  };
}
