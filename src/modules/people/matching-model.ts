/**
 * The partnership's learnt matching model: training it from a sample of its own people
 * (`harbour matching train`, the nightly job, the admin page), and the model and thresholds
 * resolution scores with. A trained model is used once a manager adopts it by setting thresholds
 * from its trade-off table; until then resolution uses the shipped weights, and without
 * thresholds set by a manager, the partnership file's matching.autoLink and matching.review.
 */
import { type Db, type Trx, transaction } from '../../db/database.ts';
import { identifierTypes } from '../../domain/identifier-types.ts';
import { type MatchModel, modelOptions, trainModel } from '../../domain/matching/model.ts';
import type { MatchOptions, MatchThresholds, PersonRecord } from '../../domain/matching.ts';
import { TIME_ZONE } from '../../domain/time-zone.ts';
import { assertAllowed } from '../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { ValidationError } from '../../platform/errors.ts';
import { alignedRecord, primaryRecord } from './match-records.ts';
import {
  blockedCandidateIds,
  insertModel,
  insertThresholds,
  latestThresholds,
  livePeopleCount,
  randomPeopleIds,
  type StoredModel,
  type StoredThresholds,
  storedModel,
} from './matching-model-repository.ts';
import { factsOfRow, storedFacts } from './resolution-repository.ts';

export const TRAIN_MODEL_QUEUE = 'people.train-matching-model';

export interface TrainingParameters {
  /** People sampled for u (random pairs) and term frequencies. */
  sample: number;
  /** Sampled people whose blocked candidates make the EM pairs. */
  queries: number;
  /** Candidates read per query, as the candidate query would rank them. */
  perQuery: number;
  randomPairs: number;
  seed: number;
}

export const DEFAULT_TRAINING: TrainingParameters = {
  sample: 20_000,
  queries: 3_000,
  perQuery: 20,
  randomPairs: 200_000,
  seed: 1,
};

/** How long one instance reuses the model and thresholds it read before reading them again. */
const SCORING_CACHE_MS = 60_000;

export interface Scoring {
  options: Pick<MatchOptions, 'weights' | 'termFrequencies' | 'identifierWeights'>;
  thresholds: MatchThresholds;
  modelVersion: number | null;
}

const FACTS_CHUNK = 5_000;

async function recordsOf(deps: Deps, ids: readonly string[]) {
  const facts = new Map<string, ReturnType<typeof factsOfRow>>();
  for (let i = 0; i < ids.length; i += FACTS_CHUNK) {
    for (const row of await storedFacts(deps.db, ids.slice(i, i + FACTS_CHUNK)))
      facts.set(row.id, factsOfRow(row));
  }
  return facts;
}

interface Stored {
  options: Pick<MatchOptions, 'weights' | 'termFrequencies'>;
  thresholds: MatchThresholds | null;
  modelVersion: number | null;
}

const caches = new WeakMap<object, { at: number; value: Promise<Stored> }>();

export function matchingModelService(deps: Deps) {
  const weightsByScheme = Object.fromEntries(
    identifierTypes(deps.config.partnership.matching.identifierTypes).map((t) => [
      t.scheme,
      { m: t.m, u: t.u },
    ]),
  );

  function invalidate() {
    caches.delete(deps.db);
  }

  async function load(conn: Db | Trx): Promise<Stored> {
    // In turn, not together: a transaction is one connection. The model in use is the one a
    // manager adopted by setting thresholds against its trade-off table (decision 0014), so a
    // nightly retrain never changes who links to whom on its own.
    const thresholds = await latestThresholds(conn);
    const stored = thresholds?.modelVersion ? await storedModel(conn, thresholds.modelVersion) : null;
    return {
      options: stored ? modelOptions(stored.model) : {},
      thresholds: thresholds ? { autoLink: thresholds.autoLink, review: thresholds.review } : null,
      modelVersion: stored?.version ?? null,
    };
  }

  return {
    TRAIN_MODEL_QUEUE,

    /**
     * The weights and thresholds resolution scores with, read at most once a minute per instance.
     * Read on the caller's connection: inside a transaction (one connection) another would wait.
     */
    async scoring(conn: Db | Trx = deps.db): Promise<Scoring> {
      const now = Date.now();
      let cached = caches.get(deps.db);
      if (!cached || now - cached.at >= SCORING_CACHE_MS) {
        cached = { at: now, value: load(conn) };
        caches.set(deps.db, cached);
        cached.value.catch(() => invalidate());
      }
      const stored = await cached.value;
      // The file's settings are read per call: they belong to the caller's configuration.
      return {
        options: { ...stored.options, identifierWeights: weightsByScheme },
        thresholds: stored.thresholds ?? {
          autoLink: deps.config.partnership.matching.autoLink,
          review: deps.config.partnership.matching.review,
        },
        modelVersion: stored.modelVersion,
      };
    },

    async current(): Promise<{ model: StoredModel | null; thresholds: StoredThresholds | null }> {
      return { model: await storedModel(deps.db), thresholds: await latestThresholds(deps.db) };
    },

    /**
     * Trains a new model version from a random sample of live people and stores it. Reading the
     * sample is audited as one event (the people are not named in it: a sample is not a look at
     * anyone's record, and listing 20,000 ids would bury the log).
     */
    async train(
      context: AuditContext,
      parameters: Partial<TrainingParameters> = {},
    ): Promise<{ version: number; model: MatchModel; recordCount: number; seconds: number }> {
      const started = performance.now();
      const p = { ...DEFAULT_TRAINING, ...parameters };
      const recordCount = await livePeopleCount(deps.db);
      const ids = await randomPeopleIds(deps.db, p.sample);
      const queryIds = ids.slice(0, Math.min(p.queries, ids.length));
      const pairs = await blockedCandidateIds(
        deps.db,
        queryIds,
        p.perQuery,
        deps.config.partnership.matching.maxBlockSize,
      );
      const facts = await recordsOf(deps, [...new Set([...ids, ...pairs.map((x) => x.candidateId)])]);
      const sample: PersonRecord[] = [];
      for (const id of ids) {
        const f = facts.get(id);
        if (f) sample.push(primaryRecord(f));
      }
      const seen = new Set<string>();
      const blockedPairs: [PersonRecord, PersonRecord][] = [];
      for (const { queryId, candidateId } of pairs) {
        // A pair found from both ends is one pair.
        const key = queryId < candidateId ? `${queryId}:${candidateId}` : `${candidateId}:${queryId}`;
        const q = facts.get(queryId);
        const c = facts.get(candidateId);
        if (seen.has(key) || !q || !c) continue;
        seen.add(key);
        const query = primaryRecord(q);
        blockedPairs.push([query, alignedRecord(c, query)]);
      }
      const { thresholds } = await this.scoring();
      const model = trainModel({
        sample,
        blockedPairs,
        queries: queryIds.length,
        randomPairs: p.randomPairs,
        seed: p.seed,
        autoLink: thresholds.autoLink,
      });
      const trainedAt = deps.now();
      const version = await transaction(deps.db, async (trx) => {
        const v = await insertModel(trx, { trainedAt, recordCount, parameters: p, model });
        await recordAudit(trx, context, {
          action: 'matching.train',
          subjectType: 'matching-model',
          subjectId: String(v),
          details: { recordCount, ...model.sample, iterations: model.iterations, converged: model.converged },
        });
        return v;
      });
      invalidate();
      return { version, model, recordCount, seconds: (performance.now() - started) / 1000 };
    },

    /**
     * A manager's choice of thresholds, which also adopts the newest model (the one whose trade-off
     * table they chose from); validated (each 0–100, review not above auto-link) and audited.
     */
    async setThresholds(
      context: AuditContext,
      input: { autoLink: unknown; review: unknown },
    ): Promise<MatchThresholds> {
      assertAllowed(context.principal, 'matching:set-thresholds');
      const errors: { field: string; message: string }[] = [];
      const number = (field: string, value: unknown): number | null => {
        const n =
          typeof value === 'number'
            ? value
            : typeof value === 'string' && value.trim() !== ''
              ? Number(value)
              : NaN;
        if (!Number.isFinite(n)) {
          errors.push({
            field,
            message: `Enter the ${field === 'autoLink' ? 'auto-link' : 'review'} threshold as a number of bits`,
          });
          return null;
        }
        if (n < 0 || n > 100) {
          errors.push({
            field,
            message: `The ${field === 'autoLink' ? 'auto-link' : 'review'} threshold must be between 0 and 100`,
          });
          return null;
        }
        return n;
      };
      const autoLink = number('autoLink', input.autoLink);
      const review = number('review', input.review);
      if (autoLink !== null && review !== null && review > autoLink) {
        errors.push({
          field: 'review',
          message: 'The review threshold must not be above the auto-link threshold',
        });
      }
      if (errors.length > 0 || autoLink === null || review === null) throw new ValidationError(errors);
      const before = await this.scoring();
      await transaction(deps.db, async (trx) => {
        const model = await storedModel(trx);
        await insertThresholds(trx, {
          autoLink,
          review,
          modelVersion: model?.version ?? null,
          setAt: deps.now(),
          setByUserId: context.principal.userId,
        });
        await recordAudit(trx, context, {
          action: 'matching.thresholds.set',
          subjectType: 'matching-thresholds',
          details: {
            before: before.thresholds,
            after: { autoLink, review },
            modelVersion: model?.version ?? null,
          },
        });
      });
      invalidate();
      return { autoLink, review };
    },
  };
}

export type MatchingModelService = ReturnType<typeof matchingModelService>;

/** Schedules nightly training (03:10 Europe/London) and starts its worker; on-demand runs use the same queue. */
export async function startTrainingJob(deps: Deps, context: AuditContext): Promise<void> {
  const jobs = deps.jobs;
  if (!jobs) return;
  const service = matchingModelService(deps);
  await jobs.define(TRAIN_MODEL_QUEUE);
  await jobs.work(TRAIN_MODEL_QUEUE, async () => {
    await service.train(context);
  });
  await jobs.boss.schedule(TRAIN_MODEL_QUEUE, '10 3 * * *', {}, { tz: TIME_ZONE });
}
