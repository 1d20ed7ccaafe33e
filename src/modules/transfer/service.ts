import { parse } from 'csv-parse/sync';
import type { Insertable, Selectable } from 'kysely';
import { transaction } from '../../db/database.ts';
import type { ImportReportRowTable } from '../../db/schema/health.ts';
import { isValidNhsNumber, normaliseNhsNumber } from '../../domain/identifiers.ts';
import { assertAllowed } from '../../platform/access.ts';
import type { AuditContext } from '../../platform/audit.ts';
import { batchingAudits, flushAudits, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { type FieldError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import type { NewPerson, PeopleService } from '../people/service.ts';
import * as repo from './repository.ts';

/** One line of the reconciliation report: every row of the file has exactly one. */
export interface ReconciliationRow {
  line: number;
  reference: string;
  outcome: 'matched' | 'created' | 'review' | 'rejected' | 'unchanged';
  personId: string | null;
  score: number | null;
  reason: string | null;
}

export type ReportOutcome = ReconciliationRow['outcome'];
export const REPORT_OUTCOMES: readonly ReportOutcome[] = [
  'matched',
  'created',
  'review',
  'rejected',
  'unchanged',
];
const REPORT_PAGE_SIZE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A stored report line as the report shows it. */
const lineOf = (r: Selectable<ImportReportRowTable>): ReconciliationRow => ({
  line: r.line,
  reference: r.source_reference,
  outcome: r.outcome,
  personId: r.person_id,
  score: r.score,
  reason: r.reason,
});

export const IMPORT_COLUMNS = [
  'reference',
  'kind',
  'givenName',
  'familyName',
  'dateOfBirth',
  'sex',
  'nhsNumber',
  'line1',
  'postcode',
] as const;

const SEXES = new Set(['male', 'female', 'other', 'unknown']);
const KINDS = new Set(['child', 'adult', 'unborn']);

/** A row as a person to resolve, or the reason it cannot be one. */
function personOf(row: Record<string, string>): NewPerson | string {
  const get = (k: string) => row[k]?.trim() ?? '';
  if (!get('reference')) return 'No reference';
  if (!KINDS.has(get('kind'))) return 'kind must be child, adult or unborn';
  if (!get('givenName') || !get('familyName')) return 'Given and family names are required';
  if (get('dateOfBirth') && !/^\d{4}-\d{2}-\d{2}$/.test(get('dateOfBirth')))
    return 'dateOfBirth must be YYYY-MM-DD';
  if (get('sex') && !SEXES.has(get('sex'))) return 'sex must be male, female, other or unknown';
  const nhs = get('nhsNumber') ? normaliseNhsNumber(get('nhsNumber')) : null;
  if (get('nhsNumber') && (!nhs || !isValidNhsNumber(nhs))) return 'The NHS number fails its check digit';
  if (!get('postcode')) return 'A postcode is needed to place the record in an area';
  return {
    kind: get('kind') as NewPerson['kind'],
    givenName: get('givenName'),
    familyName: get('familyName'),
    ...(get('dateOfBirth') ? { dateOfBirth: get('dateOfBirth') } : {}),
    ...(get('sex') ? { sex: get('sex') as NonNullable<NewPerson['sex']> } : {}),
    ...(nhs ? { identifiers: [{ scheme: 'nhs' as const, value: nhs }] } : {}),
    addresses: [{ line1: get('line1') || 'Address not given', postcode: get('postcode') }],
  };
}

const OUTCOME_OF = { linked: 'matched', new: 'created', review: 'review' } as const;

/** A report line as the row that keeps it (import_report_row). */
const reportRowOf =
  (runId: string) =>
  (r: ReconciliationRow): Insertable<ImportReportRowTable> => ({
    run_id: runId,
    line: r.line,
    source_reference: r.reference,
    outcome: r.outcome,
    person_id: r.personId,
    score: r.score,
    reason: r.reason,
  });

interface Pending {
  line: number;
  reference: string;
  person: NewPerson;
}

/** A row of the file rejected before identity resolution, with the reason the report gives. */
function rejectedRow(row: { line: number; reference: string }, reason: string): ReconciliationRow {
  return {
    line: row.line,
    reference: row.reference,
    outcome: 'rejected',
    personId: null,
    score: null,
    reason,
  };
}

/** Identity resolution's refusal of a row, field by field, as one reason. */
const refusalReason = (errors: readonly FieldError[]) =>
  errors.map((e) => `${e.field}: ${e.message}`).join('; ');

/**
 * Bulk transfer of another provider's records (F20): every row goes through identity resolution
 * in batches, one transaction a batch; each row's outcome is kept by the sender's reference, so a
 * second run of the same file changes nothing and reports every row "unchanged". The report has
 * one line per row of the file: matched (with score), created, sent to review, rejected (reason).
 */
export function transferService(deps: Deps, { people }: { people: PeopleService }) {
  const { db } = deps;

  /** The run, if the principal's agency is the one whose records it loaded. */
  async function readableRun(context: AuditContext, runId: string) {
    const run = UUID.test(runId) ? await repo.runById(db, runId) : undefined;
    if (!run) throw new NotFoundError('The import run');
    assertAllowed(
      context.principal,
      'import:report',
      { suppliedBy: run.agency_id },
      { type: 'import_run', id: runId },
    );
    return run;
  }

  return {
    parseCsv(text: string): Record<string, string>[] {
      try {
        return parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
      } catch (error) {
        throw new ValidationError([
          { field: 'file', message: `The file is not readable CSV: ${(error as Error).message}` },
        ]);
      }
    },

    async importPeople(
      context: AuditContext,
      input: { fileName: string; rows: readonly Record<string, string>[]; batchSize?: number },
      onProgress: (done: number, total: number) => void = () => {},
    ) {
      const agencyId = context.principal.agencyId;
      if (!agencyId)
        throw new ValidationError([{ field: 'agency', message: 'Name the agency the records come from' }]);
      const runId = await repo.startRun(db, {
        agencyId,
        fileName: input.fileName,
        at: deps.now(),
        by: context.principal.name,
      });
      const report: ReconciliationRow[] = [];
      const size = input.batchSize ?? 500;
      // A reference repeated in the file: its first row counts, every later one is rejected, on
      // every run alike.
      const firstIndex = new Map<string, number>();
      input.rows.forEach((row, i) => {
        const ref = row.reference?.trim() ?? '';
        if (ref && !firstIndex.has(ref)) firstIndex.set(ref, i);
      });
      for (let start = 0; start < input.rows.length; start += size) {
        const batch = input.rows.slice(start, start + size).map((row, i) => ({ row, line: start + i + 2 }));
        const refs = batch.map((b) => b.row.reference?.trim() ?? '').filter(Boolean);
        const done = new Map(
          (await repo.importedRows(db, agencyId, refs)).map((r) => [r.source_reference, r]),
        );
        const pending: Pending[] = [];
        // Rows settled without resolution (unchanged, rejected): written with the batch's report.
        const settled: ReconciliationRow[] = [];
        for (const { row, line } of batch) {
          const reference = row.reference?.trim() ?? '';
          if (reference && firstIndex.get(reference) !== line - 2) {
            settled.push(rejectedRow({ line, reference }, 'The reference appears twice in the file'));
            continue;
          }
          const before = done.get(reference);
          if (before) {
            settled.push({
              line,
              reference,
              outcome: 'unchanged',
              personId: before.person_id,
              score: before.score,
              reason: null,
            });
            continue;
          }
          const person = personOf(row);
          if (typeof person === 'string') {
            settled.push(rejectedRow({ line, reference }, person));
            continue;
          }
          pending.push({ line, reference, person });
        }
        // Rows identity resolution would refuse are rejected before the rest are resolved together.
        const refusals = await people.refusalsOf(
          db,
          pending.map((p) => p.person),
        );
        const accepted = pending.filter((item, i) => {
          const errors = refusals[i]!;
          if (errors.length === 0) return true;
          settled.push(rejectedRow(item, refusalReason(errors)));
          return false;
        });
        const resolveAll = async (items: readonly Pending[]) =>
          transaction(db, async (trx) => {
            // Every row's audit events (resolution, creation) go in one insert with the batch.
            const batchContext = batchingAudits(context, trx);
            const results = await people.resolvePeople(
              trx,
              batchContext,
              items.map((p) => p.person),
            );
            const rows = await people.peopleByIds(
              results.map((r) => r.personId),
              trx,
            );
            const areaOf = new Map(rows.map((r) => [r.id, r.area_id]));
            await repo.insertRows(
              trx,
              items.map((item, i) => ({
                agency_id: agencyId,
                source_reference: item.reference,
                run_id: runId,
                line: item.line,
                outcome: OUTCOME_OF[results[i]!.outcome],
                person_id: results[i]!.personId,
                area_id: areaOf.get(results[i]!.personId)!,
                score: results[i]!.score ?? null,
              })),
            );
            const resolved = items.map((item, i) => ({
              line: item.line,
              reference: item.reference,
              outcome: OUTCOME_OF[results[i]!.outcome],
              personId: results[i]!.personId,
              score: results[i]!.score ?? null,
              reason: null,
            }));
            // The report's lines for these rows commit with them.
            await repo.insertReportRows(trx, resolved.map(reportRowOf(runId)));
            await flushAudits(batchContext);
            return resolved;
          });
        // A row the resolver still refuses fails only itself: a refused batch is halved until the
        // row is alone (each part its own transaction), so the others are still resolved in bulk.
        const resolveParts = async (items: readonly Pending[]): Promise<void> => {
          if (items.length === 0) return;
          try {
            report.push(...(await resolveAll(items)));
          } catch (error) {
            if (!(error instanceof ValidationError)) throw error;
            if (items.length === 1) {
              settled.push(rejectedRow(items[0]!, refusalReason(error.errors)));
              return;
            }
            const half = Math.ceil(items.length / 2);
            await resolveParts(items.slice(0, half));
            await resolveParts(items.slice(half));
          }
        };
        await resolveParts(accepted);
        // One statement: the batch's settled lines are all written or none are.
        await repo.insertReportRows(db, settled.map(reportRowOf(runId)));
        report.push(...settled);
        onProgress(Math.min(start + size, input.rows.length), input.rows.length);
      }
      report.sort((a, b) => a.line - b.line);
      const counts: Record<string, number> = {
        rows: input.rows.length,
        matched: 0,
        created: 0,
        review: 0,
        rejected: 0,
        unchanged: 0,
      };
      for (const r of report) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
      await repo.finishRun(db, runId, deps.now(), counts);
      await recordAudit(db, context, {
        action: 'transfer.import-people',
        subjectType: 'import_run',
        subjectId: runId,
        details: counts,
      });
      return { runId, counts, report };
    },

    /** The runs of the principal's agency, newest first (counts only: no person is named). */
    async runs(context: AuditContext) {
      assertAllowed(context.principal, 'import:report');
      const agencyId = context.principal.agencyId;
      return agencyId ? repo.runsOf(db, [agencyId]) : [];
    },

    /**
     * A page of one run's report, of one outcome or all, sorted; only the agency whose records it
     * loaded may read it (access.ts, fact-supplier). Audited with the people on the page.
     */
    async reportPage(
      context: AuditContext,
      runId: string,
      query: { page: number; outcome: ReportOutcome | null; sort: repo.ReportSort; order: 'asc' | 'desc' },
    ) {
      const run = await readableRun(context, runId);
      const page = await repo.reportPage(db, runId, {
        outcome: query.outcome,
        sort: query.sort,
        order: query.order,
        limit: REPORT_PAGE_SIZE,
        offset: (query.page - 1) * REPORT_PAGE_SIZE,
      });
      await recordAudit(db, context, {
        action: 'transfer.report.view',
        subjectType: 'import_run',
        subjectId: runId,
        personIds: [...new Set(page.rows.flatMap((r) => (r.person_id ? [r.person_id] : [])))],
        details: { page: query.page, outcome: query.outcome, shown: page.rows.length },
      });
      return { run, ...page, rows: page.rows.map(lineOf), pageSize: REPORT_PAGE_SIZE };
    },

    /** A run's whole report as CSV, for the agency whose records it loaded; audited with every person in it. */
    async reportDownload(context: AuditContext, runId: string) {
      const run = await readableRun(context, runId);
      const rows = (await repo.reportRows(db, runId)).map(lineOf);
      await recordAudit(db, context, {
        action: 'transfer.report.download',
        subjectType: 'import_run',
        subjectId: runId,
        personIds: [...new Set(rows.flatMap((r) => (r.personId ? [r.personId] : [])))],
        details: { rows: rows.length },
      });
      return { run, csv: reportCsv(rows) };
    },

    reportCsv,
  };
}

/** The reconciliation report as CSV (formula-safe cells). */
function reportCsv(report: readonly ReconciliationRow[]): string {
  const cell = (v: unknown) => {
    const text = v === null || v === undefined ? '' : String(v);
    const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
    return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
  };
  const lines = [['line', 'reference', 'outcome', 'personId', 'score', 'reason'].join(',')];
  for (const r of report)
    lines.push([r.line, r.reference, r.outcome, r.personId, r.score, r.reason].map(cell).join(','));
  return `${lines.join('\n')}\n`;
}

export type TransferService = ReturnType<typeof transferService>;
