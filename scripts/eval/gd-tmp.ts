import { generatePopulation } from './synthetic.ts';
import { loadFebrl } from './febrl.ts';
import { candidatePairs } from './pairs.ts';
import { scoreCandidate } from '../../src/domain/matching.ts';
const rule = process.argv[2]!;
function run(name: string, recs: any[], labels: any[], side?: number[], opts: any = {}) {
  const n = recs.length; const c = candidatePairs(recs, side, opts);
  const t = new Map<string, number>();
  for (const key of c) { const a = Math.floor(key / n), b = key % n; const r = scoreCandidate(recs[a], recs[b], opts);
    if (r.score < 20 || !r.reasons.some((x) => x.rule === rule)) continue;
    const lv = (f: string) => r.reasons.find((x) => x.field === f)!.agreement;
    const k = `${labels[a] === labels[b] ? 'TRUE ' : 'false'} fam=${lv('familyName')} dob=${lv('dateOfBirth')} pc=${lv('postcode')} addr=${lv('addressLine')} sex=${lv('sex')} given=${lv('givenName')}`;
    t.set(k, (t.get(k) ?? 0) + 1); }
  console.log(name); for (const [k, v] of [...t].sort((p, q) => q[1] - p[1]).slice(0, 14)) console.log(' ', v, k);
}
const { records } = generatePopulation({ people: 20000, records: 50000, seed: 20240401, twinShare: 0.12 });
run('uk', records.map((r) => r.record), records.map((r) => r.personId));
const d = '/work/shared/data/febrl'; const a = loadFebrl(d, 'dataset4a.csv', false), b = loadFebrl(d, 'dataset4b.csv', false);
run('febrl4', [...a, ...b].map((r) => r.record), [...a, ...b].map((r) => r.entity), [...a.map(() => 0), ...b.map(() => 1)], { validateIdentifiers: false });
