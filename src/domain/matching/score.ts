/**
 * Turns field comparisons into a Fellegi–Sunter score, a band and a list of reasons. The score is
 * the sum of log2(m/u) weights; a few rules then cap or lift the band where the independence
 * assumption behind summing weights is known to fail (twins share everything but a given name)
 * or where one field is decisive (a shared NHS number).
 */
import {
  type Comparison,
  compareAddressLines,
  compareDatesOfBirth,
  compareFamilyNames,
  compareGivenNames,
  compareIdentifiers,
  compareOtherIdentifiers,
  comparePostcodes,
  compareReferences,
  compareSex,
  datesWildlyApart,
  KEYSTROKE_DETAIL,
  namesTransposed,
  type SimilarityThresholds,
} from './compare.ts';
import { type PreparedRecord, prepared } from './prepare.ts';
import { protectiveRules } from './protective-rules.ts';
import type {
  MatchBand,
  MatchField,
  MatchReason,
  MatchResult,
  MatchRule,
  MatchThresholds,
  PersonRecord,
} from './types.ts';
import {
  DEFAULT_MATCH_THRESHOLDS,
  DEFAULT_MATCH_WEIGHTS,
  DEFAULT_SIMILARITY,
  type LevelProbabilities,
  levelWeight,
  type MatchWeights,
} from './weights.ts';

/**
 * How common a name is, for term-frequency adjustment of exact name agreement: sharing "Smith"
 * says less than sharing "Okonkwo". Return the share of people (0..1) with this normalised name
 * (lower case, no spaces or punctuation), or undefined to use the average weight.
 */
export interface TermFrequencies {
  givenName?: (name: string) => number | undefined;
  familyName?: (name: string) => number | undefined;
  /** Share of people at this canonical postcode: a hostel or refuge is shared by many. */
  postcode?: (postcode: string) => number | undefined;
  /** Frequencies below this are raised to it, so a one-off name cannot dominate the score. */
  minimum?: number;
}

export interface MatchOptions {
  weights?: MatchWeights;
  thresholds?: MatchThresholds;
  similarity?: SimilarityThresholds;
  /** Ignore NHS numbers and UPNs that fail their check digit (default true). */
  validateIdentifiers?: boolean;
  termFrequencies?: TermFrequencies;
  /**
   * The rules that stop siblings and twins being linked automatically (default true). Switch off
   * only to benchmark on data without households, such as FEBRL; never in a live partnership.
   */
  householdRules?: boolean;
  /**
   * m and u of identifier types other than NHS number, UPN and the two agency references, by
   * scheme (identifier-types.ts and the partnership's matching.identifierTypes). A scheme not
   * listed is weighted as an agency reference.
   */
  identifierWeights?: Readonly<Record<string, { m: number; u: number }>>;
  /** With agreeing NHS numbers, dates of birth further apart than this stop an automatic link. */
  nhsNumberDateToleranceDays?: number;
}

export const DEFAULT_TERM_FREQUENCY_MINIMUM = 0.0001;
export const DEFAULT_NHS_NUMBER_DATE_TOLERANCE_DAYS = 31;

type CompiledWeights = { [F in keyof MatchWeights]: { [L in keyof MatchWeights[F]]: number } };

const compiledCache = new WeakMap<MatchWeights, CompiledWeights>();

function compile(weights: MatchWeights): CompiledWeights {
  let compiled = compiledCache.get(weights);
  if (!compiled) {
    const out: Record<string, Record<string, number>> = {};
    for (const [field, levels] of Object.entries(weights)) {
      out[field] = {};
      for (const [level, probabilities] of Object.entries(levels as Record<string, LevelProbabilities>)) {
        out[field]![level] = levelWeight(probabilities);
      }
    }
    compiled = out as CompiledWeights;
    compiledCache.set(weights, compiled);
  }
  return compiled;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function reason<L extends string>(
  field: MatchField,
  comparison: Comparison<L>,
  table: Partial<Record<L, number>>,
): MatchReason {
  const weight = comparison.level === 'missing' ? 0 : (table[comparison.level as L] ?? 0);
  return { field, agreement: comparison.agreement, detail: comparison.detail, weight: round(weight) };
}

function termFrequencyWeight(
  m: number,
  fallback: number,
  name: string,
  lookup: ((name: string) => number | undefined) | undefined,
  minimum: number,
): { weight: number; note: string } {
  const frequency = lookup?.(name);
  if (frequency === undefined || !(frequency > 0)) return { weight: fallback, note: '' };
  const u = Math.max(frequency, minimum);
  return {
    weight: Math.log2(m / u),
    note: ` (1 in ${Math.round(1 / frequency).toLocaleString('en-GB')} people)`,
  };
}

/** Re-levels an exact address agreement for pairs whose surnames agree too. */
function householdLevel<L extends string>(comparison: Comparison<L>): Comparison<L | 'exactSameSurname'> {
  if (comparison.level !== 'exact') return comparison;
  return {
    ...comparison,
    level: 'exactSameSurname',
    detail: `${comparison.detail}; surname agrees too, as siblings' would`,
  };
}

function rule(name: MatchRule, detail: string, agreement: 'exact' | 'disagree'): MatchReason {
  return { field: 'rule', agreement, detail, weight: 0, rule: name };
}

export interface FieldComparison {
  field: Exclude<MatchField, 'rule'>;
  /** The weights table the level is looked up in. */
  table: keyof MatchWeights;
  comparison: Comparison<string>;
}

/**
 * Compares every field, applying the adjustments that depend on more than one field (transposed
 * names, temporary UPNs, addresses shared by siblings). Exposed so weights can be estimated from
 * data with the same levels the scorer uses.
 */
export function compareRecords(
  q: PreparedRecord,
  c: PreparedRecord,
  options: MatchOptions = {},
): FieldComparison[] {
  const similarity = options.similarity ?? DEFAULT_SIMILARITY;
  const validate = options.validateIdentifiers ?? true;
  const nhs = compareIdentifiers(q.nhsNumber, c.nhsNumber, validate);
  let upn: Comparison<string> = compareIdentifiers(q.upn, c.upn, validate);
  if (upn.level === 'conflict' && (q.upnTemporary || c.upnTemporary)) {
    upn = { level: 'missing', agreement: 'missing', detail: 'one is temporary, so a difference is expected' };
  }
  let given: Comparison<string> = compareGivenNames(q, c, similarity);
  let family: Comparison<string> = compareFamilyNames(q, c, similarity);
  if (given.level === 'disagree' && family.level === 'disagree' && namesTransposed(q, c, similarity)) {
    const detail = 'given and family names written the other way round';
    given = { level: 'fuzzyHigh', agreement: 'partial', detail };
    family = { level: 'fuzzyHigh', agreement: 'partial', detail };
  }
  const sameSurname = family.level === 'exact' || family.level === 'part' || family.level === 'alias';
  let postcode: Comparison<string> = comparePostcodes(q, c);
  let address: Comparison<string> = compareAddressLines(q, c);
  const addressTable = postcode.level === 'exact' ? 'addressLineSamePostcode' : 'addressLine';
  if (sameSurname) {
    postcode = householdLevel(postcode);
    if (addressTable === 'addressLine') address = householdLevel(address);
  }
  return [
    { field: 'nhsNumber', table: 'nhsNumber', comparison: nhs },
    { field: 'upn', table: 'upn', comparison: upn },
    { field: 'givenName', table: 'givenName', comparison: given },
    { field: 'familyName', table: 'familyName', comparison: family },
    { field: 'dateOfBirth', table: 'dateOfBirth', comparison: compareDatesOfBirth(q.dob, c.dob) },
    { field: 'sex', table: 'sex', comparison: compareSex(q.sex, c.sex) },
    { field: 'postcode', table: 'postcode', comparison: postcode },
    { field: 'addressLine', table: addressTable, comparison: address },
    {
      field: 'localAuthorityId',
      table: 'localReference',
      comparison: compareReferences(q.localAuthorityId, c.localAuthorityId),
    },
    {
      field: 'policeReference',
      table: 'localReference',
      comparison: compareReferences(q.policeReference, c.policeReference),
    },
    {
      field: 'otherIdentifier',
      table: 'localReference',
      comparison: compareOtherIdentifiers(q.otherIdentifiers, c.otherIdentifiers),
    },
  ];
}

export function scorePrepared(q: PreparedRecord, c: PreparedRecord, options: MatchOptions = {}): MatchResult {
  const weights = options.weights ?? DEFAULT_MATCH_WEIGHTS;
  const w = compile(weights);
  const thresholds = options.thresholds ?? DEFAULT_MATCH_THRESHOLDS;
  const tf = options.termFrequencies;
  const tfMinimum = tf?.minimum ?? DEFAULT_TERM_FREQUENCY_MINIMUM;

  const compared = compareRecords(q, c, options);
  const reasons: MatchReason[] = [];
  const level: Partial<Record<MatchField, string>> = {};
  let score = 0;
  let givenComparison: Comparison<string> | undefined;
  for (const { field, table, comparison } of compared) {
    level[field] = comparison.level;
    if (field === 'givenName') givenComparison = comparison;
    const r = reason(field, comparison, w[table] as Record<string, number>);
    const own = comparison.scheme ? options.identifierWeights?.[comparison.scheme] : undefined;
    if (own && comparison.level !== 'missing') {
      r.weight = round(
        comparison.level === 'agree' ? Math.log2(own.m / own.u) : Math.log2((1 - own.m) / (1 - own.u)),
      );
    }
    if (comparison.level === 'exact' && (field === 'givenName' || field === 'familyName')) {
      const adjusted = termFrequencyWeight(
        weights[field].exact.m,
        r.weight,
        field === 'givenName' ? q.given.joined : q.family.joined,
        field === 'givenName' ? tf?.givenName : tf?.familyName,
        tfMinimum,
      );
      r.weight = round(adjusted.weight);
      r.detail += adjusted.note;
    } else if (field === 'postcode' && comparison.level === 'exact' && q.postcode && tf?.postcode) {
      const adjusted = termFrequencyWeight(
        weights.postcode.exact.m,
        r.weight,
        q.postcode,
        tf.postcode,
        tfMinimum,
      );
      r.weight = round(adjusted.weight);
      r.detail += adjusted.note;
    }
    score += r.weight;
    reasons.push(r);
  }
  score = round(score);

  let band: MatchBand =
    score >= thresholds.autoLink ? 'auto-link' : score >= thresholds.review ? 'review' : 'no-match';
  const capAtReview = (name: MatchRule, detail: string) => {
    if (band === 'auto-link') band = 'review';
    reasons.push(rule(name, detail, 'disagree'));
  };
  const householdRules = options.householdRules ?? true;
  const nhs = level.nhsNumber;
  const given = level.givenName;
  const dob = level.dateOfBirth;
  const family = level.familyName;
  const identifierAgrees =
    nhs === 'agree' ||
    level.upn === 'agree' ||
    level.localAuthorityId === 'agree' ||
    level.policeReference === 'agree' ||
    level.otherIdentifier === 'agree';
  const sharedHome =
    level.postcode === 'exact' ||
    level.postcode === 'exactSameSurname' ||
    level.addressLine === 'exactSameSurname' ||
    level.addressLine === 'exact';

  if (nhs === 'agree') {
    const tolerance = options.nhsNumberDateToleranceDays ?? DEFAULT_NHS_NUMBER_DATE_TOLERANCE_DAYS;
    if (dob === 'disagree' && datesWildlyApart(q.dob, c.dob, tolerance)) {
      capAtReview(
        'nhs-dates-apart',
        'NHS numbers agree but dates of birth are far apart: check before linking',
      );
    } else if (given === 'disagree' && householdRules) {
      capAtReview(
        'nhs-given-differs',
        "NHS numbers agree but given names differ: a sibling's number may have been recorded",
      );
    } else {
      band = 'auto-link';
      reasons.push(rule('nhs-decisive', 'NHS numbers agree: decisive', 'exact'));
    }
  }
  // Two numbers that both pass the check digit and differ are two people (or a keying error that
  // produced another valid number, which a human must sort out). Unvalidated numbers can simply
  // be mistyped, so for them the conflict weight alone decides.
  if (nhs === 'conflict' && (options.validateIdentifiers ?? true)) {
    capAtReview('nhs-conflict', 'NHS numbers conflict: never linked automatically');
  }
  if (!identifierAgrees && householdRules) {
    const sameHousehold = dob === 'exact' && (family === 'exact' || family === 'part') && sharedHome;
    if (given === 'disagree' && sameHousehold) {
      // Twins share everything but a given name; showing them as possible matches every time a
      // record about either arrives would bury the review queue.
      band = 'no-match';
      reasons.push(
        rule(
          'twin-given-differs',
          'different given name with the same birth date, surname and address: a twin',
          'disagree',
        ),
      );
    } else if (given === 'disagree') {
      capAtReview('given-differs', 'given names differ: could be a sibling, so never linked automatically');
    } else if (given === 'fuzzyLow') {
      capAtReview(
        'given-sounds-alike',
        "given names only sound alike (as twins' names often do), so never linked automatically",
      );
    } else if (given === 'fuzzyHigh' && sameHousehold) {
      if (givenComparison?.detail === KEYSTROKE_DETAIL) {
        // Named even though it holds nothing back, so a reviewer sees why a household pair with
        // different spellings was linked.
        reasons.push(
          rule(
            'given-keystroke-typo',
            'given names one keystroke apart inside the name (Rebecca / Rebeca): a typing error, not a twin’s name',
            'exact',
          ),
        );
      } else {
        capAtReview(
          'household-given-typo',
          'given names differ slightly within one household, as twins’ names can (Louis / Louie)',
        );
      }
    }
    if (dob === 'disagree') {
      capAtReview('dob-differs', 'dates of birth differ: could be a sibling, so never linked automatically');
    } else if (dob === 'missing' && given !== 'exact') {
      // Without a birth date only the name tells siblings apart, and Chris could be Christopher
      // or his sister Christina.
      capAtReview(
        'dob-missing',
        'no birth date to compare and given names not identical, so never linked automatically',
      );
    }
    if (level.sex === 'disagree' && given !== 'exact' && given !== 'variant') {
      capAtReview(
        'sex-and-given-differ',
        'sex and given name both differ: could be twins, so never linked automatically',
      );
    }
  }
  // Protective rules: applied last and to every pair, so nothing above (not even an agreeing NHS
  // number, which may be a twin's keyed against the wrong child) can lift a pair past them.
  const homeKnown = (field: string | undefined) => field !== undefined && field !== 'missing';
  const knownApart = !sharedHome && (homeKnown(level.postcode) || homeKnown(level.addressLine));
  for (const cap of protectiveRules(level, identifierAgrees, knownApart)) capAtReview(cap.rule, cap.detail);
  return { score, band, reasons };
}

/**
 * Scores how likely `candidate` is to be the same person as `query`. Records are normalised once
 * and the result cached per object, so scoring one query against many candidates is cheap.
 */
export function scoreCandidate(
  query: PersonRecord,
  candidate: PersonRecord,
  options?: MatchOptions,
): MatchResult {
  return scorePrepared(prepared(query), prepared(candidate), options);
}
