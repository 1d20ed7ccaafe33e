import { readFileSync, writeFileSync } from 'node:fs';
import type { AuditContext } from '../../platform/audit.ts';
import { ValidationError } from '../../platform/errors.ts';
import type { EncompassService } from './service.ts';

export const SCHOOL_IMPORT_USAGE = `  import schools --file F.csv [--report R.csv]
                                            Load the DfE "Get Information about Schools" extract (URN,
                                            EstablishmentName, PhaseOfEducation (name), StatutoryLowAge,
                                            StatutoryHighAge, Postcode): upserted by URN, with a report
                                            line per row (default F.csv.report.csv). Re-running changes nothing`;

const csvCell = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** `harbour import schools`: the schools directory from the DfE's extract, idempotent by URN. */
export async function runSchoolImportCommand(
  encompass: EncompassService,
  context: AuditContext,
  values: { file?: string | undefined; report?: string | undefined },
  out: { log(line: string): void } = { log: (line) => console.log(line) },
): Promise<number> {
  if (!values.file) {
    out.log(`Use:\n${SCHOOL_IMPORT_USAGE}`);
    return 2;
  }
  let report: Awaited<ReturnType<EncompassService['importSchools']>>;
  try {
    report = await encompass.importSchools(context, readFileSync(values.file, 'utf8'));
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    for (const e of error.errors) out.log(e.message);
    return 1;
  }
  const reportPath = values.report ?? `${values.file}.report.csv`;
  writeFileSync(
    reportPath,
    [
      'line,urn,outcome,detail',
      ...report.map((r) => [String(r.line), r.urn, r.outcome, r.detail].map(csvCell).join(',')),
    ].join('\n') + '\n',
  );
  const count = (o: string) => report.filter((r) => r.outcome === o).length;
  out.log(
    `Read ${report.length} rows: ${count('created')} created, ${count('updated')} updated, ${count('unchanged')} unchanged, ${count('rejected')} rejected.`,
  );
  for (const r of report.filter((row) => row.outcome === 'rejected'))
    out.log(`  line ${r.line} (URN ${r.urn || 'none'}): ${r.detail}`);
  out.log(`Report: ${reportPath}`);
  return count('rejected') > 0 ? 1 : 0;
}
