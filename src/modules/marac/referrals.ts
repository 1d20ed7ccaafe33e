import { randomBytes } from 'node:crypto';
import type { Trx } from '../../db/database.ts';
import type { Forum } from '../../db/schema/marac.ts';
import { bandForScore, DEFAULT_RISK_BANDS, type RiskLevel } from '../../domain/instruments/bands.ts';
import { missingInformation, REFERRAL_CRITERIA, referralHistory } from '../../domain/marac/referral.ts';
import { assertAllowed } from '../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { type FieldError, ValidationError } from '../../platform/errors.ts';
import type { MaracCollaborators } from './collaborators.ts';
import * as repo from './repository.ts';
import type { Referral } from './schemas.ts';
import type { MaracSettings } from './settings.ts';

/** A short human reference with no personal data: MC- for MARAC cases, PC- for the panel, MM-/PM- for meetings. */
export function newReference(prefix: string): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(6);
  return `${prefix}-${[...bytes].map((b) => alphabet[b % alphabet.length]).join('')}`;
}

export const caseSource = (c: { id: string; forum: Forum }) =>
  ({ kind: c.forum === 'marac' ? 'marac-case' : 'panel-case', id: c.id }) as const;

/** Taking a referral: validated field by field, access-checked, written with its history in one transaction. */
export function referralService(deps: Deps, collaborators: MaracCollaborators, settings: MaracSettings) {
  const { people, risk, chronology } = collaborators;

  async function refer(trx: Trx, context: AuditContext, input: Referral) {
    const { principal } = context;
    const forum: Forum = input.forum ?? 'marac';
    const errors: FieldError[] = [];
    const perpetratorIds = [...new Set(input.perpetratorPersonIds ?? [])];
    const [victim] = await people.peopleByIds([input.victimPersonId], trx);
    if (!victim) throw new ValidationError([{ field: 'victimPersonId', message: 'No person has this id' }]);
    assertAllowed(
      principal,
      'marac:refer',
      { areaId: victim.area_id },
      { type: 'marac-referral', personIds: [victim.id], areaId: victim.area_id },
    );
    const childIds = [...new Set(input.childPersonIds ?? (await people.linkedChildren([victim.id], trx)))];
    const named = new Map(
      (await people.peopleByIds([...perpetratorIds, ...childIds], trx)).map((p) => [p.id, p]),
    );
    perpetratorIds.forEach((id, i) => {
      if (!named.has(id) || id === victim.id)
        errors.push({ field: `perpetratorPersonIds[${i}]`, message: 'Name a person other than the victim' });
    });
    childIds.forEach((id, i) => {
      const child = named.get(id);
      if (!child || child.kind === 'adult')
        errors.push({ field: `childPersonIds[${i}]`, message: 'Name a child held in Harbour' });
    });
    if (input.criterion === 'professional-judgement' && !input.judgementReason?.trim())
      errors.push({ field: 'judgementReason', message: 'Say why professional judgement puts the risk high' });
    if (input.criterion === 'below-threshold' && forum === 'marac')
      errors.push({
        field: 'criterion',
        message: 'A MARAC referral needs a MARAC criterion; refer to the panel instead',
      });
    if (input.consent === 'not-given' && !input.sharingReason?.trim())
      errors.push({ field: 'sharingReason', message: 'Say why the information is shared without consent' });
    let assessment: Awaited<ReturnType<typeof risk.assessmentFacts>> = null;
    if (input.riskAssessmentId) {
      assessment = await risk.assessmentFacts(input.riskAssessmentId, trx);
      if (!assessment || assessment.victimPersonId !== victim.id)
        errors.push({ field: 'riskAssessmentId', message: 'Reference a DASH recorded about this victim' });
    }
    const score = assessment?.score ?? input.dashScore ?? null;
    if (input.criterion === 'visible-high-risk') {
      if (score === null)
        errors.push({
          field: 'riskAssessmentId',
          message: 'Attach or reference the DASH showing visible high risk',
        });
      else if (score < DEFAULT_RISK_BANDS.highFrom)
        errors.push({
          field: 'criterion',
          message: `A DASH score of ${score} is not visible high risk (${DEFAULT_RISK_BANDS.highFrom} or more)`,
        });
    }
    if (errors.length) throw new ValidationError(errors);

    const now = deps.now();
    const earlier = await repo.referralsOfVictim(trx, victim.id);
    const history = referralHistory(
      earlier.map((r) => ({ id: r.id, referredAt: new Date(r.referred_at), open: r.status !== 'closed' })),
      now,
      settings.repeatWindowMonths,
    );
    const engine = await risk.maracCriteriaMet(childIds, trx);
    const level: RiskLevel | null =
      assessment?.level ??
      (input.criterion === 'professional-judgement'
        ? 'high'
        : score !== null
          ? bandForScore(score, DEFAULT_RISK_BANDS)
          : null);
    const row = await repo.insertCase(trx, {
      reference: newReference(forum === 'marac' ? 'MC' : 'PC'),
      area_id: victim.area_id,
      forum,
      victim_person_id: victim.id,
      perpetrator_person_ids: perpetratorIds,
      child_person_ids: childIds,
      referring_agency_id: principal.agencyId!,
      referring_agency_kind: principal.agencyKind ?? 'unknown',
      referred_by_user_id: principal.userId,
      referred_by_name: principal.name,
      referred_at: now,
      criterion: input.criterion,
      judgement_reason: input.judgementReason?.trim() || null,
      engine_criteria: engine,
      risk_assessment_id: input.riskAssessmentId ?? null,
      risk_level: level,
      dash_score: score,
      dash_reference: input.dashReference?.trim() || null,
      consent: input.consent,
      sharing_reason: input.sharingReason?.trim() || null,
      repeat: history.repeatOf !== null,
      repeat_of_case_id: history.repeatOf,
      duplicate_of_case_id: history.duplicateOf,
      diversity: JSON.stringify(input.diversity ?? {}),
    });
    const personIds = [victim.id, ...perpetratorIds, ...childIds];
    // The referrer takes part in the case it referred: it sees it and returns research for it.
    await people.grantRelationships(
      trx,
      personIds.map((personId) => ({
        personId,
        areaId: victim.area_id,
        agencyId: principal.agencyId!,
        basis: 'marac' as const,
        episodeType: 'marac-case',
        episodeId: row.id,
        grantedByAgencyId: principal.agencyId,
        grantedByName: principal.name,
      })),
    );
    await chronology.record(
      trx,
      context,
      [victim.id, ...childIds].map((personId) => ({
        personId,
        areaId: victim.area_id,
        type: 'marac-referral' as const,
        occurredAt: now,
        significance: 'high' as const,
        summary: forum === 'marac' ? 'Referred to MARAC' : 'Referred to the domestic abuse panel',
        data: { victimIds: [victim.id], perpetratorIds },
        subjectType: 'marac-case',
        subjectId: row.id,
      })),
    );
    await recordAudit(trx, context, {
      action: 'marac.refer',
      subjectType: 'marac-case',
      subjectId: row.id,
      personIds,
      areaId: victim.area_id,
      details: { forum, criterion: input.criterion, repeat: history.repeatOf !== null },
    });
    const criteria = REFERRAL_CRITERIA.map((id) => {
      const sources = [
        ...(input.criterion === id ? ['referrer'] : []),
        ...(engine.includes(id) ? ['risk-engine'] : []),
        ...(id === 'repeat' && history.repeatOf ? ['referral-history'] : []),
      ];
      return { id, met: sources.length > 0, sources };
    });
    return {
      id: row.id,
      reference: row.reference,
      repeat: history.repeatOf !== null,
      duplicateOf: history.duplicateOf,
      criteria,
      missing: missingInformation({
        forum,
        criterion: input.criterion,
        dashScore: score,
        hasAssessment: assessment !== null,
        childCount: childIds.length,
        perpetratorCount: perpetratorIds.length,
        consent: input.consent,
        sharingReason: input.sharingReason?.trim() || null,
      }),
    };
  }

  return { refer };
}
