/**
 * String normalisation and similarity used by the name and address comparisons. Everything here is
 * written for short strings (names, street lines) and allocates as little as possible, because a
 * candidate score has to cost microseconds.
 */

const COMBINING_MARKS = /\p{M}/gu;
const APOSTROPHES = /['’‘`]/g;
const NON_ALPHANUMERIC = /[^a-z0-9]+/g;

/**
 * Lower-case words with diacritics, apostrophes and punctuation removed: "Zoë O'Brien-Smith" ->
 * ["zoe", "obrien", "smith"]. Apostrophes are dropped rather than split on, because "O'Brien" and
 * "OBrien" are the same name but "O" and "Brien" are not.
 */
export function words(input: string | undefined): string[] {
  if (!input) return [];
  const folded = input
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(APOSTROPHES, '')
    .replace(/ß/g, 'ss')
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(NON_ALPHANUMERIC, ' ')
    .trim();
  return folded === '' ? [] : folded.split(' ');
}

/**
 * Jaro–Winkler similarity in [0, 1]: Jaro's matching-characters-within-a-window measure, boosted
 * for a shared prefix of up to four characters (typing errors are rarer at the start of a name).
 */
export function jaroWinkler(a: string, b: string, prefixScale = 0.1): number {
  if (a === b) return a.length === 0 ? 0 : 1;
  const lenA = a.length;
  const lenB = b.length;
  if (lenA === 0 || lenB === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(lenA, lenB) / 2) - 1);
  const matchedA: boolean[] = new Array(lenA).fill(false);
  const matchedB: boolean[] = new Array(lenB).fill(false);
  let matches = 0;
  for (let i = 0; i < lenA; i++) {
    const start = Math.max(0, i - window);
    const end = Math.min(i + window + 1, lenB);
    const ch = a.charCodeAt(i);
    for (let j = start; j < end; j++) {
      if (!matchedB[j] && b.charCodeAt(j) === ch) {
        matchedA[i] = true;
        matchedB[j] = true;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < lenA; i++) {
    if (!matchedA[i]) continue;
    while (!matchedB[k]) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  const m = matches;
  const jaro = (m / lenA + m / lenB + (m - transpositions / 2) / m) / 3;
  let prefix = 0;
  const maxPrefix = Math.min(4, lenA, lenB);
  while (prefix < maxPrefix && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return jaro + prefix * prefixScale * (1 - jaro);
}

/**
 * Optimal-string-alignment edit distance (insertions, deletions, substitutions and adjacent
 * transpositions), stopping early once it must exceed `limit`. Used for identifiers, where one
 * keystroke is the interesting question.
 */
export function editDistanceWithin(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (a === b) return 0;
  const cols = b.length + 1;
  let prevPrev = new Array<number>(cols).fill(0);
  let prev = Array.from({ length: cols }, (_, j) => j);
  let current = new Array<number>(cols).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(prev[j]! + 1, current[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, prevPrev[j - 2]! + 1);
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    [prevPrev, prev, current] = [prev, current, prevPrev];
  }
  return prev[b.length]!;
}

/**
 * A typing error inside a name rather than another name: one keystroke apart (a letter added,
 * dropped or changed, or two neighbours swapped) with the first letter kept and, unless the last
 * two letters were swapped, the last letter kept too. Names that families give to two children
 * differ at the start (Ava / Eva, Jayden / Hayden) or the end (Sophie / Sophia, Louis / Louie);
 * a slip of the keyboard lands anywhere, so only the inside of the name is read as one.
 */
export function keystrokeTypo(a: string, b: string): boolean {
  if (a === b || a.length < 2 || b.length < 2 || Math.max(a.length, b.length) < 3) return false;
  if (a[0] !== b[0] || editDistanceWithin(a, b, 1) !== 1) return false;
  if (a.at(-1) === b.at(-1)) return true;
  return (
    a.length === b.length &&
    a.slice(0, -2) === b.slice(0, -2) &&
    a.at(-1) === b.at(-2) &&
    a.at(-2) === b.at(-1)
  );
}
