import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { transaction } from '../../src/db/database.ts';
import { syntheticNhsNumber } from '../../src/domain/identifiers.ts';
import type { NewPerson, ResolveResult } from '../../src/modules/people/service.ts';
import type { AuditContext } from '../../src/platform/audit.ts';
import { contextOf } from '../helpers/deps.ts';
import { childRecord, heldChildrenWithNhs, type SharedFacts } from '../helpers/people-fixtures.ts';
import { databasePerFile, deps, services } from '../helpers/per-file.ts';
import { rowCount } from '../helpers/row-count.ts';
import { seededRandom } from '../helpers/seeded-random.ts';

let context: AuditContext;

databasePerFile({}, async () => {
  context = await contextOf(services.directory, 'police.officer@harbour.example');
});

class Rollback extends Error {
  readonly value: unknown;
  constructor(value: unknown) {
    super('rollback');
    this.value = value;
  }
}

/** Runs `fn` in a transaction that is always rolled back, and returns what it returned. */
async function tryOut<T>(fn: (trx: Parameters<Parameters<typeof transaction>[1]>[0]) => Promise<T>) {
  try {
    await transaction(deps.db, async (trx) => {
      throw new Rollback(await fn(trx));
    });
  } catch (error) {
    if (error instanceof Rollback) return error.value as T & { reviews: number; people: number };
    throw error;
  }
  throw new Error('unreachable');
}

/** Outcomes with people created in the run named by the row that created them. */
function normalised(results: readonly ResolveResult[], held: ReadonlySet<string>) {
  const name = new Map<string, string>();
  results.forEach((r, i) => {
    if (!held.has(r.personId) && !name.has(r.personId)) name.set(r.personId, `row${i}`);
  });
  const id = (personId: string) => name.get(personId) ?? personId;
  return results.map((r) => ({
    outcome: r.outcome,
    person: id(r.personId),
    score: r.score ?? null,
    candidates: (r.candidates ?? []).map((c) => `${id(c.personId)}:${c.score}:${c.band}`).sort(),
  }));
}

describe('resolvePeople in bulk gives the outcomes of resolving each in turn', () => {
  it('when an early row adds facts a later row then matches on, rows match people created earlier, and areas come from postcodes', async () => {
    // How a test writes a child it reads back as a stored row (with its address joined).
    const held = (p: typeof tobiah, extra: Partial<NewPerson> = {}): NewPerson => ({
      kind: p.kind,
      givenName: p.given_name,
      familyName: p.family_name,
      dateOfBirth: p.date_of_birth!,
      addresses: [{ line1: p.line1, postcode: p.postcode }],
      ...extra,
    });
    // A child held without an NHS number.
    const tobiah = {
      kind: 'child' as const,
      given_name: 'Tobiah',
      family_name: 'Farringdon',
      date_of_birth: '2016-02-03',
      line1: '27 Heron Close',
      postcode: 'NB1 4AA',
    };
    const kept = await transaction(deps.db, (trx) =>
      services.people.resolvePerson(trx, context, held(tobiah, { sex: 'male' })),
    );
    const withoutNhs = { id: kept.personId, ...tobiah };
    const [withNhs] = await heldChildrenWithNhs(deps.db, 1);
    const random = seededRandom(4242);
    const addedNhs = syntheticNhsNumber(random);
    const newNhs = syntheticNhsNumber(random);
    // The Oakhanger children: one new child, a near-duplicate of her, and the same child again.
    const oakhanger: SharedFacts = {
      familyName: 'Oakhanger',
      sex: 'female',
      addresses: [{ line1: '4 Lantern Row', postcode: 'NB2 3AB' }],
    };
    const persephone = childRecord('Persephone', oakhanger, {
      dateOfBirth: '2018-05-06',
      identifiers: [{ scheme: 'nhs', value: newNhs }],
    });
    const inputs: NewPerson[] = [
      // Links to a held child and gives it an NHS number it did not have.
      held(withoutNhs, { identifiers: [{ scheme: 'nhs', value: addedNhs }] }),
      // Only that NHS number and a different name: found through the fact just added.
      {
        kind: 'child',
        givenName: 'Quillon',
        familyName: 'Marchbank',
        dateOfBirth: withoutNhs.date_of_birth!,
        identifiers: [{ scheme: 'nhs', value: addedNhs }],
        addresses: [{ line1: '9 Elsewhere Road', postcode: 'SQ1 2AB' }],
      },
      // New, placed by its postcode.
      persephone,
      // A near-duplicate of the one just created.
      childRecord('Percy', oakhanger, { dateOfBirth: '2018-06-05' }),
      // The same child as the third row again: links to the record created in this run.
      { ...persephone },
      // A held child exactly as held.
      ...(withNhs
        ? [
            {
              ...held(withNhs as never),
              identifiers: [{ scheme: 'nhs' as const, value: withNhs.nhs_number! }],
            },
          ]
        : []),
    ];
    const heldIds = new Set(
      (await deps.db.selectFrom('person').select('id').execute()).map((r: { id: string }) => r.id),
    );
    const counts = async (trx: Parameters<Parameters<typeof transaction>[1]>[0]) => ({
      people: await rowCount(trx, 'person'),
      reviews: await rowCount(trx, 'match_review'),
    });
    const bulk = await tryOut(async (trx) => {
      const results = await services.people.resolvePeople(trx, context, inputs);
      return { results, ...(await counts(trx)) };
    });
    const oneByOne = await tryOut(async (trx) => {
      const results: ResolveResult[] = [];
      for (const input of inputs) results.push(await services.people.resolvePerson(trx, context, input));
      return { results, ...(await counts(trx)) };
    });
    const expected = normalised(oneByOne.results, heldIds);
    // The scenario is what it says it is.
    assert.equal(expected[0]!.outcome, 'linked');
    assert.equal(expected[0]!.person, withoutNhs.id);
    assert.ok(
      expected[1]!.candidates.some((c) => c.startsWith(`${withoutNhs.id}:`)),
      'the second row is found through the NHS number the first added',
    );
    assert.equal(expected[2]!.outcome, 'new');
    assert.equal(expected[3]!.outcome, 'review');
    assert.equal(expected[4]!.person, 'row2');
    assert.deepEqual(normalised(bulk.results, heldIds), expected);
    assert.equal(bulk.people, oneByOne.people);
    assert.equal(bulk.reviews, oneByOne.reviews);
  });
});
