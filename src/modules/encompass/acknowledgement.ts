import { transaction } from '../../db/database.ts';
import { ForbiddenError } from '../../platform/access.ts';
import type { AuditContext } from '../../platform/audit.ts';
import { ConflictError, type FieldError, ValidationError } from '../../platform/errors.ts';
import type { EncompassKernel } from './kernel.ts';
import * as repo from './repository.ts';
import { type AcknowledgementInput, TEXT_MAX, trimmed } from './types.ts';

function acknowledgementErrors(input: AcknowledgementInput): FieldError[] {
  const errors: FieldError[] = [];
  if (!trimmed(input.actionTaken))
    errors.push({
      field: 'actionTaken',
      message: 'Enter what the school did, for example the support offered',
    });
  else if (input.actionTaken.length > TEXT_MAX)
    errors.push({
      field: 'actionTaken',
      message: `What the school did must be ${TEXT_MAX} characters or fewer`,
    });
  if (typeof input.supportOffered !== 'boolean')
    errors.push({ field: 'supportOffered', message: 'Select yes if the school offered the child support' });
  if (typeof input.loggedOnSchoolSystem !== 'boolean')
    errors.push({
      field: 'loggedOnSchoolSystem',
      message: 'Select yes if the notice is logged on the school’s own safeguarding system',
    });
  return errors;
}

/** Acknowledgement by the addressee (the school's key adult, or the LA's education safeguarding officer). */
export function acknowledgementPart(kernel: EncompassKernel) {
  const { deps, db } = kernel;
  return {
    /** The key adult acknowledges the notice with what the school did; one transaction, audited. */
    async acknowledge(context: AuditContext, id: string, input: AcknowledgementInput) {
      const notice = await kernel.decidedNotice(context, id, 'encompass:acknowledge');
      if (notice.status === 'awaiting-review')
        throw new ForbiddenError('encompass:acknowledge', 'the notice is held for the force’s review', {
          type: 'encompass-notice',
          id,
          personIds: [notice.person_id],
          areaId: notice.area_id,
        });
      const errors = acknowledgementErrors(input);
      if (errors.length > 0) throw new ValidationError(errors);
      return transaction(db, async (trx) => {
        const done = await repo.acknowledgeNotice(trx, id, {
          acknowledged_at: deps.now(),
          acknowledged_by_user_id: context.principal.channel === 'web' ? context.principal.userId : null,
          acknowledged_by_name: context.principal.name,
          action_taken: input.actionTaken.trim(),
          support_offered: input.supportOffered,
          logged_on_school_system: input.loggedOnSchoolSystem,
        });
        if (!done) throw new ConflictError('The notice has already been acknowledged');
        await kernel.auditNotice(
          trx,
          context,
          'encompass.notice-acknowledge',
          { id, personId: notice.person_id, areaId: notice.area_id },
          { supportOffered: input.supportOffered, loggedOnSchoolSystem: input.loggedOnSchoolSystem },
        );
        return { id, acknowledgedAt: new Date(done.acknowledged_at!) };
      });
    },
  };
}
