/**
 * A Soundex-style phonetic key tuned for blocking on British names. Classic Soundex keeps the
 * first letter verbatim, so "Catherine" and "Katherine" or "Phillips" and "Filips" land in
 * different blocks; here the first letter is coded like every other letter, and a few English
 * spelling rules are applied first. The key is deliberately coarse: it only decides which records
 * are compared, never how they score.
 */

// Letter -> consonant class. Vowels, h, w and y separate classes but produce no code.
const CLASS: Record<string, string> = {
  b: '1',
  f: '1',
  p: '1',
  v: '1',
  c: '2',
  g: '2',
  j: '2',
  k: '2',
  q: '2',
  s: '2',
  x: '2',
  z: '2',
  d: '3',
  t: '3',
  l: '4',
  m: '5',
  n: '5',
  r: '6',
};

const REWRITES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^mac/, 'mc'],
  [/^kn/, 'n'],
  [/^wr/, 'r'],
  [/^ps/, 's'],
  [/^x/, 's'],
  [/ph/g, 'f'],
  [/ck/g, 'k'],
  [/sch/g, 'sk'],
  [/gh/g, 'h'],
  [/dg/g, 'g'],
];

const MAX_CODES = 5;

/**
 * The phonetic key of one normalised word (lower-case a-z): "V" when the word starts with a vowel
 * sound, followed by up to five consonant-class digits. Returns "" for an empty word.
 */
export function phoneticKey(word: string): string {
  let w = word.replace(/[^a-z]/g, '');
  if (w === '') return '';
  for (const [pattern, replacement] of REWRITES) w = w.replace(pattern, replacement);
  let key = /^[aeiouy]/.test(w) ? 'V' : '';
  let last = '';
  for (let i = 0; i < w.length && key.length < MAX_CODES + 1; i++) {
    const code = CLASS[w[i]!];
    if (code === undefined) {
      // h and w do not separate repeated classes (as in Soundex); vowels do.
      if (w[i] !== 'h' && w[i] !== 'w') last = '';
      continue;
    }
    if (code !== last) key += code;
    last = code;
  }
  return key === '' ? 'V' : key;
}
