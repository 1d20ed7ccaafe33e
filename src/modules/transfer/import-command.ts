import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AuditContext } from '../../platform/audit.ts';
import type { AgencyKind } from '../../platform/roles.ts';
import type { DirectoryService } from '../directory/service.ts';
import type { TransferService } from './service.ts';

export const IMPORT_USAGE = `  import people --file F.csv --agency CODE [--report R.csv]
                                            Load another provider's records through identity resolution,
                                            in batches with progress; writes the reconciliation report
                                            (default F.csv.reconciliation.csv). Re-running changes nothing`;

/** `harbour import people`: the operator loads a file on the agency's behalf (F20). */
export async function runImportCommand(
  transfer: TransferService,
  directory: DirectoryService,
  context: AuditContext,
  sub: string | undefined,
  values: { file?: string | undefined; agency?: string | undefined; report?: string | undefined },
  out: { log(line: string): void; progress(line: string): void } = {
    log: (line) => console.log(line),
    progress: (line) => process.stderr.write(line),
  },
): Promise<number> {
  if (sub !== 'people' || !values.file || !values.agency) {
    out.log(`Use:\n${IMPORT_USAGE}`);
    return 2;
  }
  const agency = await directory.findAgencyByCode(values.agency);
  if (!agency) {
    out.log(`No agency has the code "${values.agency}".`);
    return 2;
  }
  const rows = transfer.parseCsv(readFileSync(values.file, 'utf8'));
  // The records are the agency's: its facts carry its provenance, as if its system had sent them.
  const principal = {
    ...context.principal,
    agencyId: agency.id,
    agencyCode: agency.code,
    agencyName: agency.name,
    agencyKind: agency.kind as AgencyKind,
  };
  const width = 30;
  const result = await transfer.importPeople(
    { ...context, principal },
    { fileName: path.basename(values.file), rows },
    (done, total) => {
      const filled = Math.round((done / Math.max(total, 1)) * width);
      out.progress(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}`);
      if (done === total) out.progress('\n');
    },
  );
  const reportPath = values.report ?? `${values.file}.reconciliation.csv`;
  writeFileSync(reportPath, transfer.reportCsv(result.report));
  const c = result.counts;
  out.log(
    `Imported ${c.rows} rows for ${agency.code}: ${c.matched} matched, ${c.created} created, ${c.review} sent to review, ${c.rejected} rejected, ${c.unchanged} unchanged.`,
  );
  out.log(
    `Reconciliation report: ${reportPath} (run ${result.runId}; kept, on the page /imports/${result.runId})`,
  );
  return 0;
}
