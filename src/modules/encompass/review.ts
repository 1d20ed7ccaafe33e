import { transaction } from '../../db/database.ts';
import type { NoticeContent } from '../../db/schema/encompass.ts';
import type { AuditContext } from '../../platform/audit.ts';
import { ConflictError, ValidationError } from '../../platform/errors.ts';
import type { EncompassKernel } from './kernel.ts';
import * as repo from './repository.ts';
import { JOBS_PRINCIPAL, TEXT_MAX, trimmed } from './types.ts';

/** The force's review before release (where configured), and the job that keeps review from making a notice late. */
export function reviewPart(kernel: EncompassKernel) {
  const { deps, db } = kernel;
  return {
    /** The force's Encompass lead reviews the child-focused summary and releases the notice. */
    async review(context: AuditContext, id: string, input: { summary: string }) {
      const notice = await kernel.decidedNotice(context, id, 'encompass:review');
      const summary = trimmed(input.summary);
      if (!summary)
        throw new ValidationError([{ field: 'summary', message: 'Enter the child-focused summary' }]);
      if (summary.length > TEXT_MAX)
        throw new ValidationError([
          { field: 'summary', message: `The summary must be ${TEXT_MAX} characters or fewer` },
        ]);
      return transaction(db, async (trx) => {
        const content = { ...(notice.content as NoticeContent), summary };
        const released = await repo.releaseNotice(trx, id, {
          released_at: deps.now(),
          reviewed_by_name: context.principal.name,
          content,
        });
        if (!released) throw new ConflictError('The notice has already been released');
        await kernel.auditNotice(trx, context, 'encompass.notice-review', {
          id,
          personId: notice.person_id,
          areaId: notice.area_id,
        });
        return { id };
      });
    },

    /** The release job: a notice nobody reviewed goes as written, so review never makes it late. */
    async releaseIfHeld(noticeId: string) {
      return transaction(db, async (trx) => {
        const notice = await repo.lockNotice(trx, noticeId);
        if (notice?.status !== 'awaiting-review') return false;
        await repo.releaseNotice(trx, noticeId, { released_at: deps.now(), reviewed_by_name: null });
        await kernel.auditNotice(
          trx,
          { principal: JOBS_PRINCIPAL },
          'encompass.notice-release',
          { id: noticeId, personId: notice.person_id, areaId: notice.area_id },
          { reviewed: false },
        );
        return true;
      });
    },
  };
}
