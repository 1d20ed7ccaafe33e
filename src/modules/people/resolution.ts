import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Db, Trx } from '../../db/database.ts';
import { transaction } from '../../db/database.ts';
import { identifierTypes } from '../../domain/identifier-types.ts';
import { normalisePostcode, postcodeDistrict } from '../../domain/identifiers.ts';
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
import { alignedRecord, blockingKeysOf, currentFirst, primaryRecord } from './match-records.ts';
import { matchingModelService, type Scoring } from './matching-model.ts';
import { factsOfInput, type NewPerson, validateNewPerson } from './person-input.ts';
import {
  candidatesByKeys,
  candidatesForQueries,
  factsOfRow,
  type StoredFactsRow,
  storedFacts,
} from './resolution-repository.ts';
import type { HeldFacts } from './service.ts';

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
  areasOfInputs(conn: Db | Trx, inputs: readonly NewPerson[]): Promise<(string | null)[]>;
  insertPerson(trx: Trx, context: AuditContext, input: NewPerson): Promise<{ id: string; areaId: string }>;
  insertPeople(
    trx: Trx,
    context: AuditContext,
    inputs: readonly NewPerson[],
    ids?: readonly string[],
  ): Promise<{ id: string; areaId: string }[]>;
  authoriseCreate(conn: Db | Trx, context: AuditContext, input: NewPerson): Promise<string>;
  accessResources(personIds: readonly string[], conn?: Db | Trx): Promise<Map<string, Resource>>;
  accessResourcesOfKnown(
    people: readonly { id: string; areaId: string }[],
    conn?: Db | Trx,
  ): Promise<Map<string, Resource>>;
  addFacts(
    trx: Trx,
    context: AuditContext,
    personId: string,
    input: NewPerson,
    alreadyRead?: HeldFacts,
  ): Promise<Record<string, unknown>>;
  heldFacts(trx: Trx, personIds: readonly string[]): Promise<Map<string, HeldFacts>>;
}

const round = (n: number) => Math.round(n * 100) / 100;

export function resolutionService(deps: Deps, core: Core) {
  const today = () => DateTime.fromJSDate(deps.now()).setZone(TIME_ZONE).toISODate()!;
  const types = identifierTypes(deps.config.partnership.matching.identifierTypes);
  // The partnership's adopted model and thresholds (else the shipped weights and the file's
  // thresholds), read at each entry point on its connection (cached; see matching-model.ts) so
  // that scoring itself stays synchronous.
  const models = matchingModelService(deps);
  let scoring: Scoring | null = null;
  async function loadScoring(conn: Db | Trx): Promise<void> {
    scoring = await models.scoring(conn);
  }

  function validate(input: NewPerson) {
    const errors = validateNewPerson(input, today(), '', types);
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
    await loadScoring(conn);
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
    return scoreRows(query, rows, exclude);
  }

  /** Scores a block's records against the query: auto-link and review bands, best first, once each. */
  function scoreRows(
    query: PersonRecord,
    rows: readonly StoredFactsRow[],
    exclude: ReadonlySet<string>,
  ): MatchedCandidate[] {
    const byId = new Map(rows.map((r) => [r.id, r]));
    const records = rows
      .filter((row) => !exclude.has(row.id))
      .map((row) => Object.assign(alignedRecord(factsOfRow(row), query), { personId: row.id }));
    const ranked = scoring
      ? rankCandidates(query, records, scoring.thresholds, scoring.options)
      : rankCandidates(query, records, deps.config.partnership.matching);
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

  const byBand = (a: MatchedCandidate, b: MatchedCandidate) =>
    a.band === b.band ? b.score - a.score : a.band === 'auto-link' ? -1 : 1;

  /** What the candidate query would return for a person created earlier in the same submission. */
  function createdRow(id: string, areaId: string, input: NewPerson): StoredFactsRow {
    const facts = factsOfInput(input);
    return {
      id,
      area_id: areaId,
      kind: input.kind,
      given_name: input.givenName.trim(),
      family_name: input.familyName.trim(),
      date_of_birth: input.dateOfBirth ?? null,
      expected_date: input.expectedDate ?? null,
      sex: input.sex ?? null,
      created_at: deps.now(),
      names: [
        ...(input.otherNames ?? []).map((n) => ({
          givenName: n.givenName.trim(),
          familyName: n.familyName.trim(),
        })),
        ...(input.preferredName?.trim()
          ? [{ givenName: input.preferredName.trim(), familyName: input.familyName.trim() }]
          : []),
      ],
      identifiers: [...new Map(facts.identifiers.map((i) => [`${i.scheme}:${i.value}`, i])).values()],
      addresses: currentFirst(
        (input.addresses ?? []).map((a) => ({
          line1: a.line1.trim(),
          postcode: normalisePostcode(a.postcode)!,
          fromDate: a.fromDate ?? null,
          toDate: a.toDate ?? null,
        })),
      ),
    };
  }

  /** Audits a record resolved to the one person it auto-links to, naming every candidate weighed. */
  function auditLinked(
    trx: Trx,
    context: AuditContext,
    best: MatchedCandidate,
    matches: readonly MatchedCandidate[],
    added: unknown,
  ) {
    return recordAudit(trx, context, {
      action: 'person.resolve',
      subjectType: 'person',
      subjectId: best.personId,
      personIds: matches.map((m) => m.personId),
      areaId: best.areaId,
      details: { outcome: 'linked', score: best.score, added },
    });
  }

  /** Puts pairs in front of MASH staff; a pair already raised (or judged) is never raised again. */
  async function queueReviews(
    trx: Trx,
    context: AuditContext,
    person: { id: string; areaId: string },
    matches: readonly MatchedCandidate[],
    origin: string,
  ): Promise<number> {
    // One record's pairs are the one-record case of the batch, so both write the same rows.
    const [raised] = await queueReviewsOfMany(trx, context, [{ person, matches }], origin);
    return raised ?? 0;
  }

  /**
   * `queueReviews` for several new records in one statement: how many pairs each raised, in order.
   */
  async function queueReviewsOfMany(
    trx: Trx,
    context: AuditContext,
    records: readonly { person: { id: string; areaId: string }; matches: readonly MatchedCandidate[] }[],
    origin: string,
  ): Promise<number[]> {
    const items = records.flatMap(({ person, matches }) =>
      matches.slice(0, MAX_REVIEWS_PER_RECORD).map((m) => ({
        area_id: person.areaId,
        person_id: person.id,
        candidate_id: m.personId,
        score: m.score,
        band: m.band,
        reasons: JSON.stringify(m.reasons),
        origin,
        created_by_agency_id: context.principal.agencyId,
      })),
    );
    if (items.length === 0) return records.map(() => 0);
    const rows = await trx
      .insertInto('match_review')
      .values(items)
      .onConflict((oc) => oc.doNothing())
      .returning('person_id')
      .execute();
    const raised = new Map<string, number>();
    for (const r of rows) raised.set(r.person_id, (raised.get(r.person_id) ?? 0) + 1);
    return records.map(({ person }) => raised.get(person.id) ?? 0);
  }

  /** The candidates the principal may see (person:view, the same decision as the record itself). */
  async function present(
    conn: Db | Trx,
    principal: Principal,
    matches: readonly MatchedCandidate[],
  ): Promise<MatchAnswer> {
    // The candidates' areas came with their facts: only their relationships are read.
    const resources = await core.accessResourcesOfKnown(
      matches.map((m) => ({ id: m.personId, areaId: m.areaId })),
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

  const api = {
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
        await auditLinked(trx, context, best, matches, added);
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

    /**
     * `resolvePerson` for every person of one submission, with the same outcomes as resolving them
     * one after another, in fewer statements: the candidate blocks of all of them are read in one
     * statement (and the name-only blocks in a second), people found new are created together at
     * the end, and a person created earlier in the submission is scored from what it was created
     * with. Where that could differ from resolving in turn (an earlier person's record gained facts,
     * a person matches one created earlier in the submission, a block is at its limit), the pending
     * people are written and the rest are resolved one by one. `fieldName` names a refused field
     * as the caller sent it.
     */
    async resolvePeople(
      trx: Trx,
      context: AuditContext,
      inputs: readonly NewPerson[],
      fieldName: (index: number, field: string) => string = (_i, field) => field,
    ): Promise<ResolveResult[]> {
      const day = today();
      inputs.forEach((input, i) => {
        const errors = validateNewPerson(input, day, '', types);
        if (errors.length > 0)
          throw new ValidationError(errors.map((e) => ({ ...e, field: fieldName(i, e.field) })));
      });
      await loadScoring(trx);
      const queries = inputs.map((input) => {
        const facts = factsOfInput(input);
        const keys = blockingKeysOf(facts);
        return {
          query: primaryRecord(facts),
          specific: keys.filter((k) => !k.startsWith(NAME_ONLY_KEY)),
          nameOnly: keys.filter((k) => k.startsWith(NAME_ONLY_KEY)),
        };
      });
      const { maxBlockSize } = deps.config.partnership.matching;
      const first = await candidatesForQueries(
        trx,
        queries.map((q) => q.specific),
        CANDIDATE_LIMIT,
        maxBlockSize,
      );
      // Each block is scored once here; the loop below scores again only a block the submission's
      // own writes have changed.
      const firstScored = queries.map((q, i) => scoreRows(q.query, first[i]!.rows, new Set()));
      const needSecond = queries
        .map((_q, i) => i)
        .filter(
          (i) => queries[i]!.nameOnly.length > 0 && !firstScored[i]!.some((m) => m.band === 'auto-link'),
        );
      const secondRead = await candidatesForQueries(
        trx,
        needSecond.map((i) => queries[i]!.nameOnly),
        CANDIDATE_LIMIT,
        maxBlockSize,
      );
      const second = new Map(needSecond.map((i, k) => [i, secondRead[k]!]));
      const secondScored = new Map(
        needSecond.map((i) => [
          i,
          scoreRows(queries[i]!.query, second.get(i)!.rows, new Set(firstScored[i]!.map((m) => m.personId))),
        ]),
      );
      // The records the people will link to, read in one statement. (A person created earlier in
      // the submission only adds candidates; if it were an automatic link they are resolved in turn.)
      const linkTargets = queries.flatMap((_q, i) => {
        let links = firstScored[i]!.filter((m) => m.band === 'auto-link');
        const more = secondScored.get(i);
        if (links.length === 0 && more) links = more.filter((m) => m.band === 'auto-link');
        return links.length === 1 ? [links[0]!.personId] : [];
      });
      const held = await core.heldFacts(trx, linkTargets);
      const areas = await core.areasOfInputs(trx, inputs);

      const results: ResolveResult[] = new Array(inputs.length);
      const pending: { index: number; id: string; areaId: string; matches: MatchedCandidate[] }[] = [];
      // Records this submission has created or that gained facts, as the candidate query would now
      // return them: a later person is scored against these instead of what was read at the start.
      const touched = new Map<string, { row: StoredFactsRow; written: boolean }>();
      const touchedByKey = new Map<string, Set<string>>();
      const setTouched = (row: StoredFactsRow, keys: readonly string[], written: boolean) => {
        touched.set(row.id, { row, written });
        for (const k of keys) {
          const ids = touchedByKey.get(k) ?? new Set<string>();
          touchedByKey.set(k, ids);
          ids.add(row.id);
        }
      };
      const touch = async (personId: string) => {
        const [row] = await storedFacts(trx, [personId]);
        if (row) setTouched(row, blockingKeysOf(factsOfRow(row)), true);
        held.delete(personId);
      };
      const writePending = async () => {
        if (pending.length === 0) return;
        const rows = await core.insertPeople(
          trx,
          context,
          pending.map((p) => inputs[p.index]!),
          pending.map((p) => p.id),
        );
        const queued = await queueReviewsOfMany(
          trx,
          context,
          pending.map((p, k) => ({ person: rows[k]!, matches: p.matches })),
          'resolve',
        );
        for (const [k, p] of pending.entries()) {
          const person = rows[k]!;
          await recordAudit(trx, context, {
            action: 'person.resolve',
            subjectType: 'person',
            subjectId: person.id,
            personIds: [person.id, ...p.matches.map((m) => m.personId)],
            areaId: person.areaId,
            details: {
              outcome: p.matches.length > 0 ? 'review' : 'new',
              candidates: p.matches.length,
              reviewsQueued: queued[k]!,
            },
          });
          const entry = touched.get(person.id);
          if (entry) entry.written = true;
        }
        pending.length = 0;
      };
      // Resolved alone, on what is stored now (everything pending written first).
      const inTurn = async (i: number) => {
        await writePending();
        const result = await api.resolvePerson(trx, context, inputs[i]!).catch((error: unknown) => {
          if (!(error instanceof ValidationError)) throw error;
          throw new ValidationError(error.errors.map((e) => ({ ...e, field: fieldName(i, e.field) })));
        });
        results[i] = result;
        await touch(result.personId);
      };
      /**
       * A block as the candidate query would return it now: the rows read at the start with the
       * touched records put in as they now are. Exact unless touched records would join a block
       * already at its limit (which the query would have cut differently).
       */
      const blockNow = (base: readonly StoredFactsRow[], usable: readonly string[]) => {
        const sharing = new Set<string>();
        for (const k of usable) for (const id of touchedByKey.get(k) ?? []) sharing.add(id);
        if (sharing.size === 0 && !base.some((r) => touched.has(r.id)))
          return { rows: base, exact: true, changed: false };
        const baseIds = new Set(base.map((r) => r.id));
        const rows = base.filter((r) => !touched.has(r.id));
        let joining = 0;
        for (const id of sharing) {
          rows.push(touched.get(id)!.row);
          if (!baseIds.has(id)) joining++;
        }
        return { rows, exact: joining === 0 || base.length + joining <= CANDIDATE_LIMIT, changed: true };
      };
      for (const [i, input] of inputs.entries()) {
        const { query } = queries[i]!;
        const firstBlock = blockNow(first[i]!.rows, first[i]!.usable);
        let exact = firstBlock.exact;
        let matches = firstBlock.changed ? scoreRows(query, firstBlock.rows, new Set()) : firstScored[i]!;
        const nameOnly = second.get(i);
        if (exact && queries[i]!.nameOnly.length > 0 && !matches.some((m) => m.band === 'auto-link')) {
          if (!nameOnly) exact = false;
          else {
            const block = blockNow(nameOnly.rows, nameOnly.usable);
            if (!block.exact) exact = false;
            else
              matches = [
                ...matches,
                ...(firstBlock.changed || block.changed
                  ? scoreRows(query, block.rows, new Set(matches.map((m) => m.personId)))
                  : secondScored.get(i)!),
              ].sort(byBand);
          }
        }
        const areaId = areas[i];
        if (!exact || !areaId) {
          // Not exact from what was read, or no area from the address (insertPerson finds or refuses it).
          await inTurn(i);
          continue;
        }
        const autoLinks = matches.filter((m) => m.band === 'auto-link');
        if (autoLinks.length === 1) {
          const best = autoLinks[0]!;
          // A record created in this submission is written before it gains facts.
          if (touched.get(best.personId)?.written === false) await writePending();
          const added = (await core.addFacts(
            trx,
            context,
            best.personId,
            input,
            held.get(best.personId),
          )) as {
            names: number;
            identifiers: string[];
            fields: string[];
          };
          await auditLinked(trx, context, best, matches, added);
          results[i] = {
            personId: best.personId,
            outcome: 'linked',
            score: best.score,
            candidates: brief(matches),
          };
          // The record gained facts: later people are matched against it as it now is.
          if (added.names > 0 || added.identifiers.length > 0 || added.fields.length > 0)
            await touch(best.personId);
          continue;
        }
        const id = randomUUID();
        pending.push({ index: i, id, areaId, matches });
        setTouched(createdRow(id, areaId, input), blockingKeysOf(factsOfInput(input)), false);
        const outcome = matches.length > 0 ? 'review' : 'new';
        results[i] =
          outcome === 'new'
            ? { personId: id, outcome }
            : { personId: id, outcome, score: matches[0]!.score, candidates: brief(matches) };
      }
      await writePending();
      return results;
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
  return api;
}
