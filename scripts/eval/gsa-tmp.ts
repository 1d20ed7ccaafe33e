import { generatePopulation } from './synthetic.ts';
import { candidatePairs } from './pairs.ts';
import { scoreCandidate } from '../../src/domain/matching.ts';
const { records } = generatePopulation({ people: 20000, records: 50000, seed: 20240401, twinShare: 0.12 });
const recs = records.map((r) => r.record); const n = recs.length;
const t = new Map<string, number>(); const f: string[] = [];
for (const key of candidatePairs(recs)) { const a = Math.floor(key / n), b = key % n; const r = scoreCandidate(recs[a]!, recs[b]!);
  if (!r.reasons.some((x) => x.rule === process.argv[2])) continue;
  const g = r.reasons.find((x) => x.field === 'givenName')!;
  const k = `${recs[a]!.givenName.toLowerCase()}/${recs[b]!.givenName.toLowerCase()} ${g.detail}`;
  if (records[a]!.personId === records[b]!.personId) t.set(k, (t.get(k) ?? 0) + 1); else f.push(`${k} score ${r.score}`); }
console.log('false:', f.join(' | '));
console.log([...t].sort((p, q) => q[1] - p[1]).slice(0, 60).map(([k, v]) => `${v} ${k}`).join(' | '));
