import { type Trx, transaction } from '../../db/database.ts';
import { localDateOf } from '../../domain/calendar.ts';
import { isIsoDate } from '../../domain/flags.ts';
import { checkStatus, workingDaysBefore } from '../../domain/safeguarding-check.ts';
import { assertAllowed, assertAllowedInPersonArea } from '../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { auditOnSubject, personRecordSubject } from '../../platform/audit-subject.ts';
import type { Deps } from '../../platform/deps.ts';
import { ConflictError, type FieldError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { SYSTEM_PRINCIPAL } from '../../platform/principal.ts';
import { referenceFor } from '../actions/index.ts';
import type { ChronologyService } from '../chronology/service.ts';
import type { DirectoryService } from '../directory/service.ts';
import type { PeopleService } from '../people/service.ts';
import type { HealthOutbox } from './outbox.ts';
import * as repo from './safeguarding-check-repository.ts';

/** Queue that escalates a check still unanswered when its day has passed. Data: { checkId }. */
export const SAFEGUARDING_CHECK_ESCALATION_QUEUE = 'health.safeguarding-check-escalate';

export interface SafeguardingCheckCollaborators {
  people: PeopleService;
  chronology: ChronologyService;
  directory: DirectoryService;
  /** The working calendar the partnership's deadlines are counted in. */
  calendar: Parameters<typeof workingDaysBefore>[2];
  /** The notifications outbox, or null where none is built (the audit event is kept either way). */
  outbox: HealthOutbox | null;
}

/**
 * Probation ↔ police child-safeguarding checks (F27): probation asks with the court date; the
 * answer is due health.safeguardingCheckWorkingDaysBeforeCourt working days before it; police
 * answer on a page or by API; a late check is escalated and shown on the report.
 */
export function safeguardingCheckService(
  deps: Deps,
  { people, chronology, directory, calendar, outbox }: SafeguardingCheckCollaborators,
) {
  const { db, config } = deps;
  const today = () => localDateOf(deps.now(), calendar);

  /** Tells the answering force's inbox that a check is late (outbox and audit, one transaction). */
  async function tellOfEscalation(
    trx: Trx,
    check: { id: string; police_agency_id: string; person_id: string; area_id: string; due_by: string },
  ) {
    const context = { principal: SYSTEM_PRINCIPAL };
    await outbox?.enqueue(trx, context, {
      type: 'safeguarding-check.escalated',
      to: { agencyId: check.police_agency_id },
      reference: referenceFor('SGC', check.id),
      subject: 'A child-safeguarding check for court is overdue',
      link: '/safeguarding-checks',
      dueBy: new Date(`${check.due_by}T17:00:00Z`),
    });
    await auditOnSubject(
      trx,
      context,
      'safeguarding-check.escalate',
      personRecordSubject('safeguarding_check', check.id, check.person_id, check.area_id),
      {
        details: { messageType: 'safeguarding-check.request', to: [check.police_agency_id] },
      },
    );
  }

  function present(row: Awaited<ReturnType<typeof repo.checkById>> & object) {
    const answeredOn = row.answered_at ? localDateOf(row.answered_at, calendar) : null;
    return {
      id: row.id,
      personId: row.person_id,
      courtDate: row.court_date,
      dueBy: row.due_by,
      question: row.question,
      answer: row.answer,
      answeredAt: row.answered_at ? row.answered_at.toISOString() : null,
      escalated: row.escalated_at !== null,
      status: checkStatus({ dueBy: row.due_by, answeredOn }, today()),
    };
  }

  return {
    async request(context: AuditContext, input: { personId: string; courtDate: string; question?: string }) {
      const errors: FieldError[] = [];
      if (!isIsoDate(input.courtDate))
        errors.push({ field: 'courtDate', message: 'Enter a real court date' });
      else if (input.courtDate < today())
        errors.push({ field: 'courtDate', message: 'The court date must be today or in the future' });
      const question =
        input.question?.trim() || 'Child-safeguarding and domestic-abuse call-out check before sentencing';
      if (question.length > 2000)
        errors.push({ field: 'question', message: 'Question must be 2,000 characters or fewer' });
      if (errors.length) throw new ValidationError(errors);
      const { person } = await people.accessFacts(input.personId);
      const principal = context.principal;
      assertAllowedInPersonArea(principal, 'safeguarding-check:request', person);
      const [policeId] = await directory.agencyIdsServingArea(person.area_id, 'police');
      if (!policeId) throw new ConflictError('No police force serves this person’s area');
      const dueBy = workingDaysBefore(
        input.courtDate,
        config.partnership.health.safeguardingCheckWorkingDaysBeforeCourt,
        calendar,
      );
      return transaction(db, async (trx) => {
        const id = await repo.insertCheck(trx, {
          area_id: person.area_id,
          person_id: person.id,
          requested_by_agency_id: principal.agencyId!,
          requested_by_name: principal.name,
          police_agency_id: policeId,
          court_date: input.courtDate,
          due_by: dueBy,
          question,
          requested_at: deps.now(),
        });
        await chronology.record(trx, context, [
          {
            personId: person.id,
            areaId: person.area_id,
            type: 'probation-event',
            occurredAt: deps.now(),
            significance: 'medium',
            summary: `Probation asked police for a child-safeguarding check before court on ${input.courtDate}; due by ${dueBy}.`,
            subjectType: 'safeguarding_check',
            subjectId: id,
            sharedWithAgencyIds: [policeId],
          },
        ]);
        await auditOnSubject(
          trx,
          context,
          'safeguarding-check.request',
          personRecordSubject('safeguarding_check', id, person.id, person.area_id),
          {
            details: { courtDate: input.courtDate, dueBy },
          },
        );
        // Escalated once the due day has passed in the partnership's time zone.
        const escalateAt = new Date(`${dueBy}T23:59:59Z`);
        if (deps.jobs)
          await deps.jobs.enqueue(
            trx,
            SAFEGUARDING_CHECK_ESCALATION_QUEUE,
            { checkId: id },
            { startAfter: escalateAt },
          );
        return { id, dueBy };
      });
    },

    async answer(context: AuditContext, checkId: string, answer: string) {
      const text = answer?.trim() ?? '';
      if (!text || text.length > 8000)
        throw new ValidationError([
          { field: 'answer', message: 'Enter the answer (up to 8,000 characters)' },
        ]);
      const row = await repo.checkById(db, checkId);
      if (!row) throw new NotFoundError('The safeguarding check');
      assertAllowed(context.principal, 'safeguarding-check:answer', {
        areaId: row.area_id,
        relationships: [],
      });
      if (context.principal.agencyId !== row.police_agency_id)
        throw new ValidationError([
          { field: 'answer', message: 'Only the force asked may answer this check' },
        ]);
      await transaction(db, async (trx) => {
        if (
          !(await repo.answerCheck(trx, checkId, {
            answer: text,
            answered_at: deps.now(),
            answered_by_name: context.principal.name,
          }))
        )
          throw new ConflictError('This check has already been answered');
        await auditOnSubject(
          trx,
          context,
          'safeguarding-check.answer',
          personRecordSubject('safeguarding_check', checkId, row.person_id, row.area_id),
        );
      });
    },

    /** The escalation job: a check still open after its due day is escalated once. */
    async escalate(checkId: string) {
      const row = await repo.checkById(db, checkId);
      if (!row || row.answered_at) return false;
      if (today() <= row.due_by) return false;
      return transaction(db, async (trx) => {
        if (!(await repo.markEscalated(trx, checkId, deps.now()))) return false;
        await tellOfEscalation(trx, row);
        return true;
      });
    },

    /** The checks the caller's agency asked for or must answer, with their status (page, API, report). */
    async forAgency(context: AuditContext) {
      assertAllowed(context.principal, 'safeguarding-check:view');
      const rows = await repo.checksForAgency(
        db,
        context.principal.agencyId ?? '',
        context.principal.areaIds,
      );
      if (rows.length)
        await recordAudit(db, context, {
          action: 'safeguarding-check.list',
          personIds: rows.map((r) => r.person_id),
        });
      return rows.map(present);
    },
  };
}

export type SafeguardingCheckService = ReturnType<typeof safeguardingCheckService>;
