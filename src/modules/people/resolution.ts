import { DateTime } from 'luxon';
import type { Db, Trx } from '../../db/database.ts';
import { transaction } from '../../db/database.ts';
import { postcodeDistrict } from '../../domain/identifiers.ts';
import {
  type MatchBand,
  type MatchReason,
  type PersonRecord,
  rankCandidates,
} from '../../domain/matching.ts';
import { TIME_ZONE } from '../../domain/time-zone.ts';
import { assertAllowed, decide, type Resource } from '../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { ConflictError, ValidationError } from '../../platform/errors.ts';
import type { Principal } from '../../platform/principal.ts';
import { alignedRecord, blockingKeysOf, primaryRecord } from './match-records.ts';
import { factsOfInput, type NewPerson, validateNewPerson } from './person-input.ts';
import { candidatesByKeys, factsOfRow, type StoredFactsRow } from './resolution-repository.ts';

/**
 * Records scored per query, best-sharing first. Most blocks are tens of records; a common name's
 * can be thousands, almost all sharing only that name.
 */
const CANDIDATE_LIMIT = 100;
/** The blocking key kind that pairs only name codes (see docs/matching.md, blocking keys). */
const NAME_ONLY_KEY = 'nm2:';
/** At most this many review items are raised for one incoming record. */
const MAX_REVIEWS_PER_RECORD = 5;

export interface MatchedCandidate {
  personId: string;
  areaId: string;
  score: number;
  band: Exclude<MatchBand, 'no-match'>;
  reasons: MatchReason[];
  row: StoredFactsRow;
}

export interface ResolveResult {
  personId: string;
  /** linked: an existing person (new facts added); new: no plausible match; review: created and queued for MASH staff. */
  outcome: 'linked' | 'new' | 'review';
  score?: number;
  candidates?: { personId: string; score: number; band: MatchBand }[];
}

/** A candidate the caller may see anyway (person:view): shown in full. */
export interface PresentedCandidate {
  personId: string;
  score: number;
  band: MatchBand;
  reasons: { field: string; agreement: string; weight: number; detail: string }[];
  person: {
    kind: string;
    givenName: string;
    familyName: string;
    dateOfBirth: string | null;
    postcodeDistrict: string | null;
  };
}

/**
 * What matching tells a caller: the candidates it may see, and only whether others exist. A
 * caller with no relationship to a candidate learns "a possible match exists; the MASH will
 * resolve it", never its id, score or which fields agreed (docs/access.md).
 */
export interface MatchAnswer {
  candidates: PresentedCandidate[];
  otherPossibleMatches: boolean;
}

export const UNSEEN_MATCH_MESSAGE =
  'Harbour holds a possible match you may not see. The MASH will resolve it; nothing about that record is shared with you.';

interface Core {
  insertPerson(trx: Trx, context: AuditContext, input: NewPerson): Promise<{ id: string; areaId: string }>;
  authoriseCreate(conn: Db | Trx, context: AuditContext, input: NewPerson): Promise<string>;
  accessResources(personIds: readonly string[], conn?: Db | Trx): Promise<Map<string, Resource>>;
  addFacts(
    trx: Trx,
    context: AuditContext,
    personId: string,
    input: NewPerson,
  ): Promise<Record<string, unknown>>;
}

const round = (n: number) => Math.round(n * 100) / 100;

export function resolutionService(deps: Deps, core: Core) {
  const today = () => DateTime.fromJSDate(deps.now()).setZone(TIME_ZONE).toISODate()!;

  function validate(input: NewPerson) {
    const errors = validateNewPerson(input, today());
    if (errors.length > 0) throw new ValidationError(errors);
  }

  /**
   * Candidates for an incoming record, best first: an indexed query on the blocking keys, then
   * every candidate scored in memory (at the address of its history the query shares, if any).
   * Only auto-link and review bands come back.
   */
  async function findMatches(
    conn: Db | Trx,
    input: NewPerson,
    exclude: ReadonlySet<string> = new Set(),
  ): Promise<MatchedCandidate[]> {
    const facts = factsOfInput(input);
    const query = primaryRecord(facts);
    const keys = blockingKeysOf(facts);
    // Name-only keys (nm2:) find records whose birth dates disagree, but for a common name their
    // block is thousands of records. They are read only when the other keys find no automatic link.
    const specific = keys.filter((k) => !k.startsWith(NAME_ONLY_KEY));
    const nameOnly = keys.filter((k) => k.startsWith(NAME_ONLY_KEY));
    let matches = await scoreBlock(conn, query, specific, exclude);
    if (nameOnly.length > 0 && !matches.some((m) => m.band === 'auto-link')) {
      const seen = new Set([...exclude, ...matches.map((m) => m.personId)]);
      const more = await scoreBlock(conn, query, nameOnly, seen);
      matches = [...matches, ...more].sort((a, b) =>
        a.band === b.band ? b.score - a.score : a.band === 'auto-link' ? -1 : 1,
      );
    }
    return matches;
  }

  async function scoreBlock(
    conn: Db | Trx,
    query: PersonRecord,
    keys: readonly string[],
    exclude: ReadonlySet<string>,
  ): Promise<MatchedCandidate[]> {
    const rows = await candidatesByKeys(
      conn,
      keys,
      CANDIDATE_LIMIT,
      deps.config.partnership.matching.maxBlockSize,
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    const records = rows
      .filter((row) => !exclude.has(row.id))
      .map((row) => Object.assign(alignedRecord(factsOfRow(row), query), { personId: row.id }));
    const ranked = rankCandidates(query, records, deps.config.partnership.matching);
    const seen = new Set<string>();
    const matches: MatchedCandidate[] = [];
    for (const r of ranked) {
      if (seen.has(r.candidate.personId) || r.band === 'no-match') continue;
      seen.add(r.candidate.personId);
      const row = byId.get(r.candidate.personId)!;
      matches.push({
        personId: row.id,
        areaId: row.area_id,
        score: round(r.score),
        band: r.band,
        reasons: r.reasons,
        row,
      });
    }
    return matches;
  }

  /** Puts pairs in front of MASH staff; a pair already raised (or judged) is never raised again. */
  async function queueReviews(
    trx: Trx,
    context: AuditContext,
    person: { id: string; areaId: string },
    matches: readonly MatchedCandidate[],
    origin: string,
  ): Promise<number> {
    const items = matches.slice(0, MAX_REVIEWS_PER_RECORD);
    if (items.length === 0) return 0;
    const rows = await trx
      .insertInto('match_review')
      .values(
        items.map((m) => ({
          area_id: person.areaId,
          person_id: person.id,
          candidate_id: m.personId,
          score: m.score,
          band: m.band,
          reasons: JSON.stringify(m.reasons),
          origin,
          created_by_agency_id: context.principal.agencyId,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .execute();
    return rows.length;
  }

  /** The candidates the principal may see (person:view, the same decision as the record itself). */
  async function present(
    conn: Db | Trx,
    principal: Principal,
    matches: readonly MatchedCandidate[],
  ): Promise<MatchAnswer> {
    const resources = await core.accessResources(
      matches.map((m) => m.personId),
      conn,
    );
    const candidates: PresentedCandidate[] = [];
    let unseen = false;
    for (const m of matches) {
      const resource = resources.get(m.personId);
      if (!resource || !decide(principal, 'person:view', resource).allowed) {
        unseen = true;
        continue;
      }
      const postcode = m.row.addresses[0]?.postcode;
      candidates.push({
        personId: m.personId,
        score: m.score,
        band: m.band,
        reasons: m.reasons.map((r) => ({
          field: r.field,
          agreement: r.agreement,
          weight: r.weight,
          detail: r.detail,
        })),
        person: {
          kind: m.row.kind,
          givenName: m.row.given_name,
          familyName: m.row.family_name,
          dateOfBirth: m.row.date_of_birth ?? m.row.expected_date,
          postcodeDistrict: postcode ? postcodeDistrict(postcode) : null,
        },
      });
    }
    return { candidates, otherPossibleMatches: unseen };
  }

  const brief = (matches: readonly MatchedCandidate[]) =>
    matches.map((m) => ({ personId: m.personId, score: m.score, band: m.band as MatchBand }));

  return {
    findMatches,
    queueReviews,

    /**
     * Identity resolution for an agency's record of a person, inside the caller's transaction
     * (the caller has already been allowed the action that brought the record, such as submitting
     * a DAN). Exactly one auto-link candidate: its record gains this agency's new facts and is
     * returned. Otherwise the person is created, and any plausible candidates (including several
     * competing auto-links) are queued for MASH review. Audited; invalid input throws
     * ValidationError before anything is written.
     */
    async resolvePerson(trx: Trx, context: AuditContext, input: NewPerson): Promise<ResolveResult> {
      validate(input);
      const matches = await findMatches(trx, input);
      const autoLinks = matches.filter((m) => m.band === 'auto-link');
      if (autoLinks.length === 1) {
        const best = autoLinks[0]!;
        const added = await core.addFacts(trx, context, best.personId, input);
        await recordAudit(trx, context, {
          action: 'person.resolve',
          subjectType: 'person',
          subjectId: best.personId,
          personIds: matches.map((m) => m.personId),
          areaId: best.areaId,
          details: { outcome: 'linked', score: best.score, added },
        });
        return { personId: best.personId, outcome: 'linked', score: best.score, candidates: brief(matches) };
      }
      const created = await core.insertPerson(trx, context, input);
      const queued = await queueReviews(trx, context, created, matches, 'resolve');
      const outcome = matches.length > 0 ? 'review' : 'new';
      await recordAudit(trx, context, {
        action: 'person.resolve',
        subjectType: 'person',
        subjectId: created.id,
        personIds: [created.id, ...matches.map((m) => m.personId)],
        areaId: created.areaId,
        details: { outcome, candidates: matches.length, reviewsQueued: queued },
      });
      if (outcome === 'new') return { personId: created.id, outcome };
      return { personId: created.id, outcome, score: matches[0]!.score, candidates: brief(matches) };
    },

    /** Ranked candidates for a partner system or a form, writing nothing but the audit event. */
    async matchPerson(context: AuditContext, input: NewPerson): Promise<MatchAnswer> {
      assertAllowed(context.principal, 'person:match');
      validate(input);
      const matches = await findMatches(deps.db, input);
      const presented = await present(deps.db, context.principal, matches);
      await recordAudit(deps.db, context, {
        action: 'person.match',
        personIds: matches.map((m) => m.personId),
        details: { candidates: matches.length, shown: presented.candidates.length },
      });
      return presented;
    },

    /**
     * Creates a person unless a likely duplicate exists (409 with the candidates, nothing written).
     * With createAnyway the person is created and the candidates are queued for MASH review.
     */
    async createPersonChecked(
      context: AuditContext,
      input: NewPerson,
      options: { createAnyway?: boolean } = {},
    ): Promise<{ id: string; areaId: string; reviewsQueued: number }> {
      await core.authoriseCreate(deps.db, context, input);
      let duplicates: MatchedCandidate[] = [];
      try {
        return await transaction(deps.db, async (trx) => {
          const matches = await findMatches(trx, input);
          if (matches.length > 0 && !options.createAnyway) {
            duplicates = matches;
            const answer = await present(trx, context.principal, matches);
            throw new ConflictError(
              answer.candidates.length > 0
                ? 'This person may already be recorded. Check the candidates, or send createAnyway: true to create a new record (the candidates will go to MASH review).'
                : `${UNSEEN_MATCH_MESSAGE} Send createAnyway: true to create the record; the possible match goes to MASH review.`,
              { candidates: answer.candidates, otherPossibleMatches: answer.otherPossibleMatches },
            );
          }
          const created = await core.insertPerson(trx, context, input);
          const reviewsQueued = await queueReviews(trx, context, created, matches, 'api-create');
          return { ...created, reviewsQueued };
        });
      } catch (error) {
        if (error instanceof ConflictError && duplicates.length > 0) {
          await recordAudit(deps.db, context, {
            action: 'person.create',
            outcome: 'failed',
            reason: 'likely duplicate',
            personIds: duplicates.map((d) => d.personId),
            details: { candidates: duplicates.length },
          });
        }
        throw error;
      }
    },
  };
}
