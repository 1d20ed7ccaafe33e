/**
 * The evaluation through the path the API uses: each labelled record is sent, in order, through
 * the people service's `resolvePerson` on a real database (an embedded one in memory, or
 * PostgreSQL with DATABASE_URL), with the partnership's shipped thresholds and rules, the stored
 * blocking keys and the facts each person has gathered from the records linked to it so far.
 *
 * The measure is per record, as a MASH sees it: when a record arrives for someone Harbour already
 * holds, was it linked to them (a true link), linked to somebody else (a false link), sent to the
 * review queue with them among the candidates, or left as a new person?
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { createDatabase, transaction } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import type { PersonRecord } from '../../src/domain/matching.ts';
import { seedDemo } from '../../src/modules/demo/seed.ts';
import type { ResolveResult } from '../../src/modules/people/resolution.ts';
import type { NewPerson } from '../../src/modules/people/service.ts';
import type { Deps } from '../../src/platform/deps.ts';
import { cliPrincipal } from '../../src/platform/principal.ts';
import { buildServices } from '../../src/services.ts';

export interface ThroughResolutionMetrics {
  records: number;
  /** Records whose person was already held when they arrived: the ones that should link. */
  shouldLink: number;
  trueLinks: number;
  falseLinks: number;
  /** Records that should link, created and queued for review with their person among the candidates. */
  reviewWithTruth: number;
  /** Records that should not link, sent to review anyway (work for the MASH). */
  reviewNeedless: number;
  missed: number;
  rejected: number;
  /** Records refused for an invalid identifier and sent again without it, as a sender would. */
  resentWithoutIdentifier: number;
  /** The first few records linked to somebody else, for the report. */
  falseLinkExamples: { record: PersonRecord; entity: string | number; heldEntities: (string | number)[] }[];
  precision: number;
  recall: number;
  f1: number;
  recallWithReview: number;
  recordsPerSecond: number;
}

/** The record as an agency would send it to `POST /api/v1/people`. */
export function newPersonOf(record: PersonRecord, areaId: string): NewPerson {
  const identifiers: { scheme: string; value: string }[] = [];
  if (record.nhsNumber) identifiers.push({ scheme: 'nhs', value: record.nhsNumber });
  if (record.upn) identifiers.push({ scheme: 'upn', value: record.upn });
  if (record.localAuthorityId) identifiers.push({ scheme: 'la', value: record.localAuthorityId });
  if (record.policeReference) identifiers.push({ scheme: 'police', value: record.policeReference });
  for (const other of record.otherIdentifiers ?? []) identifiers.push(other);
  return {
    kind: 'child',
    givenName: record.givenName,
    familyName: record.familyName,
    ...(record.otherNames?.length
      ? {
          otherNames: record.otherNames.map((familyName) => ({
            givenName: record.givenName,
            familyName,
            kind: 'previous' as const,
          })),
        }
      : {}),
    ...(record.dateOfBirth ? { dateOfBirth: record.dateOfBirth } : {}),
    ...(record.sex ? { sex: record.sex } : {}),
    ...(identifiers.length ? { identifiers } : {}),
    // The API needs a postcode with an address; a record without one is sent without its address.
    ...(record.postcode
      ? { addresses: [{ line1: record.addressLine ?? 'Address not given', postcode: record.postcode }] }
      : {}),
    areaId,
  };
}

export async function evaluateThroughResolution(
  labelled: readonly { entity: string | number; record: PersonRecord }[],
  options: { databaseUrl?: string; validateIdentifiers?: boolean } = {},
): Promise<ThroughResolutionMetrics> {
  const schema = `eval_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  if (options.databaseUrl) {
    const admin = await createDatabase({ dataDir: '', databaseUrl: options.databaseUrl, poolSize: 1 });
    await sql.raw(`create schema ${schema}`).execute(admin.db);
    await admin.close();
  }
  const database = await createDatabase({
    dataDir: 'memory://',
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl, schema } : {}),
  });
  try {
    await migrateToLatest(database);
    const config = loadConfig({ NODE_ENV: 'test', HARBOUR_DATA_DIR: 'memory://' });
    const deps: Deps = { config, database, db: database.db, jobs: null, now: () => new Date() };
    const services = buildServices(deps);
    const context = { principal: cliPrincipal('matching evaluation') };
    await seedDemo(services, context, { householdsPerArea: 0, frontDoorContacts: 0 });
    const area = await deps.db.selectFrom('area').select('id').orderBy('code').executeTakeFirstOrThrow();
    const personsOf = new Map<string | number, Set<string>>();
    const entitiesOf = new Map<string, Set<string | number>>();
    const m = {
      shouldLink: 0,
      trueLinks: 0,
      falseLinks: 0,
      reviewWithTruth: 0,
      reviewNeedless: 0,
      missed: 0,
    };
    let rejected = 0;
    let resentWithoutIdentifier = 0;
    const falseLinkExamples: ThroughResolutionMetrics['falseLinkExamples'] = [];
    const resolve = (input: NewPerson) =>
      transaction(deps.db, (trx) => services.people.resolvePerson(trx, context, input));
    const started = performance.now();
    for (const { entity, record } of labelled) {
      const held = personsOf.get(entity) ?? new Set<string>();
      const should = held.size > 0;
      if (should) m.shouldLink++;
      const input = newPersonOf(record, area.id);
      let result: ResolveResult;
      try {
        result = await resolve(input);
      } catch {
        // As a sender told "NHS number is not valid" would: send the record again without it.
        const { identifiers: _, ...withoutIdentifiers } = input;
        try {
          result = await resolve(withoutIdentifiers);
          resentWithoutIdentifier++;
        } catch {
          rejected++;
          if (should) m.missed++;
          continue;
        }
      }
      if (result.outcome === 'linked') {
        if (held.has(result.personId)) m.trueLinks++;
        else {
          m.falseLinks++;
          if (falseLinkExamples.length < 5)
            falseLinkExamples.push({
              record,
              heldEntities: [...(entitiesOf.get(result.personId) ?? [])],
              entity,
            });
          if (should) m.missed++;
        }
      } else if (result.outcome === 'review') {
        const truth = (result.candidates ?? []).some((c) => held.has(c.personId));
        if (should && truth) m.reviewWithTruth++;
        else if (should) m.missed++;
        else m.reviewNeedless++;
      } else if (should) m.missed++;
      held.add(result.personId);
      personsOf.set(entity, held);
      const entities = entitiesOf.get(result.personId) ?? new Set();
      entities.add(entity);
      entitiesOf.set(result.personId, entities);
    }
    const seconds = (performance.now() - started) / 1000;
    const links = m.trueLinks + m.falseLinks;
    const precision = links === 0 ? 1 : m.trueLinks / links;
    const recall = m.shouldLink === 0 ? 1 : m.trueLinks / m.shouldLink;
    return {
      records: labelled.length,
      ...m,
      rejected,
      resentWithoutIdentifier,
      falseLinkExamples,
      precision,
      recall,
      f1: (2 * precision * recall) / (precision + recall || 1),
      recallWithReview: m.shouldLink === 0 ? 1 : (m.trueLinks + m.reviewWithTruth) / m.shouldLink,
      recordsPerSecond: labelled.length / seconds,
    };
  } finally {
    await database.close();
    if (options.databaseUrl) {
      const admin = await createDatabase({ dataDir: '', databaseUrl: options.databaseUrl, poolSize: 1 });
      await sql.raw(`drop schema ${schema} cascade`).execute(admin.db);
      await admin.close();
    }
  }
}
