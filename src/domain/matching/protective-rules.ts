/**
 * Rules that protect children from being put on another child's record. Each caps a pair's band
 * at review (a person decides); none can raise it. They are kept apart from the score because
 * the score sums field weights as if fields were independent, and the two situations here are
 * exactly where that assumption fails:
 *
 * - Twins of different sex share a surname, a birth date and a home, and are often given names
 *   from one family (Charlie and Charlotte, where "Charlie" is a nickname of both). The name
 *   comparison cannot tell a nickname from a twin, but a recorded sex that differs on one birth
 *   date can. The rule holds unless the two records are known to live apart: a record with no
 *   address (a DAN naming a child it has no address for) is not evidence of another home, and
 *   without this a twin named by a nickname of the other twin's middle name was linked.
 * - Two children with the same given name, birth date and postcode but different surnames are
 *   usually two children (or one whose surname changed, which must be recorded or corroborated).
 *   A surname that is a close typo (similar spelling, one edit apart, same sound) is not a
 *   different surname and does not trigger the rule.
 */
import type { MatchRule } from './types.ts';

export interface ProtectiveCap {
  rule: MatchRule;
  detail: string;
}

/** Comparison levels by field, as produced by compareRecords. */
export type Levels = Partial<Record<string, string>>;

export function protectiveRules(
  level: Levels,
  identifierAgrees: boolean,
  /** Both records have a home and the homes differ (postcode or address disagrees, none agrees). */
  knownApart: boolean,
): ProtectiveCap[] {
  const caps: ProtectiveCap[] = [];
  const family = level.familyName;
  const surnameAgrees =
    family === 'exact' ||
    family === 'part' ||
    family === 'alias' ||
    family === 'fuzzyHigh' ||
    family === 'fuzzyLow';
  if (level.sex === 'disagree' && level.dateOfBirth === 'exact' && surnameAgrees && !knownApart) {
    caps.push({
      rule: 'twin-different-sex',
      detail:
        'recorded sex differs with the same birth date and surname, and no other home is known: could be twins, so never linked automatically',
    });
  }
  if (family === 'disagree' && !identifierAgrees) {
    caps.push({
      rule: 'surname-differs',
      detail:
        'surnames differ and no identifier or recorded previous name corroborates a change, so never linked automatically',
    });
  }
  return caps;
}
