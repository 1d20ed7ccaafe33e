import type { Insertable } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import type { Principal } from '../../../platform/principal.ts';
import { arrivalStatus, type Link } from './duplicates.ts';
import type { Submission } from './submission.ts';

/** The contact as it arrives: routed, on the clock, linked to its original if it has one. */
export function contactRow(
  submission: Submission,
  principal: Principal,
  areaId: string,
  link: Link,
  clock: {
    receivedAt: Date;
    screeningDueAt: Date;
    enquiriesDueAt: Date | null;
    decisionDueAt: Date;
    feedbackDueAt: Date;
  },
): Insertable<DB['contact']> {
  return {
    area_id: areaId,
    kind: submission.kind,
    status: arrivalStatus(link),
    route: submission.route.route,
    route_reason: submission.route.reason,
    source_code: submission.sourceCode,
    source_agency_id: principal.agencyId,
    submitted_by_user_id: principal.channel === 'api' ? null : principal.userId,
    submitted_by_name: principal.name,
    channel: principal.channel,
    referrer: JSON.stringify(submission.referrer),
    received_at: clock.receivedAt,
    concerns: submission.concerns,
    details: JSON.stringify(submission.details),
    incident_ref: submission.incidentRef,
    incident_date: submission.incidentDate,
    risk_grade: submission.riskGrade,
    dash_status: submission.dashStatus,
    rag: submission.rag,
    rag_source: submission.rag ? 'routing-rule' : null,
    screened_at: null,
    screened_by_name: null,
    screening_due_at: clock.screeningDueAt,
    enquiries_due_at: clock.enquiriesDueAt,
    decision_due_at: clock.decisionDueAt,
    feedback_due_at: clock.feedbackDueAt,
    screening_breached_at: null,
    decision_breached_at: null,
    assigned_user_id: null,
    assigned_name: null,
    duplicate_of_id: link?.to.id ?? null,
    level_of_need: null,
    outcome: null,
    decided_at: null,
    feedback: null,
    feedback_sent_at: null,
    rescreen_requested_at: null,
    rescreen_reason: null,
    closed_at: null,
  };
}
