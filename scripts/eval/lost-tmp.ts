import { generatePopulation } from './synthetic.ts';
import { candidatePairs } from './pairs.ts';
import { compareRecords, scorePrepared } from '../../src/domain/matching/score.ts';
import { prepared } from '../../src/domain/matching/prepare.ts';
const { records } = generatePopulation({ people: 20000, records: 50000, seed: 20240401, twinShare: 0.12 });
const recs = records.map((r) => r.record);
const cands = candidatePairs(recs);
const n = recs.length;
const groups = new Map<number, number[]>();
records.forEach((r, i) => groups.set(r.personId, [...(groups.get(r.personId) ?? []), i]));
const sig = new Map<string, number>();
let lost = 0, below = 0;
const belowSig = new Map<string, number>();
for (const g of groups.values()) for (let x = 0; x < g.length; x++) for (let y = x + 1; y < g.length; y++) {
  const a = g[x]!, b = g[y]!;
  const c = compareRecords(prepared(recs[a]!), prepared(recs[b]!));
  const s = c.filter((f) => ['givenName','familyName','dateOfBirth','postcode'].includes(f.field)).map((f) => `${f.field.slice(0,3)}=${f.comparison.level}`).join(' ');
  if (!cands.has(a * n + b)) { lost++; sig.set(s, (sig.get(s) ?? 0) + 1); continue; }
  const r = scorePrepared(prepared(recs[a]!), prepared(recs[b]!));
  if (r.band === 'no-match') { below++; const k = `${r.reasons.filter(q=>q.rule).map(q=>q.rule).join('+')||'score'} | ${s}`; belowSig.set(k, (belowSig.get(k) ?? 0) + 1); }
}
console.log('lost', lost); for (const [k, v] of [...sig].sort((p, q) => q[1] - p[1]).slice(0, 25)) console.log(v, k);
console.log('below review', below); for (const [k, v] of [...belowSig].sort((p, q) => q[1] - p[1]).slice(0, 30)) console.log(v, k);
