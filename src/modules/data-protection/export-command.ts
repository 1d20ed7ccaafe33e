import { writeFileSync } from 'node:fs';
import type { AuditContext } from '../../platform/audit.ts';
import type { SubjectAccessService } from './subject-access.ts';

export const EXPORT_USAGE = `  export person --id ID --reason TEXT [--to FILE]
                                            Subject access: everything held about a person, with
                                            provenance, as JSON (stdout or FILE); audited with the reason`;

export async function runExportCommand(
  subjectAccess: SubjectAccessService,
  context: AuditContext,
  sub: string | undefined,
  values: { id?: string | undefined; reason?: string | undefined; to?: string | undefined },
): Promise<number> {
  if (sub !== 'person') {
    console.error('Use: harbour export person --id ID --reason TEXT [--to FILE]');
    return 2;
  }
  const exported = await subjectAccess.exportPerson(context, {
    personId: values.id ?? '',
    reason: values.reason ?? '',
  });
  const json = `${JSON.stringify(exported, null, 2)}\n`;
  if (values.to) {
    writeFileSync(values.to, json, { mode: 0o600 });
    console.log(`Wrote the subject access export of ${exported.person.id} to ${values.to}.`);
  } else process.stdout.write(json);
  return 0;
}
