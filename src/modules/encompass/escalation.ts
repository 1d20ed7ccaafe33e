import { transaction } from '../../db/database.ts';
import { escalationStage } from '../../domain/encompass.ts';
import type { AuditContext } from '../../platform/audit.ts';
import type { EncompassKernel } from './kernel.ts';
import * as repo from './repository.ts';
import { ENCOMPASS_ESCALATION_QUEUE, JOBS_PRINCIPAL, MINUTE } from './types.ts';

/**
 * Escalation of a notice nobody acknowledged: after `deputyAfterMinutes` to the school's deputies,
 * after `localAuthorityAfterMinutes` to the LA's education safeguarding officers and the force
 * that sent it (its Encompass lead). Each stage once, recorded, and a message by the outbox.
 */
export function escalationPart(kernel: EncompassKernel) {
  const { deps, db, outbox, settings } = kernel;
  return {
    async escalate(noticeId: string): Promise<'deputy' | 'local-authority' | null> {
      return transaction(db, async (trx) => {
        const notice = await repo.lockNotice(trx, noticeId);
        if (!notice || notice.status === 'acknowledged') return null;
        const rule = settings().escalation;
        const now = deps.now();
        const stage = escalationStage(new Date(notice.due_by), now, rule);
        if (!stage || stage === notice.escalation_stage) return null;
        if (notice.escalation_stage === 'local-authority') return null;
        const context: AuditContext = { principal: JOBS_PRINCIPAL };
        // Each message goes to a person by name where one is known, else to the agency's inbox.
        const recipients: { agencyId: string; userId?: string }[] = [];
        const agencyIds: string[] = [];
        const userIds: string[] = [];
        if (stage === 'deputy') {
          agencyIds.push(notice.addressee_agency_id);
          const school = notice.school_agency_id
            ? await repo.schoolByAgency(trx, notice.school_agency_id)
            : null;
          userIds.push(...(school?.deputy_user_ids ?? []));
          recipients.push(
            ...(userIds.length > 0
              ? userIds.map((userId) => ({ agencyId: notice.addressee_agency_id, userId }))
              : [{ agencyId: notice.addressee_agency_id }]),
          );
        } else {
          const la = await kernel.localAuthorityAgency(notice.area_id, trx);
          const officers = await kernel.officersOf(la, trx);
          agencyIds.push(la);
          userIds.push(...officers);
          recipients.push(
            ...(officers.length > 0
              ? officers.map((userId) => ({ agencyId: la, userId }))
              : [{ agencyId: la }]),
          );
          if (notice.source_agency_id && notice.source_agency_id !== la) {
            agencyIds.push(notice.source_agency_id);
            recipients.push({ agencyId: notice.source_agency_id });
          }
        }
        await repo.recordEscalation(trx, {
          notice_id: notice.id,
          area_id: notice.area_id,
          stage,
          notified_agency_ids: agencyIds,
          notified_user_ids: userIds,
          at: now,
        });
        for (const to of recipients)
          await outbox?.enqueue(trx, context, {
            type: 'encompass.escalation',
            areaId: notice.area_id,
            personIds: [notice.person_id],
            to,
            reference: notice.reference,
            subject: `Operation Encompass notice ${notice.reference} has not been acknowledged`,
            link: `/encompass/notices/${notice.id}`,
            dueBy: new Date(notice.due_by),
          });
        if (stage === 'deputy' && deps.jobs)
          await deps.jobs.enqueue(
            trx,
            ENCOMPASS_ESCALATION_QUEUE,
            { noticeId: notice.id },
            {
              startAfter: new Date(
                new Date(notice.due_by).getTime() + rule.localAuthorityAfterMinutes * MINUTE,
              ),
              singletonKey: `escalate:${notice.id}:local-authority`,
            },
          );
        await kernel.auditNotice(
          trx,
          context,
          'encompass.notice-escalate',
          { id: notice.id, personId: notice.person_id, areaId: notice.area_id },
          { stage, agencies: agencyIds, users: userIds },
        );
        return stage;
      });
    },
  };
}
