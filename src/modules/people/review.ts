import type { MatchField, MatchReason } from '../../domain/matching.ts';
import { scoreCandidate } from '../../domain/matching.ts';
import { assertAllowed, scopeFor } from '../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { alignedRecord, primaryRecord } from './match-records.ts';
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

export function reviewService(deps: Deps, merging: Merging) {
  const { db } = deps;

  async function loadReview(context: AuditContext, reviewId: string) {
    const review = await repo.findReview(db, reviewId);
    if (!review) throw new NotFoundError('The match review');
    const people = await Promise.all(
      [review.person_id, review.candidate_id].map((id) => repo.findPerson(db, id)),
    );
    const areas = people.map((p) => p!.area_id);
    // The pair is in reach when either record is in an area the principal serves.
    const allowedAreaId = areas.find((a) => context.principal.areaIds.includes(a)) ?? review.area_id;
    assertAllowed(
      context.principal,
      'person:merge',
      { areaId: allowedAreaId },
      {
        type: 'match-review',
        id: reviewId,
        personIds: [review.person_id, review.candidate_id],
        areaId: review.area_id,
      },
    );
    return review;
  }

  return {
    async reviewQueue(context: AuditContext, query: repo.ReviewQuery) {
      assertAllowed(context.principal, 'person:merge');
      const result = await repo.reviewQueue(db, scopeFor(context.principal, 'person:merge'), query);
      await recordAudit(db, context, {
        action: 'person.match-review-list',
        personIds: result.rows.flatMap((r) => [r.incoming_id, r.existing_id]),
        details: { status: query.status, page: query.page, results: result.total },
      });
      return result;
    },

    /**
     * Both records in full, and the comparison field by field as the matcher sees them now (facts
     * may have been added since the pair was raised; the score at the time is kept too).
     */
    async viewReview(context: AuditContext, reviewId: string) {
      const review = await loadReview(context, reviewId);
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
      const now = scoreCandidate(query, candidate, { thresholds: deps.config.partnership.matching });
      const byField = new Map<string, MatchReason>();
      for (const r of now.reasons) if (r.field !== 'rule') byField.set(r.field, r);
      const rows = COMPARED_FIELDS.map(({ field, label }) => ({
        field,
        label,
        incoming: query[field as keyof typeof query] ?? null,
        existing: candidate[field as keyof typeof candidate] ?? null,
        reason: byField.get(field) ?? null,
      }));
      await recordAudit(db, context, {
        action: 'person.match-review-view',
        subjectType: 'match-review',
        subjectId: reviewId,
        personIds: [review.person_id, review.candidate_id],
        areaId: review.area_id,
      });
      return {
        review,
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
    ): Promise<{ mergeId?: string }> {
      const review = await loadReview(context, reviewId);
      if (review.status !== 'pending') throw new ConflictError('This pair has already been decided.');
      if (!decision.note?.trim())
        throw new ValidationError([{ field: 'note', message: 'Say why you made this decision' }]);
      if (decision.note.length > NOTE_MAX)
        throw new ValidationError([
          { field: 'note', message: `Reason must be ${NOTE_MAX} characters or fewer` },
        ]);
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
      await recordAudit(db, context, {
        action: 'person.match-review-not-same',
        subjectType: 'match-review',
        subjectId: reviewId,
        personIds: [review.person_id, review.candidate_id],
        areaId: review.area_id,
        reason: decision.note.trim(),
      });
      return {};
    },
  };
}
