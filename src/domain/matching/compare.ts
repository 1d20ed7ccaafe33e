/**
 * Field comparisons. Each returns the Fellegi–Sunter level the two values fall in, the agreement
 * category shown to reviewers, and a short human-readable detail. Weights are applied elsewhere,
 * so these functions only describe what was seen.
 */
import { areNicknames } from './nicknames.ts';
import type { PreparedDate, PreparedIdentifier, PreparedName, PreparedRecord } from './prepare.ts';
import { editDistanceWithin, jaroWinkler, keystrokeTypo } from './strings.ts';
import type { Agreement } from './types.ts';

export interface Comparison<Level extends string> {
  level: Level | 'missing';
  agreement: Agreement;
  detail: string;
  /** For other identifier types: the scheme compared, whose own weights apply. */
  scheme?: string;
}

export interface SimilarityThresholds {
  fuzzyHigh: number;
  fuzzyLow: number;
}

function missing(detail = 'not recorded on both records'): Comparison<never> {
  return { level: 'missing', agreement: 'missing', detail };
}

function bestSimilarity(a: PreparedName, b: PreparedName): number {
  let best = jaroWinkler(a.joined, b.joined);
  if (a.words.length > 1 || b.words.length > 1) {
    for (const x of a.words) {
      if (x.length < 3) continue;
      for (const y of b.words) {
        if (y.length < 3) continue;
        const s = jaroWinkler(x, y);
        if (s > best) best = s;
      }
    }
  }
  return best;
}

function samePhonetic(a: PreparedName, b: PreparedName): boolean {
  for (const x of a.phonetic) if (x.length > 1 && b.phonetic.includes(x)) return true;
  return false;
}

function isSubset(small: string[], large: string[]): boolean {
  for (const w of small) if (!large.includes(w)) return false;
  return true;
}

/** The detail of a given-name typo inside the name, which the household rule reads. */
export const KEYSTROKE_DETAIL = 'one keystroke apart inside the name';

type NameComparison<Level extends string> = (
  q: PreparedRecord,
  c: PreparedRecord,
  similarity: SimilarityThresholds,
) => Comparison<Level>;

/**
 * A comparison of one part of the name (given or family): missing unless both records have it,
 * otherwise `compare` decides from the two names (`a` the query's, `b` the candidate's).
 */
function nameComparison<Level extends string>(
  part: 'given' | 'family',
  compare: (
    a: PreparedName,
    b: PreparedName,
    q: PreparedRecord,
    c: PreparedRecord,
    similarity: SimilarityThresholds,
  ) => Comparison<Level>,
): NameComparison<Level> {
  return (q, c, similarity) => {
    const a = q[part];
    const b = c[part];
    if (a.joined === '' || b.joined === '') return missing();
    return compare(a, b, q, c, similarity);
  };
}

export type GivenNameLevel = 'exact' | 'variant' | 'fuzzyHigh' | 'fuzzyLow' | 'disagree';

export const compareGivenNames = nameComparison<GivenNameLevel>('given', (a, b, q, c, similarity) => {
  if (a.joined === b.joined) {
    return {
      level: 'exact',
      agreement: 'exact',
      detail: a.words.length === b.words.length ? 'same name' : 'same name once punctuation is ignored',
    };
  }
  // "Ella" and "Ella Mae" are one child written two ways; "Lily-Mae" and "Lily-Rose" share a part
  // but each has a part the other lacks, which is how siblings and twins are often named.
  const shared = a.words.some((w) => b.words.includes(w));
  if (shared) {
    if (isSubset(a.words, b.words) || isSubset(b.words, a.words)) {
      return { level: 'variant', agreement: 'partial', detail: 'one name is part of the other' };
    }
    return { level: 'disagree', agreement: 'disagree', detail: 'share a name part but each has another' };
  }
  for (const x of a.words) {
    for (const y of b.words) {
      if (areNicknames(x, y))
        return { level: 'variant', agreement: 'partial', detail: `nickname (${x} ~ ${y})` };
    }
  }
  if (a.words.some((w) => c.aliasWords.includes(w)) || b.words.some((w) => q.aliasWords.includes(w))) {
    return { level: 'variant', agreement: 'partial', detail: 'matches a recorded other name' };
  }
  // A slip of the keyboard inside the name (Samantha / Smantha, Ray / Rya) is a typo however low
  // Jaro–Winkler scores it on a short name; names that differ at the start or the end (Jack / Jake,
  // Ella / Elle) are left to the similarity levels, because that is how siblings' names differ.
  if (keystrokeTypo(a.joined, b.joined)) {
    return { level: 'fuzzyHigh', agreement: 'partial', detail: KEYSTROKE_DETAIL };
  }
  const sim = bestSimilarity(a, b);
  if (sim >= similarity.fuzzyHigh) {
    return { level: 'fuzzyHigh', agreement: 'partial', detail: `similar spelling (${sim.toFixed(2)})` };
  }
  if (sim >= similarity.fuzzyLow || samePhonetic(a, b)) {
    return { level: 'fuzzyLow', agreement: 'partial', detail: `sounds alike (${sim.toFixed(2)})` };
  }
  if ((a.joined.length === 1 || b.joined.length === 1) && a.joined[0] === b.joined[0]) {
    return { level: 'fuzzyLow', agreement: 'partial', detail: 'initial fits' };
  }
  return { level: 'disagree', agreement: 'disagree', detail: 'different names' };
});

export type FamilyNameLevel = 'exact' | 'part' | 'alias' | 'fuzzyHigh' | 'fuzzyLow' | 'disagree';

export const compareFamilyNames = nameComparison<FamilyNameLevel>('family', (a, b, q, c, similarity) => {
  if (a.joined === b.joined) return { level: 'exact', agreement: 'exact', detail: 'same surname' };
  for (const w of a.words) {
    if (w.length > 1 && b.words.includes(w)) {
      return {
        level: 'part',
        agreement: 'partial',
        detail: `shares "${w}" of a hyphenated or double surname`,
      };
    }
  }
  if (
    a.words.some((w) => c.aliasWords.includes(w)) ||
    b.words.some((w) => q.aliasWords.includes(w)) ||
    q.aliasWords.some((w) => c.aliasWords.includes(w))
  ) {
    return { level: 'alias', agreement: 'partial', detail: 'matches a recorded previous or other surname' };
  }
  const sim = bestSimilarity(a, b);
  if (sim >= similarity.fuzzyHigh) {
    return { level: 'fuzzyHigh', agreement: 'partial', detail: `similar spelling (${sim.toFixed(2)})` };
  }
  // A short surname with one letter wrong (Lee / Lea, Cox / Cix) scores low on Jaro–Winkler but
  // is a typo, not another family.
  if (a.joined.length >= 3 && b.joined.length >= 3 && editDistanceWithin(a.joined, b.joined, 1) <= 1) {
    return { level: 'fuzzyHigh', agreement: 'partial', detail: 'one letter different' };
  }
  if (sim >= similarity.fuzzyLow || samePhonetic(a, b)) {
    return { level: 'fuzzyLow', agreement: 'partial', detail: `sounds alike (${sim.toFixed(2)})` };
  }
  return { level: 'disagree', agreement: 'disagree', detail: 'different surnames' };
});

/** Given and family names written the other way round, as some systems and cultures order them. */
export function namesTransposed(
  q: PreparedRecord,
  c: PreparedRecord,
  similarity: SimilarityThresholds,
): boolean {
  if (q.given.joined === '' || q.family.joined === '' || c.given.joined === '' || c.family.joined === '') {
    return false;
  }
  return (
    jaroWinkler(q.given.joined, c.family.joined) >= similarity.fuzzyHigh &&
    jaroWinkler(q.family.joined, c.given.joined) >= similarity.fuzzyHigh
  );
}

export type DateOfBirthLevel = 'exact' | 'swapped' | 'yearOffByOne' | 'oneDigit' | 'disagree';

function oneDigitApart(a: string, b: string): boolean {
  let diff = -1;
  let count = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      if (++count > 2) return false;
      if (count === 1) diff = i;
      else if (i !== diff + 1 || a[diff] !== b[i] || a[i] !== b[diff]) return false;
    }
  }
  return count >= 1;
}

function daysBetween(a: PreparedDate, b: PreparedDate): number {
  return Math.abs(Date.UTC(a.year, a.month - 1, a.day) - Date.UTC(b.year, b.month - 1, b.day)) / 86_400_000;
}

export function compareDatesOfBirth(
  a: PreparedDate | null,
  b: PreparedDate | null,
): Comparison<DateOfBirthLevel> {
  if (!a || !b) return missing();
  if (a.digits === b.digits) return { level: 'exact', agreement: 'exact', detail: 'same date' };
  if (a.year === b.year && a.month === b.day && a.day === b.month) {
    return { level: 'swapped', agreement: 'partial', detail: 'day and month swapped' };
  }
  if (a.month === b.month && a.day === b.day && Math.abs(a.year - b.year) === 1) {
    return { level: 'yearOffByOne', agreement: 'partial', detail: 'year one apart' };
  }
  if (oneDigitApart(a.digits, b.digits)) {
    return { level: 'oneDigit', agreement: 'partial', detail: 'one digit different or two transposed' };
  }
  return {
    level: 'disagree',
    agreement: 'disagree',
    detail: `different dates (${Math.round(daysBetween(a, b))} days apart)`,
  };
}

/** More than this many days apart counts as a "wild" disagreement for the NHS-number rule. */
export function datesWildlyApart(a: PreparedDate | null, b: PreparedDate | null, maxDays: number): boolean {
  return a !== null && b !== null && daysBetween(a, b) > maxDays;
}

export type SexLevel = 'agree' | 'disagree';

export function compareSex(a: PreparedRecord['sex'], b: PreparedRecord['sex']): Comparison<SexLevel> {
  if (!a || !b) return missing('not recorded as male or female on both records');
  return a === b
    ? { level: 'agree', agreement: 'exact', detail: 'same' }
    : { level: 'disagree', agreement: 'disagree', detail: 'different' };
}

export type PostcodeLevel = 'exact' | 'district' | 'disagree';

export function comparePostcodes(q: PreparedRecord, c: PreparedRecord): Comparison<PostcodeLevel> {
  if (!q.postcode || !c.postcode) return missing();
  if (q.postcode === c.postcode) return { level: 'exact', agreement: 'exact', detail: 'same postcode' };
  if (q.district && q.district === c.district) {
    return { level: 'district', agreement: 'partial', detail: `same district (${q.district})` };
  }
  return { level: 'disagree', agreement: 'disagree', detail: 'different postcodes' };
}

export type AddressLevel = 'exact' | 'partial' | 'disagree';

const NUMERIC = /^\d+[a-z]?$/;

function wordsFound(from: string[], to: string[]): number {
  let found = 0;
  for (const w of from) {
    if (to.includes(w)) found++;
    else if (!NUMERIC.test(w) && w.length > 2) {
      for (const t of to) {
        if (t.length > 2 && jaroWinkler(w, t) >= 0.9) {
          found++;
          break;
        }
      }
    }
  }
  return found;
}

/** Share of words (in both directions) that have a counterpart; house numbers must match exactly. */
export function addressSimilarity(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  return (wordsFound(a, b) + wordsFound(b, a)) / (a.length + b.length);
}

export function compareAddressLines(q: PreparedRecord, c: PreparedRecord): Comparison<AddressLevel> {
  if (q.address.length === 0 || c.address.length === 0) return missing();
  if (q.address.join('') === c.address.join(''))
    return { level: 'exact', agreement: 'exact', detail: 'same' };
  const sim = addressSimilarity(q.address, c.address);
  if (sim >= 0.9)
    return { level: 'exact', agreement: 'exact', detail: `same apart from spelling (${sim.toFixed(2)})` };
  if (sim >= 0.6) return { level: 'partial', agreement: 'partial', detail: `similar (${sim.toFixed(2)})` };
  return { level: 'disagree', agreement: 'disagree', detail: 'different' };
}

export type IdentifierLevel = 'agree' | 'nearly' | 'conflict';

export function compareIdentifiers(
  a: PreparedIdentifier | null,
  b: PreparedIdentifier | null,
  validate: boolean,
): Comparison<IdentifierLevel> {
  if (!a || !b) return missing();
  let x = a.raw;
  let y = b.raw;
  if (validate) {
    if (!a.valid || !b.valid) return missing('fails its check digit on one record, so ignored');
    x = a.valid;
    y = b.valid;
  }
  if (x === y) return { level: 'agree', agreement: 'exact', detail: 'same number' };
  if (editDistanceWithin(x, y, 1) <= 1) {
    return { level: 'nearly', agreement: 'partial', detail: 'one keystroke apart' };
  }
  return { level: 'conflict', agreement: 'disagree', detail: 'different numbers' };
}

/**
 * Identifiers of the other types, scheme by scheme: any shared value agrees; a scheme both hold
 * with no shared value is a conflict. Agreement on any scheme wins over a conflict on another.
 */
export function compareOtherIdentifiers(
  a: PreparedRecord['otherIdentifiers'],
  b: PreparedRecord['otherIdentifiers'],
): Comparison<ReferenceLevel> {
  let conflict: string | undefined;
  for (const x of a) {
    const same = b.filter((y) => y.scheme === x.scheme);
    if (same.length === 0) continue;
    if (same.some((y) => y.value === x.value)) {
      return { level: 'agree', agreement: 'exact', detail: `same ${x.scheme} identifier`, scheme: x.scheme };
    }
    conflict ??= x.scheme;
  }
  if (conflict) {
    return {
      level: 'disagree',
      agreement: 'disagree',
      detail: `different ${conflict} identifiers`,
      scheme: conflict,
    };
  }
  return missing();
}

export type ReferenceLevel = 'agree' | 'disagree';

export function compareReferences(a: string | null, b: string | null): Comparison<ReferenceLevel> {
  if (!a || !b) return missing();
  return a === b
    ? { level: 'agree', agreement: 'exact', detail: 'same reference' }
    : { level: 'disagree', agreement: 'disagree', detail: 'different references' };
}
