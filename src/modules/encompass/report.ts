import { ForbiddenError, grantedScopes } from '../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import type { EncompassKernel } from './kernel.ts';
import * as repo from './repository.ts';

/** Notices by school (and the LA) with the time to acknowledge: for the MASH, the force, the LA and analysts. */
export function reportPart(kernel: EncompassKernel) {
  const { db, directory } = kernel;
  return {
    async report(context: AuditContext, since: Date) {
      const scopes = grantedScopes(context.principal, 'encompass:report');
      if (!scopes.includes('area'))
        throw new ForbiddenError('encompass:report', 'no role held grants encompass:report', {
          type: 'encompass-report',
        });
      const rows = await repo.reportByAddressee(db, context.principal.areaIds, since);
      const agencies = await directory.agenciesByIds([...new Set(rows.map((r) => r.addressee_agency_id))]);
      const names = new Map(agencies.map((a) => [a.id, a.name]));
      await recordAudit(db, context, {
        action: 'encompass.report-view',
        subjectType: 'encompass-report',
        details: { since: since.toISOString() },
      });
      return rows
        .map((r) => ({
          addresseeAgencyId: r.addressee_agency_id,
          addressee: `${names.get(r.addressee_agency_id) ?? 'Unknown agency'}${r.school_agency_id ? '' : ' (local authority)'}`,
          notices: Number(r.notices),
          acknowledged: Number(r.acknowledged),
          unacknowledged: Number(r.unacknowledged),
          acknowledgedLate: Number(r.acknowledged_late),
          meanMinutes: r.mean_minutes === null ? null : Math.round(Number(r.mean_minutes)),
          maxMinutes: r.max_minutes === null ? null : Math.round(Number(r.max_minutes)),
        }))
        .sort((a, b) => a.addressee.localeCompare(b.addressee));
    },
  };
}
