import type { MatchField, MatchReason } from '../../domain/matching.ts';
import { scoreCandidate } from '../../domain/matching.ts';
import { assertAllowed, decideInArea, ForbiddenError, scopeFor } from '../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { auditOnSubject } from '../../platform/audit-subject.ts';
import type { Deps } from '../../platform/deps.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { alignedRecord, primaryRecord } from './match-records.ts';
import { matchingModelService } from './matching-model.ts';
import * as repo from './repository.ts';
import { factsOfRow, storedFacts } from './resolution-repository.ts';

interface Merging {
  mergePeople(
    context: AuditContext,
    input: { survivorId: string; mergedId: string; reason: string; reviewId?: string },
  ): Promise<{ mergeId: string }>;
}

/** The rows of the side-by-side comparison, in the order a reviewer reads them. */
export const COMPARED_FIELDS: { field: MatchField; label: string }[] = [
  { field: 'givenName', label: 'Given name' },
  { field: 'familyName', label: 'Family name' },
  { field: 'dateOfBirth', label: 'Date of birth' },
  { field: 'sex', label: 'Sex' },
  { field: 'postcode', label: 'Postcode' },
  { field: 'addressLine', label: 'Address' },
  { field: 'nhsNumber', label: 'NHS number' },
  { field: 'upn', label: 'Unique pupil number' },
  { field: 'localAuthorityId', label: 'Local authority ID' },
  { field: 'policeReference', label: 'Police reference' },
];

const NOTE_MAX = 2000;

/** A review pair as its refusals and its audit name it: both records, in the review's area. */
const reviewSubject = (review: { id: string; person_id: string; candidate_id: string; area_id: string }) => ({
  type: 'match-review',
  id: review.id,
  personIds: [review.person_id, review.candidate_id],
  areaId: review.area_id,
});

export function reviewService(deps: Deps, merging: Merging) {
  const { db } = deps;

  /**
   * A pair is in reach when either record is in an area where the principal may merge; it is shown
   * in full only when both are (the same decision as merging them). Of a cross-area pair the
   * reviewer sees its own area's record and only that the other is held by another area.
   */
  async function loadReview(context: AuditContext, reviewId: string) {
    const review = await repo.findReview(db, reviewId);
    if (!review) throw new NotFoundError('The match review');
    const [incoming, existing] = await Promise.all(
      [review.person_id, review.candidate_id].map((id) => repo.findPerson(db, id)),
    );
    const inReach = (areaId: string) => decideInArea(context.principal, 'person:merge', areaId).allowed;
    const reach = { incoming: inReach(incoming!.area_id), existing: inReach(existing!.area_id) };
    assertAllowed(
      context.principal,
      'person:merge',
      { areaId: reach.incoming ? incoming!.area_id : existing!.area_id, relationships: [] },
      reviewSubject(review),
    );
    const areas = [...new Set([incoming!.area_id, existing!.area_id])];
    return { review, reach, full: reach.incoming && reach.existing, areas };
  }

  /**
   * A cross-area pair: one area alone may neither merge it (it cannot see the other record) nor
   * settle it as "not the same person" for both. Its "not the same" is recorded for its own
   * area; the pair settles when every area holding one of the records has said so. A merge needs
   * a reviewer who may merge in both areas.
   */
  async function decideAcrossAreas(
    context: AuditContext,
    review: NonNullable<Awaited<ReturnType<typeof repo.findReview>>>,
    areas: string[],
    decision: { outcome: 'not-same' | 'merge'; note: string },
  ): Promise<{ mergeId?: string; awaitingOtherArea?: boolean }> {
    if (decision.outcome === 'merge')
      throw new ForbiddenError(
        'person:merge',
        'merging records held by two areas needs a reviewer who may merge in both',
        { type: 'match-review', id: review.id, personIds: [review.person_id, review.candidate_id] },
      );
    const mine = areas.filter((a) => decideInArea(context.principal, 'person:merge', a).allowed);
    const said = [...new Set([...review.not_same_area_ids, ...mine])];
    const settled = areas.every((a) => said.includes(a));
    const updated = await db
      .updateTable('match_review')
      .set({
        not_same_area_ids: said,
        ...(settled
          ? {
              status: 'not-same' as const,
              decided_at: deps.now(),
              decided_by_user_id: context.principal.userId,
              decided_by_name: context.principal.name,
              decision_note: decision.note.trim(),
            }
          : {}),
      })
      .where('id', '=', review.id)
      .where('status', '=', 'pending')
      .returning('id')
      .executeTakeFirst();
    if (!updated) throw new ConflictError('This pair has already been decided.');
    await auditOnSubject(
      db,
      context,
      settled ? 'person.match-review-not-same' : 'person.match-review-not-same-area',
      reviewSubject(review),
      { reason: decision.note.trim(), details: { areasAgreed: said.length, areas: areas.length } },
    );
    return settled ? {} : { awaitingOtherArea: true };
  }

  return {
    async reviewQueue(context: AuditContext, query: repo.ReviewQuery) {
      assertAllowed(context.principal, 'person:merge');
      const result = await repo.reviewQueue(db, scopeFor(context.principal, 'person:merge'), query);
      const inReach = (areaId: string) => decideInArea(context.principal, 'person:merge', areaId).allowed;
      // The other area's record of a cross-area pair is not named.
      const rows = result.rows.map((r) => {
        const incoming = inReach(r.incoming_area_id);
        const existing = inReach(r.existing_area_id);
        return {
          ...r,
          crossArea: !(incoming && existing),
          ...(incoming
            ? {}
            : {
                incoming_id: null,
                incoming_given_name: null,
                incoming_family_name: null,
                incoming_date_of_birth: null,
              }),
          ...(existing
            ? {}
            : {
                existing_id: null,
                existing_given_name: null,
                existing_family_name: null,
                existing_date_of_birth: null,
              }),
        };
      });
      await recordAudit(db, context, {
        action: 'person.match-review-list',
        personIds: rows.flatMap((r) => [r.incoming_id, r.existing_id]).filter((id): id is string => !!id),
        details: { status: query.status, page: query.page, results: result.total },
      });
      return { ...result, rows };
    },

    /**
     * Both records in full, and the comparison field by field as the matcher sees them now (facts
     * may have been added since the pair was raised; the score at the time is kept too).
     */
    async viewReview(context: AuditContext, reviewId: string) {
      const { review, reach, full, areas } = await loadReview(context, reviewId);
      if (!full) {
        const ownId = reach.incoming ? review.person_id : review.candidate_id;
        const own = { person: (await repo.findPerson(db, ownId))!, ...(await repo.personDetails(db, ownId)) };
        await recordAudit(db, context, {
          action: 'person.match-review-view',
          subjectType: 'match-review',
          subjectId: reviewId,
          personIds: [ownId],
          areaId: own.person.area_id,
          details: { crossArea: true },
        });
        const ownArea = areas.filter((a) => decideInArea(context.principal, 'person:merge', a).allowed);
        return {
          review,
          crossArea: {
            own,
            ownSide: reach.incoming ? ('incoming' as const) : ('existing' as const),
            alreadySaidNotSame: ownArea.every((a) => review.not_same_area_ids.includes(a)),
          },
          incoming: null,
          existing: null,
          comparison: null,
        };
      }
      const [incoming, existing] = await Promise.all(
        [review.person_id, review.candidate_id].map(async (id) => ({
          person: (await repo.findPerson(db, id))!,
          ...(await repo.personDetails(db, id)),
        })),
      );
      const facts = await storedFacts(db, [review.person_id, review.candidate_id]);
      const incomingFacts = factsOfRow(facts.find((f) => f.id === review.person_id)!);
      const existingFacts = factsOfRow(facts.find((f) => f.id === review.candidate_id)!);
      const query = primaryRecord(incomingFacts);
      const candidate = alignedRecord(existingFacts, query);
      const scoring = await matchingModelService(deps).scoring(db);
      const now = scoreCandidate(query, candidate, { ...scoring.options, thresholds: scoring.thresholds });
      const byField = new Map<string, MatchReason>();
      for (const r of now.reasons) if (r.field !== 'rule') byField.set(r.field, r);
      const rows = COMPARED_FIELDS.map(({ field, label }) => ({
        field,
        label,
        incoming: query[field as keyof typeof query] ?? null,
        existing: candidate[field as keyof typeof candidate] ?? null,
        reason: byField.get(field) ?? null,
      }));
      await auditOnSubject(db, context, 'person.match-review-view', reviewSubject(review));
      return {
        review,
        crossArea: null,
        incoming,
        existing,
        comparison: {
          rows,
          rules: now.reasons.filter((r) => r.field === 'rule'),
          score: now.score,
          band: now.band,
        },
      };
    },

    /**
     * A reviewer's decision. not-same: remembered, so the pair is never offered again. merge: the
     * chosen survivor keeps everything of both (see merge.ts).
     */
    async decideReview(
      context: AuditContext,
      reviewId: string,
      decision: { outcome: 'not-same' | 'merge'; survivorId?: string; note: string },
    ): Promise<{ mergeId?: string; awaitingOtherArea?: boolean }> {
      const { review, full, areas } = await loadReview(context, reviewId);
      if (review.status !== 'pending') throw new ConflictError('This pair has already been decided.');
      if (!decision.note?.trim())
        throw new ValidationError([{ field: 'note', message: 'Say why you made this decision' }]);
      if (decision.note.length > NOTE_MAX)
        throw new ValidationError([
          { field: 'note', message: `Reason must be ${NOTE_MAX} characters or fewer` },
        ]);
      if (!full) return decideAcrossAreas(context, review, areas, decision);
      if (decision.outcome === 'merge') {
        const pair = [review.person_id, review.candidate_id];
        if (!decision.survivorId || !pair.includes(decision.survivorId))
          throw new ValidationError([{ field: 'survivorId', message: 'Choose which record to keep' }]);
        const mergedId = pair.find((id) => id !== decision.survivorId)!;
        return merging.mergePeople(context, {
          survivorId: decision.survivorId,
          mergedId,
          reason: decision.note,
          reviewId,
        });
      }
      const updated = await db
        .updateTable('match_review')
        .set({
          status: 'not-same',
          decided_at: deps.now(),
          decided_by_user_id: context.principal.userId,
          decided_by_name: context.principal.name,
          decision_note: decision.note.trim(),
        })
        .where('id', '=', reviewId)
        .where('status', '=', 'pending')
        .returning('id')
        .executeTakeFirst();
      if (!updated) throw new ConflictError('This pair has already been decided.');
      await auditOnSubject(db, context, 'person.match-review-not-same', reviewSubject(review), {
        reason: decision.note.trim(),
      });
      return {};
    },
  };
}
