import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { modelOptions, seededRandom, trainModel } from '../../src/domain/matching/model.ts';
import { type TradeoffPair, tradeoffTable } from '../../src/domain/matching/tradeoff.ts';
import {
  estimateWeights,
  estimateWeightsInSessions,
  frequencyLookup,
  frequencyTable,
  HOUSEHOLD_LEVELS,
} from '../../src/domain/matching/training.ts';
import { DEFAULT_MATCH_WEIGHTS, type MatchWeights } from '../../src/domain/matching/weights.ts';
import { type PersonRecord, scoreCandidate } from '../../src/domain/matching.ts';

/** Each level of each field of a generated world: its true m and u. */
type MuTable = Readonly<Record<string, Readonly<Record<string, readonly [m: number, u: number]>>>>;

// A generated world with known probabilities: three fields, each level's m and u chosen here.
const TRUTH = {
  givenName: { exact: [0.8, 0.01], fuzzyHigh: [0.15, 0.04], disagree: [0.05, 0.95] },
  dateOfBirth: { exact: [0.9, 0.002], oneDigit: [0.07, 0.02], disagree: [0.03, 0.978] },
  postcode: { exact: [0.6, 0.01], district: [0.2, 0.09], disagree: [0.2, 0.9] },
} as const;

/** One pair's comparison levels drawn from a world: by each level's m (`column` 0) or u (1). */
function draw(world: MuTable, random: () => number, column: 0 | 1): string[] {
  const keys: string[] = [];
  for (const [field, levels] of Object.entries(world)) {
    let x = random();
    for (const [level, p] of Object.entries(levels)) {
      x -= p[column];
      if (x < 0) {
        keys.push(`${field}.${level}`);
        break;
      }
    }
    if (x >= 0) keys.push(`${field}.disagree`);
  }
  return keys;
}

describe('estimateWeights (EM with u from random pairs)', () => {
  const random = seededRandom(42);
  const randomPairs = Array.from({ length: 100_000 }, () => draw(TRUTH, random, 1));
  const truthOfBlocked: boolean[] = [];
  const blocked = Array.from({ length: 40_000 }, () => {
    const match = random() < 0.3;
    truthOfBlocked.push(match);
    return draw(TRUTH, random, match ? 0 : 1);
  });
  // Start far from the truth, so the test shows EM finding m rather than keeping its start.
  const start = structuredClone(DEFAULT_MATCH_WEIGHTS) as MatchWeights;
  start.givenName.exact.m = 0.4;
  start.dateOfBirth.exact.m = 0.5;
  start.postcode.exact.m = 0.3;
  const result = estimateWeights(randomPairs, blocked, start);

  it('recovers every known m within 0.03 and u within 0.01', () => {
    for (const [field, levels] of Object.entries(TRUTH)) {
      for (const [level, [m, u]] of Object.entries(levels)) {
        const got = (result.weights as unknown as Record<string, Record<string, { m: number; u: number }>>)[
          field
        ]![level]!;
        assert.ok(Math.abs(got.m - m) < 0.03, `${field}.${level} m ${got.m.toFixed(3)} vs ${m}`);
        assert.ok(Math.abs(got.u - u) < 0.01, `${field}.${level} u ${got.u.toFixed(4)} vs ${u}`);
      }
    }
  });

  it('recovers the share of matches and converges', () => {
    assert.ok(Math.abs(result.matchShare - 0.3) < 0.02, `share ${result.matchShare}`);
    assert.ok(result.converged);
  });

  it('gives true matches high posterior probabilities and non-matches low ones', () => {
    let right = 0;
    result.probabilities.forEach((p, i) => {
      if (p >= 0.5 === truthOfBlocked[i]) right++;
    });
    assert.ok(right / blocked.length > 0.95, `classified ${right} of ${blocked.length}`);
  });

  it('keeps the shipped weights for levels the data never shows', () => {
    assert.deepEqual(result.weights.nhsNumber, DEFAULT_MATCH_WEIGHTS.nhsNumber);
  });
});

describe('estimateWeightsInSessions (household data: siblings among the blocked pairs)', () => {
  // True m and u for four fields; siblings are different people who share a surname and a home.
  const MU = {
    givenName: { exact: [0.85, 0.01], disagree: [0.15, 0.99] },
    familyName: { exact: [0.9, 0.005], disagree: [0.1, 0.995] },
    dateOfBirth: { exact: [0.92, 0.003], disagree: [0.08, 0.997] },
    postcode: { exact: [0.75, 0.01], disagree: [0.25, 0.99] },
  } as const;
  const random = seededRandom(7);
  const randomPairs = Array.from({ length: 100_000 }, () => draw(MU, random, 1));
  // Blocked on surname and postcode, as household data is: a third of the pairs are one person,
  // half are siblings (same surname and home, different given name and birth date).
  const blocked = Array.from({ length: 30_000 }, () => {
    const x = random();
    if (x < 0.34) return draw(MU, random, 0);
    if (x < 0.84) return ['givenName.disagree', 'familyName.exact', 'dateOfBirth.disagree', 'postcode.exact'];
    return draw(MU, random, 1);
  });
  const level = (w: MatchWeights, key: string) => {
    const [field, name] = key.split('.') as [string, string];
    return (w as unknown as Record<string, Record<string, { m: number; u: number }>>)[field]![name]!;
  };

  it('a single EM takes siblings for matches: it learns that one person often has two birth dates', () => {
    const single = estimateWeights(randomPairs, blocked, DEFAULT_MATCH_WEIGHTS);
    assert.ok(
      level(single.weights, 'dateOfBirth.disagree').m > 0.3,
      `m ${level(single.weights, 'dateOfBirth.disagree').m.toFixed(3)}`,
    );
  });

  it('sessions on the same birth date and on the same full name recover every m within 0.03', () => {
    const result = estimateWeightsInSessions(randomPairs, blocked, DEFAULT_MATCH_WEIGHTS);
    for (const [field, levels] of Object.entries(MU))
      for (const [name, [m]] of Object.entries(levels)) {
        const got = level(result.weights, `${field}.${name}`).m;
        assert.ok(Math.abs(got - m) < 0.03, `${field}.${name} m ${got.toFixed(3)} vs ${m}`);
      }
    assert.deepEqual(
      result.sessions.map((s) => s.name),
      ['same birth date', 'same given name and surname'],
    );
    assert.ok(result.converged);
  });

  it('keeps the shipped weights of the household levels, which EM cannot learn', () => {
    const withHousehold = blocked.map((pair) =>
      pair.includes('familyName.exact') && pair.includes('postcode.exact')
        ? pair.map((k) => (k === 'postcode.exact' ? 'postcode.exactSameSurname' : k))
        : pair,
    );
    const result = estimateWeightsInSessions(randomPairs, withHousehold, DEFAULT_MATCH_WEIGHTS);
    for (const key of HOUSEHOLD_LEVELS)
      assert.deepEqual(level(result.weights, key), level(DEFAULT_MATCH_WEIGHTS, key));
  });
});

describe('term frequencies', () => {
  it('keeps values held by at least three records; the rest get the average weight', () => {
    const table = frequencyTable([
      'smith',
      'smith',
      'smith',
      'smith',
      'jones',
      'jones',
      'jones',
      'okafor',
      null,
    ]);
    assert.deepEqual(Object.keys(table.values), ['smith', 'jones']);
    assert.equal(table.values.smith, 4 / 8);
    const lookup = frequencyLookup(table);
    assert.equal(lookup('okafor'), undefined);
    assert.equal(table.rarerThan, 3 / 8);
  });

  it('makes a shared rare surname worth more than a shared common one', () => {
    const model = trainModel({
      sample: sampleOf(400),
      blockedPairs: [],
      queries: 0,
      autoLink: 20,
      randomPairs: 2000,
    });
    const options = modelOptions(model);
    const a: PersonRecord = { givenName: 'Amy', familyName: 'Smith', dateOfBirth: '2012-01-01' };
    const rare: PersonRecord = { ...a, familyName: 'Quennell' };
    const common = scoreCandidate(a, { ...a }, options).reasons.find((r) => r.field === 'familyName')!;
    const unusual = scoreCandidate(rare, { ...rare }, options).reasons.find((r) => r.field === 'familyName')!;
    assert.ok(unusual.weight > common.weight + 3, `${unusual.weight} vs ${common.weight}`);
  });
});

function sampleOf(n: number): PersonRecord[] {
  const random = seededRandom(7);
  const given = ['Amy', 'Ben', 'Cara', 'Dev', 'Ella', 'Finn'];
  return Array.from({ length: n }, (_, i) => ({
    givenName: given[i % given.length]!,
    // A third are Smiths; the rest have names of their own.
    familyName: i % 3 === 0 ? 'Smith' : `Name${i}`,
    dateOfBirth: `201${Math.floor(random() * 10)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`,
  }));
}

describe('tradeoffTable', () => {
  const pairs: TradeoffPair[] = [
    { score: 30, probability: 1, ceiling: 'auto-link', forced: false },
    { score: 25, probability: 0.9, ceiling: 'auto-link', forced: false },
    { score: 25, probability: 0.8, ceiling: 'review', forced: false },
    { score: 12, probability: 0.2, ceiling: 'auto-link', forced: false },
    { score: 5, probability: 0.1, ceiling: 'auto-link', forced: true },
    { score: 28, probability: 0.05, ceiling: 'no-match', forced: false },
  ];
  const mass = 1 + 0.9 + 0.8 + 0.2 + 0.1 + 0.05;

  it('estimates precision and recall of automatic links at each threshold, honouring the rules', () => {
    const [at20, at10] = tradeoffTable(pairs, 10, 20, [20, 10]);
    // At 20: the 30, the 25 that no rule caps, and the NHS-forced pair link.
    assert.ok(Math.abs(at20!.autoLinkPrecision - 2 / 3) < 1e-9);
    assert.ok(Math.abs(at20!.autoLinkRecall - 2 / mass) < 1e-9);
    assert.ok(Math.abs(at10!.autoLinkPrecision - 2.2 / 4) < 1e-9);
  });

  it('counts the review queue per thousand records, leaving out pairs a rule rules out', () => {
    const [at20, at10] = tradeoffTable(pairs, 10, 20, [20, 10]);
    assert.equal(at20!.reviewPerThousand, 100);
    assert.equal(at10!.reviewPerThousand, 200);
    assert.ok(Math.abs(at10!.reviewRecall - 3 / mass) < 1e-9);
  });
});
